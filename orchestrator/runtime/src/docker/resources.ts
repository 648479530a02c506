import { randomBytes } from 'node:crypto';
import { EngineError, NotOwnedError, VolumeNotFoundError } from '../errors.js';
import { INFRA_UNIT, isOwned, LABEL_OWNER, LABEL_ROLE, LABEL_UNIT, OWNER } from '../labels.js';
import { MOVE_OUTCOMES, moveScript } from '../move-file-script.js';
import type { MoveFileOutcome } from '../types/move-file.js';
import type { UnitFile } from '../types/unit-file.js';
import { isConflict, isNotFound } from './docker-errors.js';
import type { Engine } from './engine.js';
import { tarOf } from './tar.js';

const infraLabels = (role: string) => ({
  [LABEL_OWNER]: OWNER,
  [LABEL_UNIT]: INFRA_UNIT,
  [LABEL_ROLE]: role,
});

/**
 * Calls of ensureNetworkOn in flight, per engine and name. Docker 20.10's CheckDuplicate does not hold
 * against creates that arrive together (parallel deploys made five networks of one name, which then
 * made every later create "ambiguous"), so one process asks the engine once at a time per network.
 */
const networksInFlight = new WeakMap<Engine, Map<string, Promise<boolean>>>();

/** The cluster network on one engine: made if missing; a foreign network with the name is refused. */
export function ensureNetworkOn(engine: Engine, name: string): Promise<boolean> {
  const inFlight = networksInFlight.get(engine) ?? new Map<string, Promise<boolean>>();
  networksInFlight.set(engine, inFlight);
  const running = inFlight.get(name);
  if (running) return running.then(() => false);
  const call = makeNetworkOn(engine, name).finally(() => inFlight.delete(name));
  inFlight.set(name, call);
  return call;
}

async function makeNetworkOn(engine: Engine, name: string): Promise<boolean> {
  const existing = async () => {
    try {
      const info = (await engine.api.getNetwork(name).inspect()) as { Labels?: Record<string, string> };
      if (!isOwned(info.Labels, INFRA_UNIT)) throw new NotOwnedError('network', name, engine.name);
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  };
  if (await existing()) return false;
  try {
    await engine.api.createNetwork({
      Name: name,
      Driver: 'bridge',
      CheckDuplicate: true,
      Labels: infraLabels('network'),
    });
    return true;
  } catch (err) {
    // Another caller made it between our look and our create: fine if it is ours.
    if (isConflict(err) && (await existing())) return false;
    throw new EngineError(engine.name, `create network ${name}`, err);
  }
}

/** Removes the owned network unless containers still use it; a missing one is fine. */
export async function removeNetworkOn(engine: Engine, name: string): Promise<void> {
  let info: { Labels?: Record<string, string>; Containers?: Record<string, unknown> };
  try {
    info = (await engine.api.getNetwork(name).inspect()) as typeof info;
  } catch (err) {
    if (isNotFound(err)) return;
    throw new EngineError(engine.name, `inspect network ${name}`, err);
  }
  if (!isOwned(info.Labels, INFRA_UNIT)) throw new NotOwnedError('network', name, engine.name);
  if (Object.keys(info.Containers ?? {}).length > 0) return;
  await engine.api
    .getNetwork(name)
    .remove()
    .catch((err: unknown) => {
      // 403/409: a container joined in between; it stays, which is what we want.
      if (!isNotFound(err) && !isConflict(err) && (err as { statusCode?: number }).statusCode !== 403)
        throw new EngineError(engine.name, `remove network ${name}`, err);
    });
}

/** The volume's labels if it exists and is ours for `unit`; null if missing; NotOwnedError if foreign. */
export async function ownedVolume(
  engine: Engine,
  name: string,
  unit: string | undefined,
): Promise<Record<string, string> | null> {
  try {
    const info = await engine.api.getVolume(name).inspect();
    const labels = (info.Labels ?? {}) as Record<string, string>;
    if (!isOwned(labels, unit)) throw new NotOwnedError('volume', name, engine.name);
    return labels;
  } catch (err) {
    if (isNotFound(err)) return null;
    if (err instanceof NotOwnedError) throw err;
    throw new EngineError(engine.name, `inspect volume ${name}`, err);
  }
}

/** Creates the volume if missing; returns whether this call made it. */
export async function ensureVolumeOn(
  engine: Engine,
  name: string,
  unit: string,
  labels: Readonly<Record<string, string>>,
): Promise<boolean> {
  if (await ownedVolume(engine, name, unit)) return false;
  try {
    await engine.api.createVolume({
      Name: name,
      Labels: { ...labels, [LABEL_OWNER]: OWNER, [LABEL_UNIT]: unit, [LABEL_ROLE]: 'data' },
    });
  } catch (err) {
    throw new EngineError(engine.name, `create volume ${name}`, err);
  }
  // The engine answers a create of an existing name with that volume: prove it is ours after all.
  await ownedVolume(engine, name, unit);
  return true;
}

/**
 * A volume several units mount (UnitSpec.mounts): any owned volume of that name will do, whichever unit
 * made it; a missing one is made, labelled for `unit`. NotOwnedError if a foreign one has the name.
 */
export async function ensureSharedVolumeOn(
  engine: Engine,
  name: string,
  unit: string,
  labels: Readonly<Record<string, string>>,
): Promise<void> {
  if (await ownedVolume(engine, name, undefined)) return;
  try {
    await engine.api.createVolume({
      Name: name,
      Labels: { ...labels, [LABEL_OWNER]: OWNER, [LABEL_UNIT]: unit, [LABEL_ROLE]: SHARED_VOLUME_ROLE },
    });
  } catch (err) {
    throw new EngineError(engine.name, `create volume ${name}`, err);
  }
  await ownedVolume(engine, name, undefined);
}

/** The role label of a volume made for UnitSpec.mounts. */
export const SHARED_VOLUME_ROLE = 'shared';

/**
 * Copies files into a volume through a helper container that is created (never started) with the
 * volume mounted: the engine extracts the archive straight into the volume, with each file's mode and
 * owner. The helper is removed whatever happens.
 */
export async function putFilesOn(
  engine: Engine,
  helperImage: string,
  volume: string,
  files: readonly UnitFile[],
): Promise<void> {
  if ((await ownedVolume(engine, volume, undefined)) === null)
    throw new VolumeNotFoundError(volume, engine.name);
  const mount = '/nn-volume';
  const helper = await engine.api
    .createContainer({
      name: `nn-files-${randomBytes(6).toString('hex')}`,
      Image: helperImage,
      Entrypoint: ['/bin/true'],
      Labels: infraLabels('helper'),
      NetworkDisabled: true,
      HostConfig: { Binds: [`${volume}:${mount}`], NetworkMode: 'none' },
    })
    .catch((err: unknown) => {
      throw new EngineError(engine.name, 'create file helper', err);
    });
  try {
    await helper.putArchive(await tarOf(files, mount), { path: mount });
  } catch (err) {
    throw new EngineError(engine.name, `put files into ${volume}`, err);
  } finally {
    await helper.remove({ force: true }).catch(() => undefined);
  }
}

/**
 * Renames a file inside an owned volume through a helper container (the same image as putFilesOn's,
 * busybox's `mv -n`, no network), run as root so the rename works whoever owns the directory; a
 * rename keeps the file's owner and mode. The helper is removed whatever happens.
 */
export async function moveFileOn(
  engine: Engine,
  helperImage: string,
  volume: string,
  from: string,
  to: string,
): Promise<MoveFileOutcome> {
  if ((await ownedVolume(engine, volume, undefined)) === null)
    throw new VolumeNotFoundError(volume, engine.name);
  const helper = await engine.api
    .createContainer({
      name: `nn-move-${randomBytes(6).toString('hex')}`,
      Image: helperImage,
      User: '0:0',
      Entrypoint: ['/bin/sh', '-c', moveScript('/nn-volume'), 'nn-move', from, to],
      Labels: infraLabels('helper'),
      NetworkDisabled: true,
      HostConfig: { Binds: [`${volume}:/nn-volume`], NetworkMode: 'none' },
    })
    .catch((err: unknown) => {
      throw new EngineError(engine.name, 'create move helper', err);
    });
  try {
    await helper.start();
    const { StatusCode } = (await helper.wait()) as { StatusCode: number };
    const outcome = MOVE_OUTCOMES[StatusCode];
    if (outcome === undefined)
      throw new Error(`the move helper exited ${StatusCode} (renaming ${from} in ${volume})`);
    return outcome;
  } catch (err) {
    throw new EngineError(engine.name, `move ${from} to ${to} in ${volume}`, err);
  } finally {
    await helper.remove({ force: true }).catch(() => undefined);
  }
}
