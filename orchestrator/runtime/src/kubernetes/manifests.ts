import { createHash } from 'node:crypto';
import { StatefulSet } from 'kubernetes-models/apps/v1';
import type { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import {
  type IPersistentVolumeClaimSpec,
  PersistentVolumeClaim,
  Secret,
  Service,
} from 'kubernetes-models/v1';
import { DEFAULT_SIDECAR_PORT, specHash } from '../docker/unit-layout.js';
import { errorText, InvalidSpecError } from '../errors.js';
import type { UnitSpec } from '../types/unit-spec.js';
import { ownerLabels, selectorLabels, unitLabels } from './kube-labels.js';
import {
  ANNOTATION_SPEC_HASH,
  apiServiceName,
  dataClaimName,
  filesSecretName,
  kubeProtocol,
  p2pServiceName,
  secretKey,
  setName,
} from './kube-names.js';
import { unitNetworkPolicy } from './kube-network-policy.js';
import { DEFAULT_DATA_SIZE, DEFAULT_SHARED_SIZE, type KubeUnitOptions } from './kube-options.js';
import { unitPodSpec } from './kube-pod.js';
import { LABEL_STORAGE_SIZE, validateKubeSpec } from './kube-validate.js';

/** Every object of one unit, as the adapter applies them (and the podman proof plays the pod template). */
export interface UnitObjects {
  /** One replica: files step, native sidecar, daemon. */
  readonly statefulSet: StatefulSet;
  /** Headless `<unit>-sidecar`: the sidecar API by DNS, ready or not. */
  readonly service: Service;
  /** `<unit>-p2p` for NodePort/LoadBalancer exposure with p2p ports; null for hostPort or none. */
  readonly p2pService: Service | null;
  /** `<unit>-files`: UnitSpec.files, copied into the data volume at each pod start; null without files. */
  readonly secret: Secret | null;
  readonly networkPolicy: NetworkPolicy;
  /** The data volume (named as the Runtime contract names volumes: ensureVolume/putFiles reach it). */
  readonly dataClaim: PersistentVolumeClaim;
  /** Claims of UnitSpec.mounts, made if missing (owned by the unit that made them). */
  readonly sharedClaims: readonly PersistentVolumeClaim[];
  /** Digest of the spec and the options: a set with another digest is replaced. */
  readonly specHash: string;
}

const sorted = (o: object) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));

/** The spec's digest (as the Docker adapter's) and what the options change in the objects. */
export function kubeSpecHash(spec: UnitSpec, options: KubeUnitOptions): string {
  return createHash('sha256')
    .update(specHash(spec))
    .update(
      JSON.stringify(options, (_, v) => (v && typeof v === 'object' && !Array.isArray(v) ? sorted(v) : v)),
    )
    .digest('hex')
    .slice(0, 32);
}

function claim(
  name: string,
  labels: Record<string, string>,
  options: KubeUnitOptions,
  size: string,
  mode: NonNullable<IPersistentVolumeClaimSpec['accessModes']>[number],
) {
  const className = options.storage?.className;
  return new PersistentVolumeClaim({
    metadata: { name, namespace: options.namespace, labels },
    spec: {
      accessModes: [mode],
      ...(className ? { storageClassName: className } : {}),
      resources: { requests: { storage: size } },
    },
  });
}

function services(spec: UnitSpec, options: KubeUnitOptions) {
  const port = spec.sidecar.port ?? DEFAULT_SIDECAR_PORT;
  const meta = (name: string) => ({ name, namespace: options.namespace, labels: unitLabels(spec) });
  const service = new Service({
    metadata: meta(apiServiceName(spec.name)),
    spec: {
      clusterIP: 'None',
      // The API answers /v1/status long before the chain is in sync (readiness): DNS from the start.
      publishNotReadyAddresses: true,
      selector: selectorLabels(spec.name),
      ports: [{ name: 'api', port, targetPort: port, protocol: 'TCP' }],
    },
  });
  const ports = spec.ports ?? [];
  const nodePort = options.p2pExposure === 'NodePort';
  const p2pService =
    options.p2pExposure === 'hostPort' || !ports.length
      ? null
      : new Service({
          metadata: meta(p2pServiceName(spec.name)),
          spec: {
            type: options.p2pExposure,
            // Peers' own addresses reach the daemon (its ban list works), through the pod's node only.
            externalTrafficPolicy: 'Local',
            selector: selectorLabels(spec.name),
            ports: ports.map((p, i) => ({
              name: `p2p-${i}`,
              protocol: kubeProtocol(p),
              port: p.host,
              targetPort: p.container,
              ...(nodePort ? { nodePort: p.host } : {}),
            })),
          },
        });
  return { service, p2pService };
}

function filesSecret(spec: UnitSpec, options: KubeUnitOptions): Secret | null {
  const files = spec.files ?? [];
  if (!files.length) return null;
  return new Secret({
    metadata: { name: filesSecretName(spec.name), namespace: options.namespace, labels: unitLabels(spec) },
    type: 'Opaque',
    data: Object.fromEntries(files.map((f, i) => [secretKey(i), Buffer.from(f.content).toString('base64')])),
  });
}

function statefulSet(spec: UnitSpec, options: KubeUnitOptions, hash: string): StatefulSet {
  const annotations = { [ANNOTATION_SPEC_HASH]: hash };
  return new StatefulSet({
    metadata: {
      name: setName(spec.name),
      namespace: options.namespace,
      labels: unitLabels(spec),
      annotations,
    },
    spec: {
      replicas: 1,
      serviceName: apiServiceName(spec.name),
      selector: { matchLabels: selectorLabels(spec.name) },
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate' },
      revisionHistoryLimit: 3,
      template: {
        metadata: { labels: unitLabels(spec), annotations },
        spec: unitPodSpec(spec, options),
      },
    },
  });
}

/** Each object against the Kubernetes OpenAPI schema: a spec that yields a refused object is bad input. */
function validated(objects: UnitObjects): UnitObjects {
  const all = [
    objects.statefulSet,
    objects.service,
    objects.p2pService,
    objects.secret,
    objects.networkPolicy,
  ];
  for (const o of [...all, objects.dataClaim, ...objects.sharedClaims]) {
    if (!o) continue;
    try {
      o.validate();
    } catch (err) {
      throw new InvalidSpecError([
        `(${o.kind} ${o.metadata?.name}): refused by the Kubernetes schema: ${errorText(err)}`,
      ]);
    }
  }
  return objects;
}

/**
 * The Kubernetes objects of a unit, pure (no API call): the spec is checked first (InvalidSpecError
 * naming each bad field), then every object against the Kubernetes 1.32 OpenAPI schema.
 */
export function unitObjects(raw: UnitSpec, options: KubeUnitOptions): UnitObjects {
  const spec = validateKubeSpec(raw, options);
  const hash = kubeSpecHash(spec, options);
  const size = spec.labels?.[LABEL_STORAGE_SIZE] ?? options.storage?.size ?? DEFAULT_DATA_SIZE;
  const shared = options.storage?.sharedAccessMode ?? 'ReadWriteMany';
  const sharedSize = options.storage?.sharedSize ?? DEFAULT_SHARED_SIZE;
  return validated({
    statefulSet: statefulSet(spec, options, hash),
    ...services(spec, options),
    secret: filesSecret(spec, options),
    networkPolicy: unitNetworkPolicy(spec, options),
    dataClaim: claim(dataClaimName(spec), unitLabels(spec), options, size, 'ReadWriteOnce'),
    sharedClaims: (spec.mounts ?? []).map((m) =>
      claim(m.volume, { ...ownerLabels(spec.name) }, options, sharedSize, shared),
    ),
    specHash: hash,
  });
}
