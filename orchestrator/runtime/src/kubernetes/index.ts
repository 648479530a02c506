export type { KubernetesObject } from '@kubernetes/client-node';
export { connectKube, type KubeClient } from './kube-client.js';
export { type KubernetesRuntimeConfig, kubernetesRuntimeConfigSchema } from './kube-config.js';
export { podEvents } from './kube-event-map.js';
export { ownerLabels, selectorLabels, unitLabels } from './kube-labels.js';
export {
  apiServiceName,
  bridgeLabel,
  DAEMON,
  dataClaimName,
  FILES_INIT,
  filesSecretName,
  p2pServiceName,
  podName,
  SIDECAR,
  setName,
} from './kube-names.js';
export { nodeHasImage, parseQuantity, toNodeInfo } from './kube-nodes.js';
export { toUnitHandle } from './kube-observe.js';
export type { KubeUnitOptions, P2pExposure } from './kube-options.js';
export { LABEL_STORAGE_SIZE, validateKubeSpec } from './kube-validate.js';
export { KubernetesRuntime } from './kubernetes-runtime.js';
export { kubeSpecHash, type UnitObjects, unitObjects } from './manifests.js';
