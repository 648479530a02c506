import { runProcess } from './run-process.js';

// Docker leftovers through the docker CLI (the engine the tests use: DOCKER_HOST or the default
// socket). Only resources carrying the project's ownership label are ever removed, and only those whose
// name or project label an earlier run claimed.

const OWNER = 'label=nn.managed-by=notary-control-plane';

export type DockerSelector = { readonly prefix: string } | { readonly project: string };

export interface DockerFound {
  /** Container and network ids, volume names. */
  containers: string[];
  networks: string[];
  volumes: string[];
}

async function docker(args: readonly string[]): Promise<string[]> {
  const r = await runProcess('docker', args, { timeoutMs: 120_000 });
  if (r.code !== 0) throw new Error(`docker ${args.join(' ')}: ${r.stderr.trim()}`);
  return r.stdout.split('\n').filter((l) => l.trim() !== '');
}

const FORMAT = { ps: '{{.ID}} {{.Names}}', volume: '{{.Name}} {{.Name}}', network: '{{.ID}} {{.Name}}' };

/** Ids of what `selector` names (docker's name filter is a substring match: the prefix is checked here). */
async function listed(what: keyof typeof FORMAT, selector: DockerSelector): Promise<string[]> {
  const prefix = 'prefix' in selector ? selector.prefix : undefined;
  const filters = [
    OWNER,
    'prefix' in selector ? `name=${selector.prefix}` : `label=nn.project=${selector.project}`,
  ];
  const cmd = what === 'ps' ? ['ps', '-a'] : [what, 'ls'];
  const lines = await docker([...cmd, '--format', FORMAT[what], ...filters.flatMap((f) => ['--filter', f])]);
  return lines
    .map((l) => l.split(' ') as [string, string])
    .filter(([, name]) => prefix === undefined || name.startsWith(prefix))
    .map(([id]) => id);
}

/** The labelled containers, networks and volumes the selector names. */
export async function findDocker(selector: DockerSelector): Promise<DockerFound> {
  return {
    containers: await listed('ps', selector),
    networks: await listed('network', selector),
    volumes: await listed('volume', selector),
  };
}

/** Removes the labelled containers (with their anonymous volumes), then networks and volumes. */
export async function removeDocker(selector: DockerSelector): Promise<DockerFound> {
  const containers = await listed('ps', selector);
  if (containers.length > 0) await docker(['rm', '-f', '-v', ...containers]);
  // A network still used by a container of someone else's is left (docker refuses): not ours to force.
  const networks = await listed('network', selector);
  for (const id of networks) await docker(['network', 'rm', id]).catch(() => undefined);
  const volumes = await listed('volume', selector);
  if (volumes.length > 0) await docker(['volume', 'rm', '-f', ...volumes]);
  return { containers, networks, volumes };
}
