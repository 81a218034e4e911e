#!/usr/bin/env bash
# Renders the mixin (deploy/mixin/mixin.libsonnet) into the files the repository ships:
#   deploy/prometheus/listenq.rules.yml    rules for a plain Prometheus (rule_files)
#   deploy/kubernetes/prometheusrule.yaml  the same rules as a PrometheusRule for the Operator
#   grafana/dashboards/<name>.json         every dashboard of grafanaDashboards
# Run it after changing the mixin and commit the result; a test fails while a render is stale.
# Needs jsonnet (the C++ or Go one) and jq.
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

# Each file is written to a temporary name first: a dashboard source may import the committed JSON.
write() { # write FILE JSONNET_EXPR [jq]
    local file=$1 expr=$2 tmp
    tmp=$(mktemp "$file.XXXXXX")
    if [ "${3:-}" = jq ]; then
        jsonnet -e "$expr" | jq . >"$tmp"
    else
        jsonnet -S -e "$expr" >"$tmp"
    fi
    mv "$tmp" "$file"
}

write "$out/deploy/prometheus/listenq.rules.yml" "(import 'render.libsonnet').rules"
write "$out/deploy/kubernetes/prometheusrule.yaml" "(import 'render.libsonnet').prometheusRule"
jsonnet -S -e "(import 'render.libsonnet').dashboardNames" | while read -r name; do
    case $name in
        *[!A-Za-z0-9._-]* | "") echo "render.sh: bad dashboard file name '$name'" >&2; exit 1 ;;
    esac
    write "$out/grafana/dashboards/$name" "(import 'render.libsonnet').dashboard('$name')" jq
done
