import { volumePath } from '../docker/tar.js';
import { InvalidSpecError } from '../errors.js';
import { validateUnitSpec } from '../spec-schema.js';
import type { UnitSpec } from '../types/unit-spec.js';
import {
  apiServiceName,
  dataClaimName,
  filesSecretName,
  p2pServiceName,
  podName,
  policyName,
} from './kube-names.js';
import { DEFAULT_NODE_PORT_RANGE, type KubeUnitOptions } from './kube-options.js';

/** RFC 1123 label: object names of Services, the pod's hostname, volume names in a pod spec. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** RFC 1123 subdomain: node and PVC names. */
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;
/** Paths travel as arguments of the files init container: no quoting questions at all. */
const FILE_PATH = /^[A-Za-z0-9._/-]+$/;
/** A Secret holds at most 1 MiB; this leaves room for its metadata. */
const MAX_FILES_BYTES = 1_000_000;

/**
 * Size of the unit's data claim (a Kubernetes quantity such as 50Gi), per chain: the orchestrator puts
 * it in UnitSpec.labels from the chain's parameters; without it the runtime's storage.size.
 */
export const LABEL_STORAGE_SIZE = 'nn.storage-size';
const QUANTITY = /^[1-9][0-9]{0,5}(Mi|Gi|Ti)$/;

const unsupported = (field: string, why: string) => `${field}: not supported on kubernetes: ${why}`;

function labelKeyIssue(key: string): string | null {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : null;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== null && !DNS_SUBDOMAIN.test(prefix)) return 'the key prefix must be a DNS subdomain';
  if (!LABEL_NAME.test(name))
    return 'the key name must be 1-63 of A-Z a-z 0-9 - _ . (alphanumeric at both ends)';
  return null;
}

function labelIssues(spec: UnitSpec): string[] {
  const issues: string[] = [];
  for (const [key, value] of Object.entries(spec.labels ?? {})) {
    const keyIssue = labelKeyIssue(key);
    if (keyIssue) issues.push(`labels.${key}: ${keyIssue}`);
    if (!LABEL_VALUE.test(value))
      issues.push(
        `labels.${key}: a label value is at most 63 of A-Z a-z 0-9 - _ . (alphanumeric at both ends)`,
      );
  }
  return issues;
}

function nameIssues(spec: UnitSpec): string[] {
  const issues: string[] = [];
  const derived = [apiServiceName, p2pServiceName, filesSecretName, policyName, podName].map((f) =>
    f(spec.name),
  );
  if (derived.some((n) => !DNS_LABEL.test(n)))
    issues.push('name: its object names must be DNS labels of at most 63');
  if (!DNS_SUBDOMAIN.test(spec.node) || !LABEL_VALUE.test(spec.node))
    issues.push('node: a Kubernetes node name (lowercase DNS name, at most 63 here: it is a label value)');
  if (!DNS_LABEL.test(dataClaimName(spec)))
    issues.push('volume.name: a claim name here is a DNS label (a-z 0-9 -, at most 63)');
  (spec.mounts ?? []).forEach((m, i) => {
    if (!DNS_LABEL.test(m.volume))
      issues.push(`mounts.${i}.volume: a claim name here is a DNS label (a-z 0-9 -, at most 63)`);
  });
  return issues;
}

function portIssues(spec: UnitSpec, options: KubeUnitOptions): string[] {
  const issues: string[] = [];
  const seen = new Map<string, string>([[`${spec.sidecar.port ?? 8080}/tcp`, 'sidecar.port']]);
  const [low, high] = options.nodePortRange ?? DEFAULT_NODE_PORT_RANGE;
  (spec.ports ?? []).forEach((p, i) => {
    const key = `${p.container}/${p.protocol ?? 'tcp'}`;
    const other = seen.get(key);
    if (other) issues.push(`ports.${i}.container: duplicates ${other} in the pod`);
    else seen.set(key, `ports.${i}.container`);
    if (options.p2pExposure === 'NodePort' && (p.host < low || p.host > high))
      issues.push(`ports.${i}.host: a NodePort must be in ${low}-${high}`);
  });
  return issues;
}

function fileIssues(spec: UnitSpec): string[] {
  const issues: string[] = [];
  const files = spec.files ?? [];
  const owner = (f: (typeof files)[number]) => `${f.uid ?? 10001}:${f.gid ?? f.uid ?? 10001}`;
  const mount = spec.volume?.mountPath ?? '/data';
  let bytes = 0;
  files.forEach((f, i) => {
    if (!FILE_PATH.test(f.path) || volumePath(f.path, mount) === '')
      issues.push(`files.${i}.path: on kubernetes only A-Z a-z 0-9 . _ / - (a file below the volume root)`);
    if (owner(f) !== owner(files[0] ?? f))
      issues.push(
        unsupported(`files.${i}.uid`, 'every file of a unit has one owner (the files step runs as it)'),
      );
    bytes += typeof f.content === 'string' ? Buffer.byteLength(f.content) : f.content.byteLength;
  });
  if (bytes > MAX_FILES_BYTES)
    issues.push(unsupported('files', `more than ${MAX_FILES_BYTES} bytes (one Secret)`));
  return issues;
}

/**
 * The generic spec checks, then what Kubernetes would refuse or cannot mean, each as `field: reason`;
 * called before any API call.
 */
export function validateKubeSpec(raw: unknown, options: KubeUnitOptions): UnitSpec {
  const spec = validateUnitSpec(raw);
  const issues = [
    ...nameIssues(spec),
    ...labelIssues(spec),
    ...portIssues(spec, options),
    ...fileIssues(spec),
  ];
  const size = spec.labels?.[LABEL_STORAGE_SIZE];
  if (size !== undefined && !QUANTITY.test(size))
    issues.push(`labels.${LABEL_STORAGE_SIZE}: a size such as 50Gi (Mi, Gi or Ti)`);
  if (spec.restart === 'no' || spec.restart === 'on-failure')
    issues.push(unsupported('restart', 'a StatefulSet pod always restarts (use unless-stopped or always)'));
  if (spec.logs)
    issues.push(
      unsupported(
        'logs',
        "the kubelet rotates every container's log (containerLogMaxSize, containerLogMaxFiles)",
      ),
    );
  if (issues.length) throw new InvalidSpecError(issues);
  return spec;
}
