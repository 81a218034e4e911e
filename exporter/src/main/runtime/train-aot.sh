#!/usr/bin/env bash
# Training run for the AOT cache (JDK 25, JEP 514/515): starts the exporter of RUNTIME_DIR with
# -XX:AOTCacheOutput, waits until it is ready, scrapes /metrics a few times, stops it with SIGTERM;
# at exit the JVM writes lib/listenq-exporter.aot (classes loaded and linked).
#
#   train-aot.sh RUNTIME_DIR
#
# Isolation: the exporter runs in a fresh network namespace of its own (unshare -n as root,
# unshare -rn for a user whose kernel allows unprivileged user namespaces), where it sees nothing
# of the build machine and its port cannot clash. Where no namespace can be made it runs in the
# build's namespace on a free loopback port with --netns=self. Exit status 1 (with a message)
# when no cache was made; the caller builds the runtime without one.
set -uo pipefail
rt=$(cd "${1:?usage: train-aot.sh RUNTIME_DIR}" && pwd)
cache=$rt/lib/listenq-exporter.aot
say() { echo "train-aot: $*" >&2; }
rm -f "$cache" "$cache.config"

if [ -z "${LISTENQ_TRAINING_IN_NAMESPACE:-}" ]; then
    for how in "unshare -n" "unshare -rn"; do
        if $how true 2>/dev/null && command -v ip >/dev/null; then
            LISTENQ_TRAINING_IN_NAMESPACE=1 $how "$0" "$rt" && exit 0
            say "training in a namespace of its own ($how) failed; trying the next way"
        fi
    done
    say "no network namespace could be made (not root, no unprivileged user namespaces, or no ip): training in the build's namespace"
else
    ip link set lo up || { say "cannot bring lo up in the training namespace"; exit 1; }
fi

# A free loopback port: bash's /dev/tcp fails to connect to a port nobody listens on.
port=""
for _ in $(seq 1 50); do
    candidate=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then port=$candidate; break; fi
done
[ -n "$port" ] || { say "no free loopback port"; exit 1; }

get() { # path [header]: prints the status line of GET http://127.0.0.1:$port$path, fails when nobody answers
    exec 3<>"/dev/tcp/127.0.0.1/$port" || return 1
    printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n%s\r\n' "$1" "${2:+$2$'\r\n'}" >&3
    local status
    IFS= read -r status <&3
    cat <&3 >/dev/null
    exec 3>&-
    printf '%s\n' "${status%$'\r'}"
}

log=$(mktemp)
trap 'rm -f "$log"' EXIT
# The absolute jar path, as the launcher gives it: the JVM matches the cache's class path by it
# (a moved runtime still matches, by the common prefix of runtime and jar).
# -AOTRecordTraining: the cache holds the classes, loaded and linked, but no method profiles. With
# profiles, every start replays them and has C1 compile the training run's hot methods at once,
# competing with the start itself: measured, 7% more CPU to the first 200 from /metrics, 1 MiB more RSS.
"$rt/bin/java" -XX:+UnlockDiagnosticVMOptions -XX:-AOTRecordTraining \
    -XX:AOTCacheOutput="$cache" -jar "$rt/lib/listenq-exporter.jar" \
    --web.listen-address="127.0.0.1:$port" --netns=self --log.level=warn >"$log" 2>&1 &
pid=$!
ready=""
for _ in $(seq 1 600); do
    kill -0 "$pid" 2>/dev/null || break
    case $(get /-/ready 2>/dev/null) in *" 200"*) ready=1; break ;; esac
    sleep 0.1
done
if [ -z "$ready" ]; then
    kill -KILL "$pid" 2>/dev/null
    say "the exporter did not become ready; its output:"
    cat "$log" >&2
    exit 1
fi
# A few sampling rounds, each scraped in both formats and gzipped, as Prometheus does.
for _ in 1 2 3 4 5; do
    get /metrics >/dev/null
    get /metrics 'Accept-Encoding: gzip' >/dev/null
    get /metrics 'Accept: application/openmetrics-text; version=1.0.0' >/dev/null
    get / >/dev/null
    sleep 1.1
done
kill -TERM "$pid"
wait "$pid"
if [ ! -s "$cache" ]; then
    say "the JVM wrote no cache; its output:"
    cat "$log" >&2
    exit 1
fi
say "$(basename "$cache"): $(du -h "$cache" | cut -f1)"
