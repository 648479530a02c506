import { randomBytes } from 'node:crypto';
import { PassThrough, type Readable } from 'node:stream';
import type Docker from 'dockerode';
import {
  EngineError,
  InvalidSpecError,
  NodeUnreachableError,
  VolumeInUseError,
  VolumeNotFoundError,
} from '../errors.js';
import { INFRA_UNIT, LABEL_OWNER, LABEL_ROLE, LABEL_UNIT, OWNER } from '../labels.js';
import { validateResourceName, validateUnitName } from '../spec-schema.js';
import type { VolumeTransfer } from '../types/volume-transfer.js';
import { type DockerContext, engineOf, reachableEngines } from './context.js';
import type { Engine } from './engine.js';
import { ensureVolumeOn, ownedVolume } from './resources.js';

const MOUNT = '/nn-volume';
/** The volume's own keys, which ensureVolumeOn writes itself on the target. */
const OWN_KEYS = new Set([LABEL_OWNER, LABEL_UNIT, LABEL_ROLE]);

/** A running container that mounts the volume, by name; null when none does. */
async function runningUser(engine: Engine, volume: string): Promise<string | null> {
  let rows: Docker.ContainerInfo[];
  try {
    rows = await engine.api.listContainers({ filters: { volume: [volume], status: ['running'] } });
  } catch (err) {
    throw new EngineError(engine.name, `list users of volume ${volume}`, err);
  }
  const first = rows[0];
  return first ? (first.Names[0] ?? first.Id).replace(/^\//, '') : null;
}

/**
 * A helper container with the volume mounted, created and never started (the engine mounts volumes
 * for its archive calls all the same): no process ever touches the data, only the engine's tar.
 */
async function helperOn(engine: Engine, helperImage: string, volume: string, readOnly: boolean) {
  return engine.api
    .createContainer({
      name: `nn-vol-${randomBytes(6).toString('hex')}`,
      Image: helperImage,
      Entrypoint: ['/bin/true'],
      Labels: { [LABEL_OWNER]: OWNER, [LABEL_UNIT]: INFRA_UNIT, [LABEL_ROLE]: 'helper' },
      NetworkDisabled: true,
      HostConfig: { Binds: [`${volume}:${MOUNT}${readOnly ? ':ro' : ''}`], NetworkMode: 'none' },
    })
    .catch((err: unknown) => {
      throw new EngineError(engine.name, `create volume helper for ${volume}`, err);
    });
}

/** Refuses a transfer while a running container mounts the volume on either side. */
async function checkIdle(from: Engine, to: Engine, volume: string): Promise<void> {
  for (const engine of [from, to]) {
    const user = await runningUser(engine, volume);
    if (user) throw new VolumeInUseError(volume, engine.name, user);
  }
}

/**
 * The source volume's archive (the engine's GET /archive of the mount's contents) piped into the
 * target's PUT /archive: one stream through this process, counted, never buffered whole. Tar headers
 * carry each file's mode and owner, and the engine's extraction keeps them. Both helpers are removed
 * whatever happens.
 */
export async function transferVolumeOn(
  from: Engine,
  to: Engine,
  helperImage: string,
  volume: string,
  unit: string,
): Promise<VolumeTransfer> {
  const labels = await ownedVolume(from, volume, unit);
  if (!labels) throw new VolumeNotFoundError(volume, from.name);
  await checkIdle(from, to, volume);
  const carried = Object.fromEntries(Object.entries(labels).filter(([k]) => !OWN_KEYS.has(k)));
  await ensureVolumeOn(to, volume, unit, carried);
  const source = await helperOn(from, helperImage, volume, true);
  let target: Docker.Container | undefined;
  try {
    target = await helperOn(to, helperImage, volume, false);
    let bytes = 0;
    let sourceError: unknown = null;
    const archive = (await from.long
      .getContainer(source.id)
      .getArchive({ path: `${MOUNT}/.` })
      .catch((err: unknown) => {
        throw new EngineError(from.name, `read volume ${volume}`, err);
      })) as Readable;
    const counted = new PassThrough();
    archive.on('error', (err: unknown) => {
      sourceError = err;
      counted.destroy(err instanceof Error ? err : new Error(String(err)));
    });
    counted.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    archive.pipe(counted);
    await to.long
      .getContainer(target.id)
      .putArchive(counted, { path: MOUNT })
      .catch((err: unknown) => {
        throw new EngineError(to.name, `write volume ${volume}`, sourceError ?? err);
      });
    if (sourceError) throw new EngineError(from.name, `read volume ${volume}`, sourceError);
    return { volume, from: from.name, to: to.name, bytes };
  } finally {
    await source.remove({ force: true }).catch(() => undefined);
    await target?.remove({ force: true }).catch(() => undefined);
  }
}

/**
 * DockerRuntime.transferVolume: both engines must answer, and the helper image is made present on
 * both first (sent from an engine that has it, as any image).
 */
export async function transferVolume(
  ctx: DockerContext,
  ensureImage: (node: string, ref: string) => Promise<void>,
  args: { from: string; to: string; volume: string; unit: string },
): Promise<VolumeTransfer> {
  const { from, to, volume, unit } = args;
  validateResourceName('volume', volume);
  validateUnitName(unit);
  if (from === to) throw new InvalidSpecError([`to: must be another node than from (${from})`]);
  const source = engineOf(ctx, from);
  const target = engineOf(ctx, to);
  const reachable = await reachableEngines(ctx);
  for (const e of [source, target]) if (!reachable.includes(e)) throw new NodeUnreachableError(e.name);
  await ensureImage(from, ctx.config.helperImage);
  await ensureImage(to, ctx.config.helperImage);
  ctx.log.info({ volume, from, to }, 'sending volume');
  return transferVolumeOn(source, target, ctx.config.helperImage, volume, unit);
}
