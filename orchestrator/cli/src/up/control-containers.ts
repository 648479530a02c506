import { createHash } from 'node:crypto';
import { isOwned, LABEL_OWNER, LABEL_ROLE, LABEL_UNIT, OWNER } from '@nn/runtime';
import Docker from 'dockerode';
import { CliError, EXIT } from '../io.js';

// The control plane's own containers (the orchestrator, a Redis `up` starts): one container each, not a
// daemon + sidecar unit, so they are made here rather than by the runtime, but managed the way it manages
// units: ownership labels (nn.managed-by + nn.unit, so a namesake nobody labelled is never touched), a
// spec hash that replaces a container made from another spec and leaves an unchanged one alone, restart
// policy `always` (CONTROL_RESTART), a long stop time-out, data in labelled volumes and bounded json-file logs.

export const CONTROL_ROLE = 'control';
/** The runtime's label of the spec a container was made from (its units carry the same). */
const LABEL_SPEC_HASH = 'nn.spec-hash';
/** As the runtime's units (and the community's compose files): 20 MB x 10. */
export const CONTROL_LOGS = { 'max-size': '20m', 'max-file': '10' } as const;
/**
 * `always`, not `unless-stopped`: after a crash of dockerd (SIGKILL, an unattended upgrade) the containers
 * outlive it under their shims, and the restarted engine stops them while it loads its containers; moby
 * marks a container it stops outside its own shutdown as stopped by hand, so `unless-stopped` left the
 * orchestrator and Redis exited for good (seen on moby 20.10, test/chaos). `always` brings them back at
 * every engine start, also after a reboot. `nnctl down` removes them, so nothing comes back unasked.
 */
export const CONTROL_RESTART = 'always';

export interface ControlContainerSpec {
  /** Container name and its nn.unit label. */
  readonly name: string;
  readonly image: string;
  readonly cmd: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  /** uid:gid; default the image's user. */
  readonly user?: string;
  readonly groupAdd?: readonly string[];
  /** host:container[:ro] */
  readonly binds?: readonly string[];
  /** Named volume → mount path; made (labelled) when missing. */
  readonly volumes?: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
  readonly stopTimeoutSec: number;
  /** What else replaces the container when it changes (the content of a config file it reads). */
  readonly inputs?: string;
}

export type ControlOutcome = 'running' | 'started' | 'created' | 'replaced';

/** A client of the local engine; no time-out, so a long stop is waited for. */
export function localDocker(engineUrl: string): Docker {
  if (!engineUrl.startsWith('unix://'))
    throw new CliError(`the local engine must be a unix socket, not ${engineUrl}`, EXIT.usage);
  return new Docker({ socketPath: engineUrl.slice('unix://'.length) });
}

const notFound = (err: unknown) => (err as { statusCode?: number }).statusCode === 404;

async function inspectOrUndefined<T>(look: () => Promise<T>): Promise<T | undefined> {
  try {
    return await look();
  } catch (err) {
    if (notFound(err)) return undefined;
    throw err;
  }
}

async function requireImage(docker: Docker, image: string): Promise<void> {
  const found = await inspectOrUndefined(() => docker.getImage(image).inspect());
  if (!found)
    throw new CliError(`image ${image} is missing; build the images with bash images/build.sh`, EXIT.failed);
}

async function ensureVolume(docker: Docker, name: string, unit: string): Promise<void> {
  const found = await inspectOrUndefined(() => docker.getVolume(name).inspect());
  if (found) {
    if (!isOwned(found.Labels, unit))
      throw new CliError(`volume ${name} exists and is not this node's; not touching it`, EXIT.failed);
    return;
  }
  await docker.createVolume({
    Name: name,
    Labels: { [LABEL_OWNER]: OWNER, [LABEL_UNIT]: unit, [LABEL_ROLE]: CONTROL_ROLE },
  });
}

/**
 * As the runtime's units: the image by its reference (a new version is a new tag; images/build.sh tags
 * the package version), so rebuilding the same tag leaves a running container alone.
 */
function specHash(spec: ControlContainerSpec): string {
  const { inputs, ...rest } = spec;
  // The restart policy is in the hash: a container made under another policy is made again by `up`.
  const text = JSON.stringify({ ...rest, logs: CONTROL_LOGS, restart: CONTROL_RESTART });
  return createHash('sha256')
    .update(text)
    .update('\0')
    .update(inputs ?? '')
    .digest('hex')
    .slice(0, 16);
}

async function create(docker: Docker, spec: ControlContainerSpec, hash: string): Promise<string> {
  const container = await docker.createContainer({
    name: spec.name,
    Image: spec.image,
    Cmd: [...spec.cmd],
    Env: Object.entries(spec.env ?? {}).map(([k, v]) => `${k}=${v}`),
    ...(spec.user === undefined ? {} : { User: spec.user }),
    Labels: {
      ...spec.labels,
      [LABEL_OWNER]: OWNER,
      [LABEL_UNIT]: spec.name,
      [LABEL_ROLE]: CONTROL_ROLE,
      [LABEL_SPEC_HASH]: hash,
    },
    StopTimeout: spec.stopTimeoutSec,
    HostConfig: {
      // The host's network: the API stays on the loopback address it names, Redis and the units'
      // published sidecar ports are reached at 127.0.0.1 exactly as a host process reached them.
      NetworkMode: 'host',
      RestartPolicy: { Name: CONTROL_RESTART },
      LogConfig: { Type: 'json-file', Config: { ...CONTROL_LOGS } },
      Binds: [...(spec.binds ?? [])],
      Mounts: Object.entries(spec.volumes ?? {}).map(([source, target]) => ({
        Type: 'volume' as const,
        Source: source,
        Target: target,
      })),
      GroupAdd: [...(spec.groupAdd ?? [])],
    },
  });
  await container.start();
  return container.id;
}

/**
 * Makes the container the spec describes, or leaves it: an owned container with the same spec hash is
 * started if it was stopped and otherwise untouched (same id); one from another spec is stopped (its
 * stop time-out) and made again. A container of that name without our labels is refused.
 */
export async function ensureControlContainer(
  docker: Docker,
  spec: ControlContainerSpec,
): Promise<{ id: string; how: ControlOutcome }> {
  await requireImage(docker, spec.image);
  const hash = specHash(spec);
  // Look before making anything: a namesake nobody labelled stops it all.
  const found = await inspectOrUndefined(() => docker.getContainer(spec.name).inspect());
  if (found && !isOwned(found.Config.Labels, spec.name))
    throw new CliError(`container ${spec.name} exists and is not this node's; not touching it`, EXIT.failed);
  for (const volume of Object.keys(spec.volumes ?? {})) await ensureVolume(docker, volume, spec.name);
  if (!found) return { id: await create(docker, spec, hash), how: 'created' };
  if (found.Config.Labels[LABEL_SPEC_HASH] === hash) {
    if (found.State.Running) return { id: found.Id, how: 'running' };
    await docker.getContainer(found.Id).start();
    return { id: found.Id, how: 'started' };
  }
  await removeContainer(docker, found.Id, spec.stopTimeoutSec);
  return { id: await create(docker, spec, hash), how: 'replaced' };
}

async function removeContainer(docker: Docker, id: string, timeoutSec: number): Promise<void> {
  const container = docker.getContainer(id);
  await container.stop({ t: timeoutSec }).catch((err: unknown) => {
    // 304: already stopped.
    if ((err as { statusCode?: number }).statusCode !== 304 && !notFound(err)) throw err;
  });
  await container.remove({ v: false }).catch((err: unknown) => {
    if (!notFound(err)) throw err;
  });
}

/** The container's state for messages: running, restarting, exited (code) or absent. */
export async function controlState(
  docker: Docker,
  name: string,
): Promise<{ running: boolean; detail: string } | undefined> {
  const found = await inspectOrUndefined(() => docker.getContainer(name).inspect());
  if (!found || !isOwned(found.Config.Labels, name)) return undefined;
  const s = found.State;
  return {
    running: s.Running && !s.Restarting,
    detail: s.Restarting ? 'restarting' : s.Running ? 'running' : `exited (${s.ExitCode})`,
  };
}

/** The last lines of its log (json-file), for a message when it did not come up. */
export async function controlLogTail(docker: Docker, name: string, lines = 20): Promise<string> {
  try {
    const buf = await docker
      .getContainer(name)
      .logs({ stdout: true, stderr: true, tail: lines, follow: false });
    // Multiplexed frames: an 8-byte header (stream, 0, 0, 0, size) before each chunk.
    const out: string[] = [];
    for (let at = 0; at + 8 <= buf.length; ) {
      const size = buf.readUInt32BE(at + 4);
      out.push(buf.subarray(at + 8, at + 8 + size).toString('utf8'));
      at += 8 + size;
    }
    return out.join('').trim();
  } catch {
    return '';
  }
}

/**
 * Stops (its stop time-out) and removes the owned container `name`, and with `volumes` the owned volumes
 * given; false when there was no such container. A namesake without our labels is left alone.
 */
export async function removeControlContainer(
  docker: Docker,
  name: string,
  options: { timeoutSec: number; volumes?: readonly string[] },
): Promise<boolean> {
  const found = await inspectOrUndefined(() => docker.getContainer(name).inspect());
  const ours = found !== undefined && isOwned(found.Config.Labels, name);
  if (ours) await removeContainer(docker, found.Id, options.timeoutSec);
  for (const volume of options.volumes ?? []) {
    const v = await inspectOrUndefined(() => docker.getVolume(volume).inspect());
    if (v && isOwned(v.Labels, name)) await docker.getVolume(volume).remove();
  }
  return ours;
}
