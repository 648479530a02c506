import type { Logger } from 'pino';
import type { KubeClient } from './kube-client.js';
import type { ResolvedKubernetesRuntimeConfig } from './kube-config.js';
import type { ObserveContext } from './kube-observe.js';
import type { KubeUnitOptions } from './kube-options.js';

/** What every operation of the adapter shares. */
export interface KubeContext {
  readonly client: KubeClient;
  readonly config: ResolvedKubernetesRuntimeConfig;
  readonly unitOptions: KubeUnitOptions;
  readonly observe: ObserveContext;
  readonly log: Logger;
}

export function unitOptionsOf(config: ResolvedKubernetesRuntimeConfig): KubeUnitOptions {
  return {
    namespace: config.namespace,
    p2pExposure: config.p2pExposure,
    apiExposure: config.apiExposure,
    orchestrator: config.orchestrator,
    ...(config.apiPeers.length > 0 ? { apiPeers: config.apiPeers } : {}),
    storage: config.storage,
    placement: config.placement,
    ...(config.nodePortRange ? { nodePortRange: config.nodePortRange } : {}),
  };
}
