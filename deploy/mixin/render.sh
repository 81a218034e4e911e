#!/usr/bin/env bash
# Renders the mixin (deploy/mixin/mixin.libsonnet) into the files the repository ships:
#   deploy/prometheus/listenq.rules.yml    rules for a plain Prometheus (rule_files)
#   deploy/kubernetes/prometheusrule.yaml  the same rules as a PrometheusRule for the Operator
#   grafana/dashboards/<name>.json         every dashboard of grafanaDashboards
# Run it after changing the mixin and commit the result; a test fails while a render is stale.
# Needs jsonnet (the C++ or Go one).
#   deploy/mixin/render.sh              write into the repository
#   deploy/mixin/render.sh --out DIR    write into DIR (same layout) instead
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out=$(cd "$here/../.." && pwd)
if [ $# -gt 0 ]; then
    if [ $# -ne 2 ] || [ "$1" != --out ]; then
        echo "usage: $0 [--out DIR]" >&2
        exit 2
    fi
    out=$2
fi
cd "$here"
mkdir -p "$out/deploy/prometheus" "$out/deploy/kubernetes" "$out/grafana/dashboards"
parts=$(mktemp -d)
trap 'rm -rf "$parts"' EXIT
jsonnet -S -m "$parts" render.libsonnet >/dev/null

# Each file is written to a temporary name first and then moved: a dashboard source may import
# the committed JSON it replaces.
install_as() { # install_as FILE < content
    local tmp
    tmp=$(mktemp "$1.XXXXXX")
    cat >"$tmp"
    mv "$tmp" "$1"
}
cat "$parts/rules-header.yml" "$parts/groups.yml" | install_as "$out/deploy/prometheus/listenq.rules.yml"
{ cat "$parts/prometheusrule-header.yml"; sed 's/^/  /' "$parts/groups.yml"; } \
    | install_as "$out/deploy/kubernetes/prometheusrule.yaml"
while read -r name; do
    case $name in
        *[!A-Za-z0-9._-]* | "") echo "render.sh: bad dashboard file name '$name'" >&2; exit 1 ;;
    esac
    jsonnet -e "(import 'mixin.libsonnet').grafanaDashboards['$name']" | install_as "$out/grafana/dashboards/$name"
done <"$parts/dashboards.txt"
