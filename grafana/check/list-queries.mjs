#!/usr/bin/env node
// Lists every PromQL query of the dashboards: panel target `expr`s (rows' nested panels included),
// annotation queries and query-variable queries (the selector inside label_values(...) /
// query_result(...)), with
// dashboard variables replaced by plausible values so the result parses as PromQL and can be run
// against a Prometheus that scrapes the exporter.
//
// Usage: node list-queries.mjs [--set name=value ...] [--raw] dashboard.json ...
// Output: one query per line, tab-separated: dashboard uid, panel or variable, refId, expr.
// --raw prints the expressions without substitution. Exits 2 when a `$variable` is left that has
// no value (a typo in a dashboard, or a new variable this list does not know yet).
import { readFileSync } from "node:fs";

// Values that match the test fixtures and a default deployment; override with --set.
const values = {
  __rate_interval: "1m",
  __interval: "1m",
  __range: "1h",
  datasource: "prometheus",
  cluster: ".*",
  job: "listenq-exporter",
  instance: "localhost:9469",
  netns: "4026531840",
  listener: "0.0.0.0",
  port: "80",
};

const args = process.argv.slice(2);
const files = [];
let raw = false;
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--set") {
    const [k, ...v] = args[++i].split("=");
    values[k] = v.join("=");
  } else if (args[i] === "--raw") {
    raw = true;
  } else {
    files.push(args[i]);
  }
}

function substitute(expr, where) {
  if (raw) return expr;
  // Grafana's forms: $name, ${name}, ${name:format}, [[name]]. $1, $2 are label_replace's references
  // to regex groups: no variable can have that name, and Grafana leaves them alone.
  const out = expr.replace(/\$\{(\w+)(?::\w+)?\}|\$(\w+)|\[\[(\w+)\]\]/g, (m, a, b, c) => {
    const name = a ?? b ?? c;
    if (/^\d+$/.test(name)) return m;
    if (!(name in values)) {
      console.error(`${where}: no value for variable $${name} (use --set ${name}=...)`);
      process.exitCode = 2;
      return m;
    }
    return values[name];
  });
  return out.replace(/\s+/g, " ").trim();
}

// label_values(selector, label) and query_result(expr) are Grafana functions, not PromQL.
function variableExpr(query) {
  const q = typeof query === "string" ? query : query?.query;
  if (!q) return null;
  let m = q.match(/^\s*label_values\(\s*(.*?)\s*(?:,\s*\w+\s*)?\)\s*$/s);
  if (m) return m[1] === "" ? null : m[1];
  m = q.match(/^\s*query_result\(\s*(.*)\s*\)\s*$/s);
  if (m) return m[1];
  if (/^\s*(label_names|metrics)\(/.test(q)) return null;
  return q;
}

function* panels(list) {
  for (const p of list ?? []) {
    yield p;
    yield* panels(p.panels);
  }
}

for (const file of files) {
  const d = JSON.parse(readFileSync(file, "utf8"));
  const uid = d.uid ?? file;
  for (const v of d.templating?.list ?? []) {
    if (v.type !== "query") continue;
    const e = variableExpr(v.query);
    if (e) console.log([uid, `variable ${v.name}`, "-", substitute(e, `${uid} variable ${v.name}`)].join("\t"));
  }
  for (const a of d.annotations?.list ?? []) {
    if (typeof a.expr !== "string") continue;
    const where = `${uid} annotation "${a.name}"`;
    console.log([uid, `annotation ${a.name}`, "-", substitute(a.expr, where)].join("\t"));
  }
  for (const p of panels(d.panels)) {
    for (const t of p.targets ?? []) {
      if (typeof t.expr !== "string") continue;
      const where = `${uid} panel ${p.id} "${p.title}" ${t.refId}`;
      console.log([uid, `panel ${p.id} ${p.title}`, t.refId ?? "-", substitute(t.expr, where)].join("\t"));
    }
  }
}
