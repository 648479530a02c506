import type Docker from 'dockerode';
import {
  EngineError,
  ImageUnavailableError,
  NodeUnreachableError,
  PortConflictError,
  RuntimeError,
  UnitConflictError,
} from '../errors.js';
import { validateUnitSpec } from '../spec-schema.js';
import type { DeployOptions, DeployStep } from '../types/deploy-options.js';
import type { UnitHandle } from '../types/unit-handle.js';
import type { UnitSpec } from '../types/unit-spec.js';
import { type DockerContext, engineOf, reachableEngines } from './context.js';
import { isConflict, isNotFound, portConflictOf } from './docker-errors.js';
import type { Engine } from './engine.js';
import { findPortHolder } from './ports.js';
import { ensureNetworkOn, ensureSharedVolumeOn, ensureVolumeOn, ownedVolume } from './resources.js';
import { tarOf } from './tar.js';
import {
  daemonName,
  daemonOptions,
  hostPorts,
  mountPath,
  sidecarName,
  sidecarOptions,
  specHash,
  volumeName,
} from './unit-layout.js';
import {
  handleOf,
  ownedContainer,
  removeContainer,
  startContainer,
  stopContainer,
  unitOn,
} from './unit-ops.js';

async function requireImage(engine: Engine, ref: string): Promise<void> {
  try {
    await engine.api.getImage(ref).inspect();
  } catch (err) {
    if (isNotFound(err)) throw new ImageUnavailableError(ref, engine.name, 'call ensureImage first');
    throw new EngineError(engine.name, `inspect image ${ref}`, err);
  }
}

/** Creates a container; if a concurrent deploy made it first (409), that one is used if it is ours. */
async function createOwned(
  engine: Engine,
  options: Docker.ContainerCreateOptions,
  unit: string,
): Promise<Docker.ContainerInspectInfo> {
  const name = options.name ?? '';
  try {
    const c = await engine.api.createContainer(options);
    return await c.inspect();
  } catch (err) {
    if (isConflict(err)) {
      const info = await ownedContainer(engine, name, unit);
      if (info) return info;
    }
    throw new EngineError(engine.name, `create ${name}`, err);
  }
}

/** The engine's answer to a create naming a network that no longer exists. */
function isNetworkGone(err: unknown): boolean {
  const cause = err instanceof EngineError ? err.cause : err;
  return (
    isNotFound(cause) && /network .* not found/i.test(cause instanceof Error ? cause.message : String(cause))
  );
}

async function putFiles(engine: Engine, id: string, spec: UnitSpec, volume: string): Promise<void> {
  try {
    await engine.api.getContainer(id).putArchive(await tarOf(spec.files ?? [], mountPath(spec)), {
      path: mountPath(spec),
    });
  } catch (err) {
    throw new EngineError(engine.name, `put files into ${volume}`, err);
  }
}

/**
 * deployUnit for Docker, in steps that each look before they make, so a call that follows a crash at
 * any point finishes the unit instead of duplicating it:
 * checks (nothing made: spec, ownership, other nodes, images, ports) → network → volumes → sidecar
 * created → files put and daemon created (at once) → sidecar started → daemon started.
 */
export async function deployDockerUnit(
  ctx: DockerContext,
  raw: UnitSpec,
  options: DeployOptions = {},
): Promise<UnitHandle> {
  const spec = validateUnitSpec(raw);
  const engine = engineOf(ctx, spec.node);
  const reachable = await reachableEngines(ctx);
  if (!reachable.includes(engine)) throw new NodeUnreachableError(engine.name);
  const step = async (s: DeployStep) => {
    ctx.log.debug({ unit: spec.name, node: engine.name, step: s }, 'deploy step');
    await options.onStep?.(s);
  };
  const network = spec.network ?? ctx.config.network;
  const volume = volumeName(spec);
  const hash = specHash(spec);

  // 1. Look, make nothing. The looks are independent reads, so they go to the engines at once.
  const [elsewhere, sidecarSeen, daemonSeen, volumeSeen] = await Promise.all([
    Promise.all(
      reachable.map(async (other) =>
        other !== engine && (await unitOn(other, spec.name)) ? other.name : undefined,
      ),
    ),
    ownedContainer(engine, sidecarName(spec.name), spec.name),
    ownedContainer(engine, daemonName(spec.name), spec.name),
    ownedVolume(engine, volume, spec.name),
    requireImage(engine, spec.sidecar.image),
    requireImage(engine, spec.daemon.image),
    // A shared volume may be another unit's; a foreign one is refused before anything is made.
    ...(spec.mounts ?? []).map((m) => ownedVolume(engine, m.volume, undefined)),
  ]);
  const conflict = elsewhere.find((n) => n !== undefined);
  if (conflict) throw new UnitConflictError(spec.name, conflict);
  let sidecar = sidecarSeen;
  let daemon = daemonSeen;
  const volumeExisted = volumeSeen !== null;
  const own = new Set([sidecar?.Id, daemon?.Id].filter((x): x is string => !!x));
  const taken = await findPortHolder(engine, hostPorts(spec), own);
  if (taken) throw new PortConflictError(engine.name, taken.port, taken.holder);
  await step('checked');

  // 2. Leftovers from another spec are replaced (they are proven ours above). The daemon goes first:
  // it lives in the sidecar's namespace, and a daemon joined to an older sidecar is cut off.
  if (sidecar && sidecar.Config.Labels?.['nn.spec-hash'] !== hash) {
    await stopContainer(engine, daemon);
    await removeContainer(engine, daemon);
    await stopContainer(engine, sidecar);
    await removeContainer(engine, sidecar);
    sidecar = null;
    daemon = null;
  }
  if (
    daemon &&
    (daemon.Config.Labels?.['nn.spec-hash'] !== hash ||
      daemon.HostConfig.NetworkMode !== `container:${sidecar?.Id}`)
  ) {
    await stopContainer(engine, daemon);
    await removeContainer(engine, daemon);
    daemon = null;
  }

  // A sidecar that restarted after its daemon joined it left the daemon in a dead namespace: restart it.
  let daemonRunning = daemon?.State.Running ?? false;
  if (
    daemon &&
    sidecar &&
    daemonRunning &&
    Date.parse(sidecar.State.StartedAt) > Date.parse(daemon.State.StartedAt)
  ) {
    await stopContainer(engine, daemon);
    daemonRunning = false;
  }

  // 3. Make what is missing.
  let joined = await ensureNetworkOn(engine, network);
  // The look above already proved an existing volume ours: only a missing one needs making.
  if (!volumeExisted) await ensureVolumeOn(engine, volume, spec.name, spec.labels ?? {});
  for (const m of spec.mounts ?? [])
    await ensureSharedVolumeOn(engine, m.volume, spec.name, spec.labels ?? {});
  await step('volume');

  const sidecarMade = !sidecar;
  if (!sidecar) {
    try {
      sidecar = await createOwned(
        engine,
        sidecarOptions(spec, joined.id, engine.config.address, hash),
        spec.name,
      );
    } catch (err) {
      if (!isNetworkGone(err)) throw err;
      // Another process settled on an older network of the name and removed the one chosen here (it
      // was listed before the older one's create had finished): choose again, once.
      const again = await ensureNetworkOn(engine, network);
      joined = { id: again.id, made: joined.made || again.made };
      sidecar = await createOwned(
        engine,
        sidecarOptions(spec, joined.id, engine.config.address, hash),
        spec.name,
      );
    }
  }
  await step('sidecar-created');

  // Files go in whenever this deploy starts the sidecar (so also after a crash between the sidecar's
  // create and its start), never under a running unit: its daemon may be reading them. The spec hash
  // covers their contents, so changed files replace the containers and come in through this path.
  // The daemon is created meanwhile: creating it needs the sidecar to exist, not to run (only its start
  // joins the namespace), so its create is off the path to the sidecar's start. It is reported as
  // `daemon-created` after `sidecar-started`, in the documented order; a crash in between finds it made.
  const made = sidecar;
  const [daemonNow] = await Promise.all([
    daemon ?? createOwned(engine, daemonOptions(spec, made.Id, hash), spec.name),
    spec.files?.length && !made.State.Running ? putFiles(engine, made.Id, spec, volume) : undefined,
  ]);
  if (!daemon) daemonRunning = daemonNow.State.Running;
  daemon = daemonNow;
  await step('files');

  if (!sidecar.State.Running) {
    try {
      await startContainer(engine, sidecar.Id);
    } catch (err) {
      const port = portConflictOf(err);
      if (port === null) throw new EngineError(engine.name, `start ${sidecarName(spec.name)}`, err);
      // Undo only what cannot be useful: the never-started containers of this unit, and the
      // volume and network if this very call made them.
      await removeContainer(engine, daemon);
      await removeContainer(engine, sidecar);
      if (!volumeExisted)
        await engine.api
          .getVolume(volume)
          .remove()
          .catch(() => undefined);
      if (joined.made)
        await engine.api
          .getNetwork(joined.id)
          .remove()
          .catch(() => undefined);
      ctx.log.info({ unit: spec.name, node: engine.name, port, sidecarMade }, 'port conflict; deploy undone');
      throw new PortConflictError(engine.name, port, null);
    }
  }
  await step('sidecar-started');

  await step('daemon-created');
  if (!daemonRunning) {
    try {
      await startContainer(engine, daemon.Id);
    } catch (err) {
      throw new EngineError(engine.name, `start ${daemonName(spec.name)}`, err);
    }
  }
  await step('daemon-started');

  const now = await unitOn(engine, spec.name);
  if (!now) throw new RuntimeError('ENGINE_ERROR', `unit ${spec.name} vanished while it was deployed`);
  return handleOf(now, spec.name);
}
