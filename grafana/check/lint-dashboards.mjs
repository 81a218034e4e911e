#!/usr/bin/env node
// House rules for our dashboards that the Grafana JSON schema cannot express:
// - a `datasource` variable of type datasource (query "prometheus"), and every panel, target and
//   query variable uses it (uid "${datasource}"), so no data source uid is baked in;
// - unique dashboard uids and unique panel ids within a dashboard;
// - every panel but rows has at least one target with an expr.
// Usage: node lint-dashboards.mjs dashboard.json ...   Exits 1 and names each problem.
import { readFileSync } from "node:fs";

const problems = [];
const uids = new Map();
const usesVar = (ds) => ds && ds.type === "prometheus" && ds.uid === "${datasource}";

function* panels(list) {
  for (const p of list ?? []) {
    yield p;
    yield* panels(p.panels);
  }
}

for (const file of process.argv.slice(2)) {
  const d = JSON.parse(readFileSync(file, "utf8"));
  const bad = (msg) => problems.push(`${file}: ${msg}`);
  if (!d.uid) bad("no uid");
  else if (uids.has(d.uid)) bad(`uid ${d.uid} also used by ${uids.get(d.uid)}`);
  else uids.set(d.uid, file);

  const vars = d.templating?.list ?? [];
  const ds = vars.find((v) => v.name === "datasource");
  if (!ds || ds.type !== "datasource" || ds.query !== "prometheus") {
    bad('needs a variable "datasource" of type datasource with query "prometheus"');
  }
  for (const v of vars) {
    if (v.type === "query" && !usesVar(v.datasource)) bad(`variable ${v.name} does not use \${datasource}`);
  }
  const ids = new Set();
  for (const p of panels(d.panels)) {
    if (ids.has(p.id)) bad(`panel id ${p.id} used twice`);
    ids.add(p.id);
    if (p.type === "row") continue;
    const where = `panel ${p.id} "${p.title}"`;
    if (!usesVar(p.datasource)) bad(`${where} does not use \${datasource}`);
    const targets = p.targets ?? [];
    if (!targets.some((t) => typeof t.expr === "string" && t.expr.trim())) bad(`${where} has no query`);
    const refIds = new Set();
    for (const t of targets) {
      if (!usesVar(t.datasource)) bad(`${where} target ${t.refId} does not use \${datasource}`);
      if (refIds.has(t.refId)) bad(`${where} refId ${t.refId} used twice`);
      refIds.add(t.refId);
    }
  }
}
for (const p of problems) console.error(p);
process.exit(problems.length ? 1 : 0);
