import { DockerRuntime, type Runtime } from '@nn/runtime';
import { KubernetesRuntime } from '@nn/runtime/kubernetes';
import type { Logger } from 'pino';
import type { OrchestratorConfig } from './config.js';

/**
 * The runtime the config names: a Kubernetes cluster when it has a `kubernetes` section, else the
 * Docker runtime over the nodes' engines.
 */
export function makeRuntime(config: OrchestratorConfig, helperImage: string, log: Logger): Runtime {
  if (config.kubernetes)
    return new KubernetesRuntime(
      { ...config.kubernetes, network: config.kubernetes.network ?? config.network, helperImage },
      log,
    );
  return new DockerRuntime(
    {
      engines: config.nodes.map(({ capacity: _c, schedulable: _s, ...engine }) => engine),
      network: config.network,
      helperImage,
    },
    log,
  );
}
