import { randomBytes } from 'node:crypto';
import { EngineError, NotOwnedError, VolumeNotFoundError } from '../errors.js';
import { INFRA_UNIT, isOwned, LABEL_OWNER, LABEL_ROLE, LABEL_UNIT, OWNER } from '../labels.js';
import { MOVE_OUTCOMES, moveScript } from '../move-file-script.js';
import type { MoveFileOutcome } from '../types/move-file.js';
import type { UnitFile } from '../types/unit-file.js';
import { isConflict, isNotFound, statusOf } from './docker-errors.js';
import type { Engine } from './engine.js';
import { tarOf } from './tar.js';

const infraLabels = (role: string) => ({
  [LABEL_OWNER]: OWNER,
  [LABEL_UNIT]: INFRA_UNIT,
  [LABEL_ROLE]: role,
});

/** The cluster network on one engine, as ensureNetworkOn leaves it. */
export interface EnsuredNetwork {
  /** The network every unit joins: the oldest owned one of the name. */
  readonly id: string;
  /** Whether this call created it. */
  readonly made: boolean;
}

/**
 * Calls of ensureNetworkOn in flight, per engine and name. Docker 20.10's CheckDuplicate does not hold
 * against creates that arrive together (parallel deploys made five networks of one name), so one process
 * asks the engine once at a time per network; across processes (several workers, a killed worker whose
 * create the engine still ran) the duplicates are settled afterwards, see settleNetwork.
 */
const networksInFlight = new WeakMap<Engine, Map<string, Promise<EnsuredNetwork>>>();

/** The cluster network on one engine: made if missing; a foreign network with the name is refused. */
export function ensureNetworkOn(engine: Engine, name: string): Promise<EnsuredNetwork> {
  const inFlight = networksInFlight.get(engine) ?? new Map<string, Promise<EnsuredNetwork>>();
  networksInFlight.set(engine, inFlight);
  const running = inFlight.get(name);
  if (running) return running.then((n) => ({ id: n.id, made: false }));
  const call = makeNetworkOn(engine, name).finally(() => inFlight.delete(name));
  inFlight.set(name, call);
  return call;
}

interface NetworkRow {
  readonly Id: string;
  readonly Name: string;
  readonly Created: string;
  readonly Labels?: Record<string, string>;
}

/** The networks named exactly `name` (the engine's name filter matches substrings), oldest first. */
async function networksNamed(engine: Engine, name: string): Promise<NetworkRow[]> {
  let rows: NetworkRow[];
  try {
    rows = (await engine.api.listNetworks({ filters: { name: [name] } })) as NetworkRow[];
  } catch (err) {
    throw new EngineError(engine.name, `list networks ${name}`, err);
  }
  const named = rows.filter((r) => r.Name === name);
  for (const r of named)
    if (!isOwned(r.Labels, INFRA_UNIT)) throw new NotOwnedError('network', name, engine.name);
  return named.sort((a, b) => compareCreated(a, b) || a.Id.localeCompare(b.Id));
}

/**
 * Orders by creation instant. Docker writes Created in RFC 3339 with up to nine fraction digits and
 * trailing zeros dropped, so neither Date.parse (milliseconds) nor the text alone orders it.
 */
function compareCreated(a: NetworkRow, b: NetworkRow): number {
  const parts = (r: NetworkRow): [number, string] => {
    const m = /^([^.]*?)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(r.Created);
    return m ? [Date.parse(`${m[1]}${m[3]}`), (m[2] ?? '').padEnd(9, '0')] : [Number.NaN, ''];
  };
  const [sa, fa] = parts(a);
  const [sb, fb] = parts(b);
  return sa - sb || fa.localeCompare(fb);
}

async function makeNetworkOn(engine: Engine, name: string): Promise<EnsuredNetwork> {
  const before = await networksNamed(engine, name);
  if (before.length === 1 && before[0]) return { id: before[0].Id, made: false };
  let made = false;
  if (before.length === 0) {
    try {
      await engine.api.createNetwork({
        Name: name,
        Driver: 'bridge',
        CheckDuplicate: true,
        Labels: infraLabels('network'),
      });
      made = true;
    } catch (err) {
      // Another caller made it between our look and our create: settled below.
      if (!isConflict(err)) throw new EngineError(engine.name, `create network ${name}`, err);
    }
  }
  return { id: await settleNetwork(engine, name), made };
}

/**
 * Keeps the oldest network of the name and removes the empty younger ones. Every process that sees a
 * younger one also sees the oldest (it was made first), so all of them keep the same one; units join it
 * by id, so a duplicate made meanwhile by another process cannot make their create ambiguous.
 */
async function settleNetwork(engine: Engine, name: string): Promise<string> {
  const [keep, ...extra] = await networksNamed(engine, name);
  if (!keep)
    throw new EngineError(
      engine.name,
      `create network ${name}`,
      new Error('the network vanished after its create'),
    );
  for (const e of extra) await removeEmptyNetwork(engine, e.Id);
  return keep.Id;
}

/** Removes the network by id unless containers use it; true if it is gone. */
async function removeEmptyNetwork(engine: Engine, id: string): Promise<boolean> {
  let info: { Containers?: Record<string, unknown> };
  try {
    info = (await engine.api.getNetwork(id).inspect()) as typeof info;
  } catch (err) {
    if (isNotFound(err)) return true;
    throw new EngineError(engine.name, `inspect network ${id}`, err);
  }
  if (Object.keys(info.Containers ?? {}).length > 0) return false;
  try {
    await engine.api.getNetwork(id).remove();
    return true;
  } catch (err) {
    if (isNotFound(err)) return true;
    // 403/409: a container joined in between; it stays, which is what we want.
    if (isConflict(err) || statusOf(err) === 403) return false;
    throw new EngineError(engine.name, `remove network ${id}`, err);
  }
}

/** Removes the owned networks of the name unless containers still use them; a missing one is fine. */
export async function removeNetworkOn(engine: Engine, name: string): Promise<void> {
  for (const n of await networksNamed(engine, name)) await removeEmptyNetwork(engine, n.Id);
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
