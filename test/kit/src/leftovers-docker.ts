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

/**
 * The labelled containers mounting one of `volumes`: the runtime's helper containers (file copies into
 * a unit's volume) are named nn-files-<hex>, not after the unit, and outlive a run killed while they ran.
 */
async function mounting(volumes: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const v of volumes)
    out.push(...(await docker(['ps', '-a', '-q', '--filter', OWNER, '--filter', `volume=${v}`])));
  return [...new Set(out)];
}

/** The labelled containers, networks and volumes the selector names (and containers using those volumes). */
export async function findDocker(selector: DockerSelector): Promise<DockerFound> {
  const volumes = await listed('volume', selector);
  const containers = [...new Set([...(await listed('ps', selector)), ...(await mounting(volumes))])];
  return { containers, networks: await listed('network', selector), volumes };
}

/**
 * Removes containers, those that joined another's network namespace (a unit's daemon, `--network
 * container:<sidecar>`) first: `docker rm` removes its arguments in parallel, and a sidecar removed at the
 * same time as the daemon in its namespace left the cluster network with an endpoint it kept for minutes
 * ("has active endpoints", no container on it), which made the network outlive the clean-up.
 */
async function removeContainers(ids: readonly string[]): Promise<void> {
  const modes = await docker(['inspect', '--format', '{{.Id}} {{.HostConfig.NetworkMode}}', ...ids]).catch(
    () => [] as string[],
  );
  const joined = new Set(
    modes.filter((l) => l.split(' ')[1]?.startsWith('container:')).map((l) => l.split(' ')[0] ?? ''),
  );
  const first = ids.filter((id) => [...joined].some((full) => full.startsWith(id)));
  const rest = ids.filter((id) => !first.includes(id));
  for (const batch of [first, rest])
    if (batch.length > 0)
      await docker(['rm', '-f', '-v', ...batch]).catch(() => docker(['rm', '-f', '-v', ...batch]));
}

/**
 * Removes a network, trying again for a few seconds: an engine that has just removed the containers on it
 * can still be releasing their endpoints ("has active endpoints"). What still refuses is left, and said.
 */
async function removeNetwork(id: string): Promise<boolean> {
  let last = '';
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      await docker(['network', 'rm', id]);
      return true;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
      if (/No such network|not found/i.test(last)) return true;
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }
  process.stderr.write(`left network ${id} (tried again at the run's end): ${last}\n`);
  return false;
}

/**
 * Removes the labelled containers (with their anonymous volumes), then networks and volumes, and looks
 * again until a look finds nothing: an orchestrator of the killed run may still have been making a unit
 * while its own container was being removed.
 */
export async function removeDocker(
  selector: DockerSelector,
): Promise<DockerFound & { readonly left: readonly string[] }> {
  const removed: DockerFound & { left: string[] } = { containers: [], networks: [], volumes: [], left: [] };
  for (let pass = 1; ; pass += 1) {
    const found = await findDocker(selector);
    const units = found.containers.length + found.volumes.length;
    if (units + found.networks.length === 0) return removed;
    if (pass > 5) throw new Error(`still there after 5 passes: ${JSON.stringify(found)}`);
    if (found.containers.length > 0) await removeContainers(found.containers);
    // A network still used by a container of someone else's is left (docker refuses): not ours to force.
    for (const id of found.networks) if (!(await removeNetwork(id))) removed.left.push(id);
    // A volume a container made meanwhile still uses is refused: the next pass removes that container.
    for (const v of found.volumes) await docker(['volume', 'rm', '-f', v]).catch(() => undefined);
    removed.containers.push(...found.containers);
    removed.networks.push(...found.networks);
    removed.volumes.push(...found.volumes);
    // Only networks (in use by another's container): tried once, left.
    if (units === 0) return removed;
  }
}
