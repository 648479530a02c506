import { readFileSync, statSync } from 'node:fs';
import type Docker from 'dockerode';
import { CliError, EXIT } from '../io.js';
import {
  controlLogTail,
  controlState,
  ensureControlContainer,
  removeControlContainer,
} from './control-containers.js';
import type { NodeHome } from './node-home.js';
import { stopProcess } from './processes.js';

// The orchestrator (API and workers in one process) runs as the container <name>-orchestrator from the
// nn/orchestrator image, reading the node's config file: the node's home is mounted at its own path, so
// every path in the config (keys file, secrets dir, elected file) means the same inside and out, and the
// engine's socket at its own path, so the config's unix:// URL does too.

export const ORCHESTRATOR_IMAGE = 'nn/orchestrator:0.1.0';
/** In-flight jobs hand back to the queue at SIGTERM; a long grace lets a step in progress finish. */
const STOP_TIMEOUT_SEC = 120;

export const orchestratorContainerOf = (name: string) => `${name}-orchestrator`;

export async function healthy(apiUrl: string): Promise<boolean> {
  try {
    const res = await fetch(`${apiUrl}/healthz`, { signal: AbortSignal.timeout(2_000) });
    return res.status === 200 && ((await res.json()) as { redis?: string }).redis === 'up';
  } catch {
    return false;
  }
}

/**
 * The container runs as the owner of the node's home (the uid the orchestrator had as a host process),
 * so the 0600 files there stay that user's alone, with the engine socket's group added to reach Docker.
 */
function userOf(home: NodeHome, socketPath: string): { user: string; groupAdd: string[] } {
  const owner = statSync(home.dir);
  return { user: `${owner.uid}:${owner.gid}`, groupAdd: [String(statSync(socketPath).gid)] };
}

/**
 * Leaves a running orchestrator container made from the same image and config as it is (same id);
 * otherwise makes it, and waits until its API answers with Redis up. An orchestrator an earlier nnctl ran
 * as a host process (its pid file) is stopped first.
 */
export async function ensureOrchestrator(
  docker: Docker,
  home: NodeHome,
  apiUrl: string,
  engineUrl: string,
): Promise<{ id: string; how: string }> {
  await stopProcess(home.orchestratorPid, home.configFile, 60_000);
  const name = orchestratorContainerOf(home.name);
  const socketPath = engineUrl.slice('unix://'.length);
  const made = await ensureControlContainer(docker, {
    name,
    image: ORCHESTRATOR_IMAGE,
    cmd: ['--config', home.configFile],
    // The image's HEALTHCHECK asks the API's health route where the config says it listens.
    env: { NN_LOG_LEVEL: process.env.NN_LOG_LEVEL ?? 'info', NN_HEALTH_URL: `${apiUrl}/healthz` },
    ...userOf(home, socketPath),
    binds: [`${home.dir}:${home.dir}`, `${socketPath}:${socketPath}`],
    labels: { 'nn.instance': home.name },
    stopTimeoutSec: STOP_TIMEOUT_SEC,
    inputs: readFileSync(home.configFile, 'utf8'),
  });
  const deadline = Date.now() + 90_000;
  while (!(await healthy(apiUrl))) {
    const state = await controlState(docker, name);
    if (!state?.running || Date.now() > deadline) {
      const tail = await controlLogTail(docker, name);
      throw new CliError(
        `the orchestrator ${state?.running ? 'API did not answer within 90 s' : `container is ${state?.detail ?? 'gone'}`}; docker logs ${name}:\n${tail}`,
        state?.running ? EXIT.unavailable : EXIT.failed,
      );
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return { id: made.id.slice(0, 12), how: made.how };
}

export function stopOrchestrator(docker: Docker, home: NodeHome): Promise<boolean> {
  return removeControlContainer(docker, orchestratorContainerOf(home.name), {
    timeoutSec: STOP_TIMEOUT_SEC,
  });
}
