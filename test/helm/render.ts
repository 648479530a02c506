import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import {
  ClusterRole,
  ClusterRoleBinding,
  Role,
  RoleBinding,
} from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { ConfigMap, PersistentVolumeClaim, Secret, Service, ServiceAccount } from 'kubernetes-models/v1';
import { parseAllDocuments } from 'yaml';
import { helm } from './helm.js';
import { CHART_DIR } from './network-files.js';
import { unknownFields } from './unknown-fields.js';

// Renders deploy/helm/notary-node with the real `helm template` and validates each object it makes with
// kubernetes-models (the Kubernetes 1.32 OpenAPI schema; the ServiceMonitor against the Prometheus
// Operator's CRD schema, which is not in the core one), and field by field against the official client's
// models (unknown-fields.ts), which the OpenAPI schema alone lets through.

export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  readonly [key: string]: unknown;
}

interface Validating {
  validate(): void;
}
type Model = new (data: never) => Validating;

/** Every apiVersion/kind the chart may render, with the model that validates it. */
export const MODELS: Readonly<Record<string, Model>> = {
  'v1/ConfigMap': ConfigMap as unknown as Model,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim as unknown as Model,
  'v1/Secret': Secret as unknown as Model,
  'v1/Service': Service as unknown as Model,
  'v1/ServiceAccount': ServiceAccount as unknown as Model,
  'apps/v1/Deployment': Deployment as unknown as Model,
  'apps/v1/StatefulSet': StatefulSet as unknown as Model,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy as unknown as Model,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget as unknown as Model,
  'rbac.authorization.k8s.io/v1/Role': Role as unknown as Model,
  'rbac.authorization.k8s.io/v1/RoleBinding': RoleBinding as unknown as Model,
  'rbac.authorization.k8s.io/v1/ClusterRole': ClusterRole as unknown as Model,
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': ClusterRoleBinding as unknown as Model,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor as unknown as Model,
};

const rendered = new Map<string, string>();

/**
 * `helm template nn <chart> <args>` (each set of arguments rendered once per file: the tests read the
 * same render several ways), fresh objects each call; throws with helm's message on failure.
 */
export function render(args: readonly string[], release = 'nn'): K8sObject[] {
  const key = JSON.stringify([release, ...args]);
  let text = rendered.get(key);
  if (text === undefined) {
    const r = helm(['template', release, CHART_DIR, '--namespace', 'notary', ...args]);
    if (r.code !== 0) throw new Error(`helm template ${args.join(' ')} failed:\n${r.stderr}`);
    text = r.stdout;
    rendered.set(key, text);
  }
  // YAML 1.1, as Kubernetes reads manifests (sigs.k8s.io/yaml): 0440 is octal there.
  return parseAllDocuments(text, { version: '1.1' })
    .map((d) => d.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null);
}

/** A render of its own, never cached (what a second `helm install` would make). */
export function renderAgain(args: readonly string[]): K8sObject[] {
  const r = helm(['template', 'nn', CHART_DIR, '--namespace', 'notary', ...args]);
  if (r.code !== 0) throw new Error(`helm template ${args.join(' ')} failed:\n${r.stderr}`);
  return parseAllDocuments(r.stdout, { version: '1.1' }).map((d) => d.toJS() as K8sObject);
}

/** Validates each object against its schema; returns the problems (kind/name: message). */
export function invalidObjects(objects: readonly K8sObject[]): string[] {
  const problems: string[] = [];
  for (const o of objects) {
    const model = MODELS[`${o.apiVersion}/${o.kind}`];
    if (!model) {
      problems.push(`${o.apiVersion}/${o.kind} ${o.metadata.name}: no schema known for this kind`);
      continue;
    }
    try {
      new model(o as never).validate();
    } catch (err) {
      problems.push(`${o.kind} ${o.metadata.name}: ${err instanceof Error ? err.message : String(err)}`);
    }
    // The core kinds also field by field (the ServiceMonitor is a CRD: its schema alone).
    if (!o.apiVersion.startsWith('monitoring.coreos.com/'))
      for (const f of unknownFields(o)) problems.push(`${o.kind} ${o.metadata.name}: unknown field ${f}`);
  }
  return problems;
}

export const byKind = (objects: readonly K8sObject[], kind: string): K8sObject[] =>
  objects.filter((o) => o.kind === kind);

export function named(objects: readonly K8sObject[], kind: string, name: string): K8sObject {
  const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`no ${kind} ${name} in the rendered chart`);
  return o;
}

/** A Secret's data, decoded. */
export function secretData(secret: K8sObject): Record<string, string> {
  const data = (secret.data ?? {}) as Record<string, string>;
  return Object.fromEntries(
    Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]),
  );
}
