import type { UnitSpec } from '../types/unit-spec.js';

/**
 * Object names of a unit. The headless Service is `<unit>-sidecar`, so the sidecar API answers at the
 * same DNS name as on Docker's cluster network (UnitHandle.localEndpoint) inside the namespace.
 */
export const setName = (unit: string): string => unit;
export const apiServiceName = (unit: string): string => `${unit}-sidecar`;
export const p2pServiceName = (unit: string): string => `${unit}-p2p`;
export const filesSecretName = (unit: string): string => `${unit}-files`;
export const policyName = (unit: string): string => `${unit}-api`;
/** The pod of a one-replica StatefulSet has this fixed name. */
export const podName = (unit: string): string => `${unit}-0`;

/** Container names in the pod: UnitContainer values, plus the init step that copies UnitSpec.files. */
export const SIDECAR = 'sidecar';
export const DAEMON = 'daemon';
export const FILES_INIT = 'files';

/** Where the files Secret is mounted (read-only) in the files init container. */
export const FILES_SOURCE = '/nn/files';

/** A PortMapping's protocol as Kubernetes spells it. */
export const kubeProtocol = (p: { readonly protocol?: 'tcp' | 'udp' }): 'TCP' | 'UDP' =>
  p.protocol === 'udp' ? 'UDP' : 'TCP';

export const secretKey = (index: number): string => `f${index}`;

/** Volume names inside the pod spec. */
export const DATA_VOLUME = 'data';
export const FILES_VOLUME = 'files';
export const sharedVolume = (index: number): string => `shared-${index}`;

export const dataClaimName = (spec: UnitSpec): string => spec.volume?.name ?? `${spec.name}-data`;

/**
 * Annotation keys. The spec hash is an annotation (also on the pod template, so a new hash rolls the
 * pod); the last observed container states survive a stop (scaled to 0, the pod is gone).
 */
export const ANNOTATION_SPEC_HASH = 'nn.spec-hash';
/** On the set, written by stopUnit: the containers' exit codes, for handles while no pod exists. */
export const ANNOTATION_LAST_EXIT = 'nn.last-exit';
export const ANNOTATION_RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';

/**
 * A unit that bridges to `target` carries this label (value 'true'): `target`'s NetworkPolicy admits
 * its pods to the sidecar API. The orchestrator puts it in the client unit's UnitSpec.labels.
 */
export const bridgeLabel = (target: string): string => `nn.bridge/${target}`;
export const APP_MANAGED_BY = 'app.kubernetes.io/managed-by';
export const APP_INSTANCE = 'app.kubernetes.io/instance';
