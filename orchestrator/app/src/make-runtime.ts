import { DockerRuntime, type Runtime } from '@nn/runtime';
import type { Logger } from 'pino';
import type { OrchestratorConfig } from './config.js';

/**
 * The runtime the config names: a Kubernetes cluster when it has a `kubernetes` section, else the
 * Docker runtime over the nodes' engines. The Kubernetes client is loaded only then: a Docker
 * orchestrator does not carry it in memory.
 */
export async function makeRuntime(
  config: OrchestratorConfig,
  helperImage: string,
  log: Logger,
): Promise<Runtime> {
  if (config.kubernetes) {
    const { KubernetesRuntime } = await import('@nn/runtime/kubernetes');
    return new KubernetesRuntime({ ...config.kubernetes, helperImage }, log);
  }
  return new DockerRuntime(
    {
      engines: config.nodes.map(({ capacity: _c, schedulable: _s, ...engine }) => engine),
      network: config.network,
      helperImage,
    },
    log,
  );
}
