import { runProcess } from './run-process.js';

// Docker leftovers through the docker CLI (the engine the tests use: DOCKER_HOST or the default
// socket). Only resources carrying the project's ownership label are ever removed, and only those whose
// name or project label an earlier run claimed.

const OWNER = 'label=nn.managed-by=notary-control-plane';

export interface DockerRemoved {
  containers: number;
  volumes: number;
  networks: number;
}

async function docker(args: readonly string[]): Promise<string[]> {
  const r = await runProcess('docker', args, { timeoutMs: 120_000 });
  if (r.code !== 0) throw new Error(`docker ${args.join(' ')}: ${r.stderr.trim()}`);
  return r.stdout.split('\n').filter((l) => l.trim() !== '');
}

/** `id name` lines listed with `filters` (docker's name filter is a substring match: checked here). */
async function listed(
  what: 'ps' | 'volume' | 'network',
  filters: readonly string[],
  prefix: string | undefined,
): Promise<string[]> {
  const format =
    what === 'ps' ? '{{.ID}} {{.Names}}' : what === 'volume' ? '{{.Name}} {{.Name}}' : '{{.ID}} {{.Name}}';
  const cmd = what === 'ps' ? ['ps', '-a'] : [what, 'ls'];
  const args = [...cmd, '--format', format, ...filters.flatMap((f) => ['--filter', f])];
  return (await docker(args))
    .map((l) => l.split(' ') as [string, string])
    .filter(([, name]) => prefix === undefined || name.startsWith(prefix))
    .map(([id]) => id);
}

/** Removes the labelled containers (with their anonymous volumes), then networks and volumes. */
export async function removeDocker(
  selector: { readonly prefix: string } | { readonly project: string },
): Promise<DockerRemoved> {
  const prefix = 'prefix' in selector ? selector.prefix : undefined;
  const filters =
    'prefix' in selector
      ? [OWNER, `name=${selector.prefix}`]
      : [OWNER, `label=nn.project=${selector.project}`];
  const containers = await listed('ps', filters, prefix);
  if (containers.length > 0) await docker(['rm', '-f', '-v', ...containers]);
  const networks = await listed('network', filters, prefix);
  for (const id of networks) await docker(['network', 'rm', id]).catch(() => undefined);
  const volumes = await listed('volume', filters, prefix);
  if (volumes.length > 0) await docker(['volume', 'rm', '-f', ...volumes]);
  return { containers: containers.length, volumes: volumes.length, networks: networks.length };
}
