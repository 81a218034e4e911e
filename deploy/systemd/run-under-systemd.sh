#!/usr/bin/env bash
# Runs deploy/systemd/listenq-exporter.service under a real systemd: a Debian minbase with
# systemd booted in a privileged podman container (no systemd runs on the build machines).
#
#   deploy/systemd/run-under-systemd.sh [--probe | --runtime DIR] [--dropin 'Key=value']... [-- ARGS...]
#
# The unit runs /usr/bin/listenq-exporter, the launcher of the runtime installed (as the Debian
# package does) under /usr/lib/listenq-exporter.
# --probe   that runtime with probe/UnitProbe.java (built here against collectors/target/classes,
#           which it calls for every system call) as its jar and no AOT cache; ARGS become its
#           arguments (a named namespace and a root process inside it, made here)
# --runtime DIR the runtime to install (default exporter/target/listenq-exporter, from
#           mvn package); ARGS go into /etc/default/listenq-exporter, e.g. -- --netns=all
# --dropin  add a [Service] line in a drop-in (repeatable), to see what a setting breaks
# Prints the service's result and journal. Exit 0 when, without any restart, the probe
# exited 0 or the exporter is still running after SETTLE_SECONDS (default 10).
# The rootfs comes from debian-rootfs.sh (debootstrap once, cached in .ci/.cache/systemd-rootfs).
set -euo pipefail
cd "$(dirname "$0")/../.."
die() { echo "run-under-systemd: $*" >&2; exit 1; }

mode=runtime runtime=exporter/target/listenq-exporter dropins=() args=()
while [ $# -gt 0 ]; do
    case $1 in
        --probe) mode=probe; shift ;;
        --runtime) runtime=$2; shift 2 ;;
        --dropin) dropins+=("$2"); shift 2 ;;
        --) shift; args=("$@"); break ;;
        *) die "unknown argument $1" ;;
    esac
done
[ "$(id -u)" -eq 0 ] || die "run as root"
[ -x "$runtime/bin/listenq-exporter" ] || die "no runtime in $runtime (mvn -B clean package -DskipTests)"
rootfs=$(deploy/systemd/debian-rootfs.sh)

work=$(mktemp -d)
name=lq-try-systemd-$$
cleanup() { podman rm -f -t 0 "$name" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
cp -a "$runtime" "$work/runtime"
if [ "$mode" = probe ]; then
    java_home=${JAVA_HOME:?set JAVA_HOME to a JDK 25 to build the probe}
    classes=collectors/target/classes
    [ -d "$classes/io/listenq/collectors/linux" ] || die "no $classes (mvn -B clean package -DskipTests)"
    "$java_home/bin/javac" -cp "$classes" -d "$work/classes" deploy/systemd/probe/UnitProbe.java
    printf 'Main-Class: UnitProbe\nEnable-Native-Access: ALL-UNNAMED\n' >"$work/manifest"
    "$java_home/bin/jar" cfm "$work/runtime/lib/listenq-exporter.jar" "$work/manifest" \
        -C "$work/classes" . -C "$classes" io
    rm -f "$work/runtime/lib/listenq-exporter.aot"
fi

podman run -d --name "$name" --privileged --systemd=always \
    --rootfs "$rootfs:O" /sbin/init >/dev/null
inside() { podman exec "$name" "$@" </dev/null; }
feed() { podman exec -i "$name" "$@"; }
for _ in $(seq 1 50); do
    state=$(inside systemctl is-system-running 2>/dev/null || true)
    case $state in running|degraded) break ;; esac
    sleep 0.2
done
podman cp "$work/runtime" "$name:/usr/lib/listenq-exporter"
inside ln -sf ../lib/listenq-exporter/bin/listenq-exporter /usr/bin/listenq-exporter
inside mkdir -p /etc/systemd/system/listenq-exporter.service.d
podman cp deploy/systemd/listenq-exporter.service "$name:/etc/systemd/system/"
if [ ${#dropins[@]} -gt 0 ]; then
    printf '[Service]\n%s\n' "${dropins[@]}" | feed sh -c 'cat >/etc/systemd/system/listenq-exporter.service.d/try.conf'
fi
# A namespace the exporter must find, with a root process in it.
inside ip netns add lq-try
inside sh -c 'ip netns exec lq-try sleep 600 >/dev/null 2>&1 &'
if [ "$mode" = probe ]; then
    pid=""
    for _ in $(seq 1 50); do
        pid=$(inside pgrep -n -x sleep || true)
        [ -n "$pid" ] && break
        sleep 0.1
    done
    [ -n "$pid" ] || die "the process in lq-try did not start"
    args=(/run/netns/lq-try "$pid")
fi
printf 'ARGS="%s"\n' "${args[*]}" | feed sh -c 'cat >/etc/default/listenq-exporter'
inside systemctl daemon-reload
inside systemctl start listenq-exporter
prop() { inside systemctl show -p "$1" --value listenq-exporter; }
if [ "$mode" = probe ]; then
    # The probe ends by itself; Restart=on-failure would start a failed one again.
    for _ in $(seq 1 120); do
        case $(prop ActiveState) in inactive|failed) break ;; esac
        [ "$(prop NRestarts)" -gt 0 ] && break
        sleep 0.5
    done
else
    sleep "${SETTLE_SECONDS:-10}"
fi
state=$(prop ActiveState) result=$(prop Result) status=$(prop ExecMainStatus) restarts=$(prop NRestarts)
inside systemctl stop listenq-exporter
echo "listenq-exporter.service: ActiveState=$state Result=$result ExecMainStatus=$status NRestarts=$restarts"
inside journalctl -u listenq-exporter --no-pager -o cat | grep -v '^Started\|^Starting' || true
if [ "$mode" = runtime ] && [ "$state" = active ]; then
    inside wget -q -O - http://127.0.0.1:9469/metrics | grep -E '^listenq_' | head -n 20 || true
fi
[ "$restarts" = 0 ] || exit 1
if [ "$mode" = probe ]; then
    [ "$state" = inactive ] && [ "$result" = success ] && [ "$status" = 0 ]
else
    [ "$state" = active ]
fi
