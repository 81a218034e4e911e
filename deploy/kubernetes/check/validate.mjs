// Offline check of the Kubernetes manifests: each document against the API's JSON schema
// (kubernetes-models, @kubernetes-models/prometheus-operator), then the privilege policy
// that docs/deployment.md promises. Unknown fields are not caught: the models' schemas
// allow additional properties (a cluster's `kubectl apply --validate=strict` would).
//   node validate.mjs FILE.yaml...   exit 0 when every document passes
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { parseAllDocuments } from "yaml";
import { DaemonSet, Deployment } from "kubernetes-models/apps/v1";
import { Secret, Service, ServiceAccount } from "kubernetes-models/v1";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1";
import { PriorityClass } from "kubernetes-models/scheduling.k8s.io/v1";
import { ServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1";

const models = { DaemonSet, Deployment, NetworkPolicy, PriorityClass, Secret, Service, ServiceAccount, ServiceMonitor };
const problems = [];

function exporterContainer(obj) {
  const pod = obj.spec.template.spec;
  return [...(pod.initContainers ?? []), ...pod.containers].find((c) => (c.image ?? "").startsWith("listenq-exporter"));
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
  expect(where, pod.priorityClassName, "a priorityClassName, so node monitoring is not evicted first");
  expect(where, pod.nodeSelector?.["kubernetes.io/os"] === "linux", "nodeSelector kubernetes.io/os: linux");
  // /metrics names every pod's listeners: TLS and basic auth through the web config.
  expect(where, c?.args?.some((a) => a.startsWith("--web.config.file=")), "args must include --web.config.file=");
  for (const probe of [c?.livenessProbe, c?.readinessProbe]) {
    expect(where, probe?.httpGet?.scheme === "HTTPS", "probes over HTTPS");
    expect(where, probe?.httpGet?.httpHeaders?.some((h) => h.name === "Authorization"), "probes send basic auth");
  }
  checkProbes(where, c);
}

// A native sidecar: restartable init container, no readiness or startup probe (they would gate the
// application's Ready condition, docs/deployment.md "Kubernetes sidecar").
function checkNativeSidecar(where, obj, c) {
  const pod = obj.spec.template.spec;
  expect(where, pod.initContainers?.includes(c) && c.restartPolicy === "Always", "an init container with restartPolicy: Always");
  expect(where, !c?.readinessProbe && !c?.startupProbe, "no readinessProbe or startupProbe on the native sidecar");
  expect(where, c?.livenessProbe?.httpGet?.path === "/-/healthy", "liveness probe on /-/healthy");
  expect(where, c?.ports?.some((p) => p.containerPort === 9469), "container port 9469");
}

function checkServiceMonitor(where, obj) {
  expect(where, obj.spec.jobLabel === "app.kubernetes.io/name", "jobLabel app.kubernetes.io/name (job listenq-exporter)");
  for (const e of obj.spec.endpoints) {
    expect(where, e.scheme === "https" && e.tlsConfig, "scheme https with a tlsConfig");
    expect(where, e.basicAuth?.username && e.basicAuth?.password, "basicAuth from a Secret");
  }
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
  if (pod.initContainers?.includes(c)) checkNativeSidecar(where, obj, c);
  else checkProbes(where, c);
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
    if (obj.kind === "ServiceMonitor") checkServiceMonitor(where, obj);
    if (problems.length === before) console.log(`ok ${where} ${obj.kind} ${obj.metadata.name}`);
  }
}
for (const p of problems) console.error(`FAIL ${p}`);
process.exit(problems.length ? 1 : 0);
