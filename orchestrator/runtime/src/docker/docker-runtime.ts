import { createLogger } from '@nn/shared';
import type { Logger } from 'pino';
import { AsyncQueue } from '../async-queue.js';
import { EngineError, ImageUnavailableError, InvalidSpecError, NodeUnreachableError } from '../errors.js';
import { INFRA_UNIT, isOwned, LABEL_OWNER, LABEL_ROLE, LABEL_UNIT, OWNER } from '../labels.js';
import type { Runtime } from '../runtime.js';
import { validateMovePaths, validateResourceName, validateUnitName } from '../spec-schema.js';
import type { DeployOptions } from '../types/deploy-options.js';
import type { LogChunk, LogsOptions } from '../types/logs-options.js';
import type { MoveFileOutcome } from '../types/move-file.js';
import type { NodeInfo } from '../types/node-info.js';
import type { OwnedResource } from '../types/owned-resource.js';
import type { RuntimeEvent } from '../types/runtime-event.js';
import type { EventsOptions, ListOptions, RemoveOptions, StopOptions } from '../types/stop-options.js';
import type { UnitFile } from '../types/unit-file.js';
import type { UnitHandle } from '../types/unit-handle.js';
import type { UnitSpec } from '../types/unit-spec.js';
import type { VolumeTransfer } from '../types/volume-transfer.js';
import { type DockerContext, engineOf, reachableEngines } from './context.js';
import { deployDockerUnit } from './deploy.js';
import { isConflict, isNotFound } from './docker-errors.js';
import { Engine } from './engine.js';
import { type DockerRuntimeConfig, dockerRuntimeConfigSchema } from './engine-config.js';
import { followEngineEvents } from './events.js';
import { transferImage } from './image-transfer.js';
import { openUnitLogs } from './logs.js';
import {
  ensureNetworkOn,
  ensureVolumeOn,
  moveFileOn,
  ownedVolume,
  putFilesOn,
  removeNetworkOn,
  SHARED_VOLUME_ROLE,
} from './resources.js';
import {
  handleOf,
  listUnitContainers,
  locate,
  refresh,
  removeContainer,
  startContainer,
  stopUnitContainers,
  unitOn,
} from './unit-ops.js';
import { transferVolume } from './volume-transfer.js';

/**
 * The Runtime over one or several Docker engines (unix socket, TCP+TLS or SSH). Only this package
 * talks to Docker. Calls on one unit are serialised inside the process; across processes, Docker's
 * unique names and the look-before-make steps keep a unit single.
 */
export class DockerRuntime implements Runtime {
  readonly kind = 'docker';
  private readonly ctx: DockerContext;
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly aborts = new Set<AbortController>();

  constructor(config: DockerRuntimeConfig = {}, log?: Logger) {
    const parsed = dockerRuntimeConfigSchema.safeParse(config);
    if (!parsed.success)
      throw new InvalidSpecError(
        parsed.error.issues.map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`),
      );
    const resolved = parsed.data;
    this.ctx = {
      config: resolved,
      engines: resolved.engines.map((e) => new Engine(e, resolved.requestTimeoutMs)),
      log: log ?? createLogger('runtime-docker'),
    };
  }

  /** One unit's operations run one at a time (a deploy racing a remove would leave a half unit). */
  private serial<T>(unit: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.locks.get(unit) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const settled = next.catch(() => undefined);
    this.locks.set(unit, settled);
    void settled.then(() => {
      if (this.locks.get(unit) === settled) this.locks.delete(unit);
    });
    return next;
  }

  async nodes(): Promise<NodeInfo[]> {
    return Promise.all(
      this.ctx.engines.map(async (e): Promise<NodeInfo> => {
        const base = { name: e.name, address: e.config.address };
        try {
          const info = (await e.api.info()) as {
            MemTotal: number;
            NCPU: number;
            ServerVersion: string;
            Labels?: string[];
          };
          const engineLabels = Object.fromEntries(
            (info.Labels ?? []).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
          );
          return {
            ...base,
            labels: { ...engineLabels, ...e.config.labels },
            reachable: true,
            capacity: { memoryBytes: info.MemTotal, cpus: info.NCPU, diskBytes: e.config.diskBytes ?? null },
            version: info.ServerVersion,
            error: null,
          };
        } catch (err) {
          return {
            ...base,
            labels: { ...e.config.labels },
            reachable: false,
            capacity: null,
            version: null,
            error: err instanceof Error ? err.message : String(err),
          };
        }
      }),
    );
  }

  async ensureNetwork(name?: string): Promise<void> {
    const net = validateResourceName('network', name ?? this.ctx.config.network);
    for (const e of await reachableEngines(this.ctx)) await ensureNetworkOn(e, net);
  }

  async removeNetwork(name?: string): Promise<void> {
    const net = validateResourceName('network', name ?? this.ctx.config.network);
    for (const e of await reachableEngines(this.ctx)) await removeNetworkOn(e, net);
  }

  async ensureImage(node: string, ref: string): Promise<void> {
    const target = engineOf(this.ctx, node);
    const has = async (e: Engine) => {
      try {
        await e.api.getImage(ref).inspect();
        return true;
      } catch (err) {
        if (isNotFound(err)) return false;
        throw new EngineError(e.name, `inspect image ${ref}`, err);
      }
    };
    const reachable = await reachableEngines(this.ctx);
    if (!reachable.includes(target)) throw new NodeUnreachableError(node);
    if (await has(target)) return;
    for (const source of reachable) {
      if (source === target || !(await has(source))) continue;
      this.ctx.log.info({ image: ref, from: source.name, to: target.name }, 'sending image');
      await transferImage(ref, source, target);
      return;
    }
    throw new ImageUnavailableError(ref, node);
  }

  async ensureVolume(
    node: string,
    name: string,
    unit: string,
    labels: Readonly<Record<string, string>> = {},
  ): Promise<void> {
    validateResourceName('volume', name);
    validateUnitName(unit);
    await ensureVolumeOn(engineOf(this.ctx, node), name, unit, labels);
  }

  async putFiles(node: string, volume: string, files: readonly UnitFile[]): Promise<void> {
    validateResourceName('volume', volume);
    await putFilesOn(engineOf(this.ctx, node), this.ctx.config.helperImage, volume, files);
  }

  async moveFile(node: string, volume: string, from: string, to: string): Promise<MoveFileOutcome> {
    validateResourceName('volume', volume);
    validateMovePaths(from, to);
    return moveFileOn(engineOf(this.ctx, node), this.ctx.config.helperImage, volume, from, to);
  }

  transferVolume(from: string, to: string, volume: string, unit: string): Promise<VolumeTransfer> {
    return transferVolume(this.ctx, (node, ref) => this.ensureImage(node, ref), { from, to, volume, unit });
  }

  deployUnit(spec: UnitSpec, options?: DeployOptions): Promise<UnitHandle> {
    const name = typeof spec?.name === 'string' ? spec.name : '';
    return this.serial(name, () => deployDockerUnit(this.ctx, spec, options));
  }

  async inspectUnit(name: string): Promise<UnitHandle> {
    validateUnitName(name);
    return handleOf(await locate(this.ctx, name), name);
  }

  async listUnits(options: ListOptions = {}): Promise<UnitHandle[]> {
    if (options.node) engineOf(this.ctx, options.node);
    const found = await listUnitContainers(this.ctx, options.node);
    const handles: UnitHandle[] = [];
    for (const { engine, unit } of found) {
      const u = await unitOn(engine, unit);
      if (!u) continue;
      const h = handleOf(u, unit);
      if (Object.entries(options.labels ?? {}).every(([k, v]) => h.labels[k] === v)) handles.push(h);
    }
    return handles;
  }

  stopUnit(name: string, options: StopOptions = {}): Promise<UnitHandle> {
    validateUnitName(name);
    return this.serial(name, async () => {
      const u = await locate(this.ctx, name);
      await stopUnitContainers(u, options.timeoutSec);
      return handleOf(await refresh(u, name), name);
    });
  }

  restartUnit(name: string, options: StopOptions = {}): Promise<UnitHandle> {
    validateUnitName(name);
    return this.serial(name, async () => {
      const u = await locate(this.ctx, name);
      await stopUnitContainers(u, options.timeoutSec);
      // Sidecar first: it makes the namespace (and writes the conf files) the daemon then joins.
      if (u.sidecar) await startContainer(u.engine, u.sidecar.Id);
      if (u.daemon) await startContainer(u.engine, u.daemon.Id);
      return handleOf(await refresh(u, name), name);
    });
  }

  removeUnit(name: string, options: RemoveOptions = {}): Promise<void> {
    validateUnitName(name);
    if (options.node !== undefined) engineOf(this.ctx, options.node);
    return this.serial(name, async () => {
      const engines = (await reachableEngines(this.ctx)).filter(
        (e) => options.node === undefined || e.name === options.node,
      );
      for (const engine of engines) {
        const u = await unitOn(engine, name);
        if (u) {
          await stopUnitContainers(u, options.timeoutSec);
          await removeContainer(engine, u.daemon);
          await removeContainer(engine, u.sidecar);
        }
        if (!options.volumes) continue;
        // The volume is found by its unit label even when the containers are already gone.
        const vols = await engine.api.listVolumes({
          filters: { label: [`${LABEL_OWNER}=${OWNER}`, `${LABEL_UNIT}=${name}`] },
        });
        for (const v of vols.Volumes ?? []) {
          const labels = await ownedVolume(engine, v.Name, name);
          if (!labels) continue;
          // A shared volume this unit made stays while another unit still mounts it (409 in use).
          const shared = labels[LABEL_ROLE] === SHARED_VOLUME_ROLE;
          await engine.api
            .getVolume(v.Name)
            .remove()
            .catch((err: unknown) => {
              if (!isNotFound(err) && !(shared && isConflict(err)))
                throw new EngineError(engine.name, `remove volume ${v.Name}`, err);
            });
        }
      }
    });
  }

  async logs(name: string, options: LogsOptions = {}): Promise<AsyncIterable<LogChunk>> {
    validateUnitName(name);
    return openUnitLogs(await locate(this.ctx, name), name, options);
  }

  async listOwned(): Promise<OwnedResource[]> {
    const out: OwnedResource[] = [];
    const filters = { label: [`${LABEL_OWNER}=${OWNER}`, LABEL_UNIT] };
    for (const e of await reachableEngines(this.ctx)) {
      for (const c of await e.api.listContainers({ all: true, filters })) {
        const unit = c.Labels[LABEL_UNIT];
        if (unit && isOwned(c.Labels))
          out.push({
            node: e.name,
            kind: 'container',
            id: c.Id,
            name: (c.Names[0] ?? '').replace(/^\//, ''),
            unit,
          });
      }
      for (const v of (await e.api.listVolumes({ filters })).Volumes ?? []) {
        const labels = (v.Labels ?? {}) as Record<string, string>;
        const unit = labels[LABEL_UNIT];
        if (unit && isOwned(labels))
          out.push({ node: e.name, kind: 'volume', id: v.Name, name: v.Name, unit });
      }
      for (const n of await e.api.listNetworks({ filters })) {
        if (isOwned(n.Labels, INFRA_UNIT))
          out.push({ node: e.name, kind: 'network', id: n.Id, name: n.Name, unit: INFRA_UNIT });
      }
    }
    return out;
  }

  events(options: EventsOptions = {}): AsyncIterable<RuntimeEvent> {
    const queue = new AsyncQueue<RuntimeEvent>();
    const abort = new AbortController();
    this.aborts.add(abort);
    const stop = () => {
      abort.abort();
      queue.close();
      this.aborts.delete(abort);
    };
    options.signal?.addEventListener('abort', stop, { once: true });
    if (options.signal?.aborted) stop();
    for (const engine of this.ctx.engines) {
      void followEngineEvents(engine, (e) => queue.push(e), abort.signal, options.since, this.ctx.log).catch(
        (err: unknown) => this.ctx.log.error({ err, node: engine.name }, 'event follower failed'),
      );
    }
    const iterator = queue[Symbol.asyncIterator]();
    return {
      [Symbol.asyncIterator]: () => ({
        next: () => iterator.next(),
        return: () => {
          stop();
          return Promise.resolve({ value: undefined, done: true as const });
        },
      }),
    };
  }

  async close(): Promise<void> {
    for (const a of [...this.aborts]) a.abort();
    this.aborts.clear();
  }
}
