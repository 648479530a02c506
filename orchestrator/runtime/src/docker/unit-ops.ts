import type Docker from 'dockerode';
import { EngineError, NotOwnedError, UnitNotFoundError } from '../errors.js';
import { isOwned, LABEL_OWNER, LABEL_ROLE, LABEL_UNIT, LABEL_VOLUME, OWNER } from '../labels.js';
import type { UnitHandle } from '../types/unit-handle.js';
import { type DockerContext, reachableEngines } from './context.js';
import { isNotFound, isNotModified } from './docker-errors.js';
import type { Engine } from './engine.js';
import { unitHandle } from './observe.js';
import { DEFAULT_STOP_TIMEOUT_SEC, daemonName, sidecarName } from './unit-layout.js';

export interface LocatedUnit {
  readonly engine: Engine;
  readonly sidecar: Docker.ContainerInspectInfo | null;
  readonly daemon: Docker.ContainerInspectInfo | null;
  readonly volume: string;
}

/** A container by name, or null; a foreign container with the name is a NotOwnedError. */
export async function ownedContainer(
  engine: Engine,
  name: string,
  unit: string,
): Promise<Docker.ContainerInspectInfo | null> {
  try {
    const info = await engine.api.getContainer(name).inspect();
    if (!isOwned(info.Config.Labels, unit)) throw new NotOwnedError('container', name, engine.name);
    return info;
  } catch (err) {
    if (isNotFound(err)) return null;
    if (err instanceof NotOwnedError) throw err;
    throw new EngineError(engine.name, `inspect ${name}`, err);
  }
}

/** The unit on one engine, or null when neither container is there. */
export async function unitOn(engine: Engine, unit: string): Promise<LocatedUnit | null> {
  const [sidecar, daemon] = await Promise.all([
    ownedContainer(engine, sidecarName(unit), unit),
    ownedContainer(engine, daemonName(unit), unit),
  ]);
  if (!sidecar && !daemon) return null;
  const labels = (sidecar ?? daemon)?.Config.Labels ?? {};
  return { engine, sidecar, daemon, volume: labels[LABEL_VOLUME] ?? `${unit}-data` };
}

/** Finds the unit on whichever reachable engine has it. */
export async function locate(ctx: DockerContext, unit: string): Promise<LocatedUnit> {
  const engines = await reachableEngines(ctx);
  const found = (await Promise.all(engines.map((e) => unitOn(e, unit)))).filter(
    (u): u is LocatedUnit => u !== null,
  );
  const first = found[0];
  if (!first) throw new UnitNotFoundError(unit);
  return first;
}

export function handleOf(u: LocatedUnit, unit: string): UnitHandle {
  return unitHandle(u.engine, unit, u.sidecar, u.daemon, u.volume);
}

export async function refresh(u: LocatedUnit, unit: string): Promise<LocatedUnit> {
  return (await unitOn(u.engine, unit)) ?? { ...u, sidecar: null, daemon: null };
}

/**
 * A graceful stop of one container: SIGTERM, then the engine waits `t` seconds before a kill. Never
 * Docker's 10 s default: the container's own StopTimeout (set from the spec, 300 s by default).
 * Uses the client without an idle time-out: the engine says nothing until the container is down.
 */
export async function stopContainer(
  engine: Engine,
  info: Docker.ContainerInspectInfo | null,
  timeoutSec?: number,
): Promise<void> {
  if (!info) return;
  const own = (info.Config as { StopTimeout?: number }).StopTimeout;
  const t = timeoutSec ?? own ?? DEFAULT_STOP_TIMEOUT_SEC;
  try {
    await engine.long.getContainer(info.Id).stop({ t });
  } catch (err) {
    if (isNotModified(err) || isNotFound(err)) return;
    throw new EngineError(engine.name, `stop ${info.Name}`, err);
  }
}

export async function removeContainer(
  engine: Engine,
  info: Docker.ContainerInspectInfo | null,
): Promise<void> {
  if (!info) return;
  try {
    await engine.api.getContainer(info.Id).remove({ force: true, v: false });
  } catch (err) {
    // 409 "removal already in progress" counts as gone for our purposes; 404 is gone.
    if (isNotFound(err)) return;
    if ((err as { statusCode?: number }).statusCode === 409) return;
    throw new EngineError(engine.name, `remove ${info.Name}`, err);
  }
}

/** Daemon first (it holds the data), then the sidecar (it owns the namespace the daemon uses). */
export async function stopUnitContainers(u: LocatedUnit, timeoutSec?: number): Promise<void> {
  await stopContainer(u.engine, u.daemon, timeoutSec);
  await stopContainer(u.engine, u.sidecar, timeoutSec);
}

/** Starts a container; an already running one is fine. Engine errors are rethrown as they are. */
export async function startContainer(engine: Engine, id: string): Promise<void> {
  try {
    await engine.api.getContainer(id).start();
  } catch (err) {
    if (!isNotModified(err)) throw err;
  }
}

/** Owned unit containers on every reachable engine, grouped by unit. */
export async function listUnitContainers(
  ctx: DockerContext,
  node?: string,
): Promise<Array<{ engine: Engine; unit: string }>> {
  const engines = (await reachableEngines(ctx)).filter((e) => !node || e.name === node);
  const out: Array<{ engine: Engine; unit: string }> = [];
  for (const engine of engines) {
    const list = await engine.api.listContainers({
      all: true,
      filters: { label: [`${LABEL_OWNER}=${OWNER}`, LABEL_UNIT, LABEL_ROLE] },
    });
    const units = new Set<string>();
    for (const c of list) {
      const u = c.Labels[LABEL_UNIT];
      const role = c.Labels[LABEL_ROLE];
      if (u && isOwned(c.Labels, u) && (role === 'sidecar' || role === 'daemon')) units.add(u);
    }
    for (const unit of [...units].sort()) out.push({ engine, unit });
  }
  return out;
}
