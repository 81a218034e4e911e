#!/usr/bin/env bash
# Offline check of grafana/dashboards/*.json (Grafana itself cannot be installed here):
#  1. JSON Schema validation against the dashboard type that @grafana/schema ships
#     (dist/types/raw/dashboard/x/types.gen.d.ts, type Dashboard), turned into a JSON Schema with
#     ts-json-schema-generator and checked with ajv. Interfaces there forbid unknown properties,
#     so a misspelt key fails.
#     Prometheus annotation queries' top-level fields are added to the schema (see below).
#  2. lint-dashboards.mjs: the ${datasource} variable is used everywhere, ids are unique.
#  3. Every panel query and query-variable query (list-queries.mjs, variables substituted) must
#     parse as PromQL: they become recording rules in a temporary file for `promtool check rules`.
# Needs node, npm (and the npm registry) and promtool. The npm packages go to a temporary
# directory that is removed afterwards: nothing is installed into the repository.
# Usage: grafana/check/check-dashboards.sh [dashboard.json ...]   (default: all dashboards)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
if [ "$#" -gt 0 ]; then
  dashboards=("$@")
else
  dashboards=("$root"/grafana/dashboards/*.json)
fi

for tool in node npm promtool; do
  command -v "$tool" >/dev/null || { echo "check-dashboards: $tool not found" >&2; exit 127; }
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "== installing schema tools (temporary directory)"
(
  cd "$work"
  npm init -y >/dev/null
  npm install --no-audit --no-fund --no-package-lock --loglevel=error \
    @grafana/schema@13.2.3 ts-json-schema-generator@2.9.0 ajv-cli@5.0.0 ajv-formats@3.0.1 >/dev/null
)

echo "== generating the Dashboard JSON Schema from @grafana/schema"
"$work/node_modules/.bin/ts-json-schema-generator" \
  --path "$work/node_modules/@grafana/schema/dist/types/raw/dashboard/x/types.gen.d.ts" \
  --type Dashboard --out "$work/dashboard.schema.json"
# The schema types only the built-in Grafana annotation source (its `target`); a Prometheus annotation
# keeps its query at the top level (expr, step, titleFormat, textFormat, tagKeys, useValueForTime: the
# fields of Grafana's Prometheus AnnotationQueryEditor). Allow exactly those, still nothing misspelt.
node -e '
  const fs = require("fs"), f = process.argv[1], s = JSON.parse(fs.readFileSync(f, "utf8"));
  const str = { type: "string" };
  Object.assign(s.definitions.AnnotationQuery.properties, {
    expr: str, step: str, titleFormat: str, textFormat: str, tagKeys: str, useValueForTime: { type: "boolean" } });
  fs.writeFileSync(f, JSON.stringify(s));' "$work/dashboard.schema.json"

failed=0
echo "== validating ${#dashboards[@]} dashboard(s) against the schema"
for d in "${dashboards[@]}"; do
  # ajv-cli loads -c modules relative to the working directory.
  if ! (cd "$work" && ./node_modules/.bin/ajv validate --spec=draft7 --strict=false --all-errors \
        --errors=text -c ajv-formats -s dashboard.schema.json -d "$d"); then
    failed=1
  fi
done

echo "== linting dashboards"
node "$here/lint-dashboards.mjs" "${dashboards[@]}" || failed=1

echo "== parsing every dashboard query with promtool"
node "$here/list-queries.mjs" "${dashboards[@]}" > "$work/queries.tsv" || failed=1
{
  echo "groups:"
  echo "  - name: dashboard-queries"
  echo "    rules:"
  n=0
  while IFS=$'\t' read -r uid where ref expr; do
    n=$((n + 1))
    # The expression as a JSON string is a valid YAML double-quoted scalar.
    printf '      # %s %s %s\n' "$uid" "$where" "$ref"
    printf '      - record: dashboard_query_%d\n' "$n"
    printf '        expr: %s\n' "$(node -e 'process.stdout.write(JSON.stringify(process.argv[1]))' "$expr")"
  done < "$work/queries.tsv"
} > "$work/queries.rules.yml"
count=$(grep -c '^      - record:' "$work/queries.rules.yml" || true)
if [ "$count" -eq 0 ]; then
  echo "no queries found in the dashboards" >&2
  failed=1
elif ! promtool check rules "$work/queries.rules.yml"; then
  failed=1
fi
echo "   $count queries checked"

if [ "$failed" -ne 0 ]; then
  echo "check-dashboards: FAILED" >&2
  exit 1
fi
echo "check-dashboards: OK"
