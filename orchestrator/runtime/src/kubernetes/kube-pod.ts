import type {
  IIoK8sApiCoreV1Affinity,
  IIoK8sApiCoreV1Container,
  IIoK8sApiCoreV1PodSpec,
  IIoK8sApiCoreV1Volume,
} from 'kubernetes-models/v1';
import { volumePath } from '../docker/tar.js';
import { DEFAULT_MOUNT_PATH, DEFAULT_SIDECAR_PORT, DEFAULT_STOP_TIMEOUT_SEC } from '../docker/unit-layout.js';
import type { ContainerSpec } from '../types/container-spec.js';
import type { UnitSpec } from '../types/unit-spec.js';
import {
  DAEMON,
  DATA_VOLUME,
  dataClaimName,
  FILES_INIT,
  FILES_SOURCE,
  FILES_VOLUME,
  filesSecretName,
  kubeProtocol,
  SIDECAR,
  secretKey,
  sharedVolume,
} from './kube-names.js';
import { DEFAULT_SIDECAR_RESOURCES, type KubeUnitOptions } from './kube-options.js';

const DEFAULT_UID = 10001;

/**
 * The files step's shell: (source, mode, destination) triples as positional arguments, never spliced
 * into the script. Each file is written beside its target and renamed over it, so a crash leaves the
 * old or the new file. umask 077: new directories are 0700, like the Docker adapter's.
 */
export const FILES_SCRIPT = [
  'set -eu',
  'umask 077',
  'while [ "$#" -ge 3 ]; do',
  '  src=$1; mode=$2; dst=$3; shift 3',
  '  mkdir -p "$(dirname "$dst")"',
  '  cp "$src" "$dst.nn-tmp" && chmod "$mode" "$dst.nn-tmp" && mv -f "$dst.nn-tmp" "$dst"',
  'done',
].join('\n');

/** No privilege at all: what the restricted Pod Security Standard asks of every container. */
const hardened = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
};

function common(c: ContainerSpec): Omit<IIoK8sApiCoreV1Container, 'name'> {
  return {
    image: c.image,
    ...(c.cmd ? { args: [...c.cmd] } : {}),
    ...(c.workdir ? { workingDir: c.workdir } : {}),
    env: (c.env ?? []).map((pair) => {
      const eq = pair.indexOf('=');
      return { name: pair.slice(0, eq), value: pair.slice(eq + 1) };
    }),
    // Files the kubelet would otherwise pull again and again are the operator's images, loaded once.
    imagePullPolicy: 'IfNotPresent',
    securityContext: hardened,
  };
}

const mountPathOf = (spec: UnitSpec) => spec.volume?.mountPath ?? DEFAULT_MOUNT_PATH;

/** Copies UnitSpec.files from the Secret into the data volume before the sidecar starts (every pod start). */
function filesInit(spec: UnitSpec): IIoK8sApiCoreV1Container | null {
  const files = spec.files ?? [];
  if (!files.length) return null;
  const first = files[0];
  const uid = first?.uid ?? DEFAULT_UID;
  const args = files.flatMap((f, i) => [
    `${FILES_SOURCE}/${secretKey(i)}`,
    (f.mode ?? 0o600).toString(8),
    `${mountPathOf(spec).replace(/\/+$/, '')}/${volumePath(f.path, mountPathOf(spec))}`,
  ]);
  return {
    name: FILES_INIT,
    // The sidecar's image: it has the shell and coreutils (busybox) the step needs, and is on the node.
    image: spec.sidecar.image,
    imagePullPolicy: 'IfNotPresent',
    command: ['sh', '-c', FILES_SCRIPT, FILES_INIT, ...args],
    securityContext: { ...hardened, runAsUser: uid, runAsGroup: first?.gid ?? uid },
    volumeMounts: [
      { name: DATA_VOLUME, mountPath: mountPathOf(spec) },
      { name: FILES_VOLUME, mountPath: FILES_SOURCE, readOnly: true },
    ],
  };
}

/** A native sidecar: started first, ready before the daemon starts, outliving the daemon's restarts. */
function sidecarContainer(spec: UnitSpec, options: KubeUnitOptions): IIoK8sApiCoreV1Container {
  const port = spec.sidecar.port ?? DEFAULT_SIDECAR_PORT;
  const probe = (path: string, failureThreshold: number) => ({
    httpGet: { path, port },
    periodSeconds: 10,
    timeoutSeconds: 3,
    failureThreshold,
  });
  return {
    name: SIDECAR,
    ...common(spec.sidecar),
    restartPolicy: 'Always' as const,
    ports: [
      {
        name: 'api',
        containerPort: port,
        protocol: 'TCP',
        ...(options.apiExposure === 'hostPort' ? { hostPort: spec.sidecar.hostPort } : {}),
      },
    ],
    // /healthz once up: it has written the daemon's conf and opened the bridges, so the daemon may start.
    startupProbe: { ...probe('/healthz', 30), periodSeconds: 2 },
    readinessProbe: probe('/readyz', 3),
    livenessProbe: probe('/healthz', 3),
    resources: options.sidecarResources ?? DEFAULT_SIDECAR_RESOURCES,
    volumeMounts: [{ name: DATA_VOLUME, mountPath: mountPathOf(spec) }],
  };
}

function daemonResources(spec: UnitSpec) {
  const r: Record<string, string> = {
    ...(spec.memoryBytes ? { memory: String(spec.memoryBytes) } : {}),
    ...(spec.cpus ? { cpu: `${Math.max(1, Math.round(spec.cpus * 1000))}m` } : {}),
  };
  // Requests equal to the limits: the scheduler places the daemon where what it may use is free.
  return Object.keys(r).length ? { requests: r, limits: r } : {};
}

function daemonContainer(spec: UnitSpec, options: KubeUnitOptions): IIoK8sApiCoreV1Container {
  return {
    name: DAEMON,
    ...common(spec.daemon),
    ports: (spec.ports ?? []).map((p, i) => ({
      name: `p2p-${i}`,
      containerPort: p.container,
      protocol: kubeProtocol(p),
      ...(options.p2pExposure === 'hostPort' ? { hostPort: p.host } : {}),
    })),
    resources: daemonResources(spec),
    volumeMounts: [
      { name: DATA_VOLUME, mountPath: mountPathOf(spec) },
      ...(spec.mounts ?? []).map((m, i) => ({
        name: sharedVolume(i),
        mountPath: m.path,
        readOnly: m.readOnly ?? false,
      })),
    ],
  };
}

function volumes(spec: UnitSpec): IIoK8sApiCoreV1Volume[] {
  const files = spec.files ?? [];
  return [
    { name: DATA_VOLUME, persistentVolumeClaim: { claimName: dataClaimName(spec) } },
    ...(spec.mounts ?? []).map((m, i) => ({
      name: sharedVolume(i),
      persistentVolumeClaim: { claimName: m.volume, readOnly: m.readOnly ?? false },
    })),
    ...(files.length
      ? [
          {
            name: FILES_VOLUME,
            // 0440 and the pod's fsGroup: readable by the files step's group, by nobody else.
            secret: {
              secretName: filesSecretName(spec.name),
              defaultMode: 0o440,
              items: files.map((_, i) => ({ key: secretKey(i), path: secretKey(i) })),
            },
          },
        ]
      : []),
  ];
}

function affinity(spec: UnitSpec, options: KubeUnitOptions): IIoK8sApiCoreV1Affinity {
  const term = {
    matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In' as const, values: [spec.node] }],
  };
  if (options.placement === 'require')
    return {
      nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [term] } },
    };
  return {
    nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, preference: term }] },
  };
}

/** The unit's pod: files step, native sidecar, daemon; one data claim, shared claims, the files Secret. */
export function unitPodSpec(spec: UnitSpec, options: KubeUnitOptions): IIoK8sApiCoreV1PodSpec {
  const files = filesInit(spec);
  const gid = spec.files?.[0]?.gid ?? spec.files?.[0]?.uid ?? DEFAULT_UID;
  return {
    initContainers: [...(files ? [files] : []), sidecarContainer(spec, options)],
    containers: [daemonContainer(spec, options)],
    volumes: volumes(spec),
    // The sidecar's own SIGTERM path stops the daemon gracefully: the whole pod gets the long grace.
    terminationGracePeriodSeconds: spec.stopTimeoutSec ?? DEFAULT_STOP_TIMEOUT_SEC,
    restartPolicy: 'Always',
    // The API server's credentials have no business in a chain unit.
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    securityContext: {
      runAsNonRoot: true,
      fsGroup: gid,
      fsGroupChangePolicy: 'OnRootMismatch',
      seccompProfile: { type: 'RuntimeDefault' },
    },
    affinity: affinity(spec, options),
  };
}
