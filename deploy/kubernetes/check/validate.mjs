// Offline check of the Kubernetes manifests: each document against the API's JSON schema
// (kubernetes-models, @kubernetes-models/prometheus-operator), then the privilege policy
// that docs/deployment.md promises. Unknown fields are not caught: the models' schemas
// allow additional properties (a cluster's `kubectl apply --validate=strict` would).
//   node validate.mjs FILE.yaml...   exit 0 when every document passes
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { parseAllDocuments } from "yaml";
import { DaemonSet, Deployment } from "kubernetes-models/apps/v1";
import { Service, ServiceAccount } from "kubernetes-models/v1";
import { PrometheusRule, ServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1";

const models = { DaemonSet, Deployment, PrometheusRule, Service, ServiceAccount, ServiceMonitor };
const problems = [];

function exporterContainer(obj) {
  return obj.spec.template.spec.containers.find((c) => (c.image ?? "").startsWith("listenq-exporter"));
}

function expect(where, condition, message) {
  if (!condition) problems.push(`${where}: ${message}`);
}

function sorted(list) {
  return [...(list ?? [])].sort().join(",");
}

// What the namespace mode needs and nothing more (docs/deployment.md, "Kubernetes DaemonSet").
function checkDaemonSet(where, obj) {
  const pod = obj.spec.template.spec;
  const c = exporterContainer(obj);
  const sc = c?.securityContext ?? {};
  expect(where, c, "no listenq-exporter container");
  expect(where, pod.hostPID === true, "hostPID must be true to reach every pod's /proc/<pid>/ns/net");
  expect(where, pod.hostNetwork !== true, "hostNetwork is not needed");
  expect(where, sorted(sc.capabilities?.drop) === "ALL", "capabilities.drop must be [ALL]");
  expect(where, sorted(sc.capabilities?.add) === "SYS_ADMIN,SYS_PTRACE", "capabilities.add must be SYS_ADMIN, SYS_PTRACE");
  expect(where, sc.privileged !== true && sc.allowPrivilegeEscalation === false, "no privileged, no privilege escalation");
  expect(where, sc.readOnlyRootFilesystem === true, "readOnlyRootFilesystem");
  expect(where, c?.args?.includes("--netns=all"), "args must include --netns=all");
  const netns = c?.volumeMounts?.find((m) => m.name === "netns");
  expect(where, netns?.readOnly && netns?.mountPropagation === "HostToContainer", "netns mount read-only, HostToContainer");
  expect(where, c?.resources?.limits?.memory && c?.resources?.requests?.cpu, "resource requests and limits");
  checkProbes(where, c);
}

function checkSidecar(where, obj) {
  const pod = obj.spec.template.spec;
  const c = exporterContainer(obj);
  const sc = { ...(pod.securityContext ?? {}), ...(c?.securityContext ?? {}) };
  expect(where, c, "no listenq-exporter container");
  expect(where, !pod.hostPID && !pod.hostNetwork, "a sidecar shares only its pod's namespaces");
  expect(where, sc.runAsNonRoot === true && sc.runAsUser !== 0, "runAsNonRoot");
  expect(where, !(sc.capabilities?.add?.length), "no added capabilities");
  expect(where, sorted(sc.capabilities?.drop) === "ALL", "capabilities.drop must be [ALL]");
  expect(where, sc.allowPrivilegeEscalation === false && sc.readOnlyRootFilesystem === true, "no escalation, read-only root");
  expect(where, c?.args?.includes("--netns=self"), "args must include --netns=self");
  checkProbes(where, c);
}

function checkProbes(where, c) {
  expect(where, c?.livenessProbe?.httpGet?.path === "/-/healthy", "liveness probe on /-/healthy");
  expect(where, c?.readinessProbe?.httpGet?.path === "/-/ready", "readiness probe on /-/ready");
  expect(where, c?.ports?.some((p) => p.containerPort === 9469), "container port 9469");
}

for (const file of process.argv.slice(2)) {
  for (const [i, doc] of parseAllDocuments(readFileSync(file, "utf8")).entries()) {
    const where = `${basename(file)}#${i}`;
    if (doc.errors.length) {
      problems.push(`${where}: ${doc.errors.map((e) => e.message).join("; ")}`);
      continue;
    }
    const obj = doc.toJS();
    const Model = models[obj?.kind];
    if (!Model) {
      problems.push(`${where}: no schema for kind ${obj?.kind}`);
      continue;
    }
    try {
      new Model(obj).validate();
    } catch (e) {
      problems.push(`${where} ${obj.kind}: ${e.message}`);
      continue;
    }
    const before = problems.length;
    if (obj.kind === "DaemonSet") checkDaemonSet(where, obj);
    if (obj.kind === "Deployment") checkSidecar(where, obj);
    if (problems.length === before) console.log(`ok ${where} ${obj.kind} ${obj.metadata.name}`);
  }
}
for (const p of problems) console.error(`FAIL ${p}`);
process.exit(problems.length ? 1 : 0);
