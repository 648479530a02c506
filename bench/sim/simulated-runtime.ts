// BENCH-ONLY SIMULATION. A Runtime with no engine behind it: units, volumes and images are records in
// this process, and a deploy takes a configurable time instead of starting containers. It exists so
// bench/orchestrator-sim.ts can drive the real jobs, state store, Redis and BullMQ at a size (1,000
// chains on 20 nodes) this machine cannot run for real. It is never imported by tests or product code;
// what it measures is the orchestrator's own work around the engine, not an engine.
import { createHash } from 'node:crypto';
import {
  AsyncQueue,
  type ContainerState,
  type DeployOptions,
  type DeployStep,
  type LogChunk,
  type MoveFileOutcome,
  type NodeInfo,
  NodeNotFoundError,
  type OwnedResource,
  PortConflictError,
  type RemoveOptions,
  type Runtime,
  type RuntimeEvent,
  UnitConflictError,
  type UnitFile,
  type UnitHandle,
  UnitNotFoundError,
  type UnitSpec,
  VolumeNotFoundError,
  type VolumeTransfer,
  validateUnitSpec,
} from '../../orchestrator/runtime/src/index.js';

const STEPS: readonly DeployStep[] = [
  'checked',
  'volume',
  'sidecar-created',
  'files',
  'sidecar-started',
  'daemon-created',
  'daemon-started',
];

export interface SimulatedRuntimeOptions {
  readonly nodes: readonly string[];
  /** How long one deployUnit takes, spread evenly over its steps (the engine's work, simulated). */
  readonly deployMs: number;
  /** Base URL of the stand-in sidecar server: a unit's endpoint is `<base>/u/<unit>`. */
  readonly sidecarBase: string;
}

interface SimUnit {
  readonly spec: UnitSpec;
  readonly hash: string;
  running: boolean;
  startedAt: Date;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class SimulatedRuntime implements Runtime {
  readonly kind = 'simulated';
  private readonly units = new Map<string, SimUnit>();
  private readonly volumes = new Map<string, { node: string; unit: string }>();
  private readonly feeds = new Set<AsyncQueue<RuntimeEvent>>();
  /** Deploys, inspections and listings served, for the bench's notes. */
  readonly calls = { deploy: 0, inspect: 0, list: 0 };

  constructor(private readonly opts: SimulatedRuntimeOptions) {}

  /** Whether the unit's (simulated) containers run: what the stand-in sidecar answers /readyz from. */
  isRunning(unit: string): boolean {
    return this.units.get(unit)?.running ?? false;
  }

  async nodes(): Promise<NodeInfo[]> {
    return this.opts.nodes.map((name) => ({
      name,
      address: '127.0.0.1',
      labels: {},
      reachable: true,
      capacity: { memoryBytes: 512 * 1024 ** 3, cpus: 64, diskBytes: null },
      version: 'simulated',
      error: null,
    }));
  }

  async ensureNetwork(): Promise<void> {}
  async removeNetwork(): Promise<void> {}

  async ensureImage(node: string): Promise<void> {
    this.node(node);
  }

  async ensureVolume(node: string, name: string, unit: string): Promise<void> {
    this.node(node);
    if (!this.volumes.has(name)) this.volumes.set(name, { node, unit });
  }

  async putFiles(node: string, volume: string, _files: readonly UnitFile[]): Promise<void> {
    if (this.volumes.get(volume)?.node !== node) throw new VolumeNotFoundError(volume, node);
  }

  async moveFile(node: string, volume: string): Promise<MoveFileOutcome> {
    if (this.volumes.get(volume)?.node !== node) throw new VolumeNotFoundError(volume, node);
    return 'missing';
  }

  async deployUnit(raw: UnitSpec, options: DeployOptions = {}): Promise<UnitHandle> {
    const spec = validateUnitSpec(raw);
    this.node(spec.node);
    this.calls.deploy++;
    const existing = this.units.get(spec.name);
    if (existing && existing.spec.node !== spec.node)
      throw new UnitConflictError(spec.name, existing.spec.node);
    const hash = hashOf(spec);
    if (existing?.hash === hash && existing.running) return this.handle(existing);
    this.checkPorts(spec);
    for (const step of STEPS) {
      await sleep(this.opts.deployMs / STEPS.length);
      if (step === 'volume') await this.ensureVolume(spec.node, volumeOf(spec), spec.name);
      if (step === 'daemon-started') {
        const unit = { spec, hash, running: true, startedAt: new Date() };
        this.units.set(spec.name, unit);
        this.emit(unit, 'start');
      }
      await options.onStep?.(step);
    }
    return this.inspectUnit(spec.name);
  }

  async inspectUnit(name: string): Promise<UnitHandle> {
    this.calls.inspect++;
    const u = this.units.get(name);
    if (!u) throw new UnitNotFoundError(name);
    return this.handle(u);
  }

  async listUnits(options: { labels?: Readonly<Record<string, string>>; node?: string } = {}) {
    this.calls.list++;
    const want = Object.entries(options.labels ?? {});
    return [...this.units.values()]
      .filter((u) => !options.node || u.spec.node === options.node)
      .filter((u) => want.every(([k, v]) => u.spec.labels?.[k] === v))
      .map((u) => this.handle(u));
  }

  async stopUnit(name: string): Promise<UnitHandle> {
    const u = this.units.get(name);
    if (!u) throw new UnitNotFoundError(name);
    u.running = false;
    return this.handle(u);
  }

  async restartUnit(name: string): Promise<UnitHandle> {
    const u = this.units.get(name);
    if (!u) throw new UnitNotFoundError(name);
    u.running = true;
    u.startedAt = new Date();
    return this.handle(u);
  }

  async transferVolume(from: string, to: string, volume: string, unit: string): Promise<VolumeTransfer> {
    this.node(to);
    const v = this.volumes.get(volume);
    if (v?.node !== from || v.unit !== unit) throw new VolumeNotFoundError(volume, from);
    this.volumes.set(volume, { node: to, unit });
    return { volume, from, to, bytes: 0 };
  }

  async removeUnit(name: string, options: RemoveOptions = {}): Promise<void> {
    if (options.node !== undefined && this.units.get(name)?.spec.node !== options.node) return;
    const u = this.units.get(name);
    this.units.delete(name);
    if (options.volumes)
      for (const [v, owner] of this.volumes) if (owner.unit === name) this.volumes.delete(v);
    if (u) this.emit(u, 'destroy');
  }

  async logs(name: string): Promise<AsyncIterable<LogChunk>> {
    if (!this.units.has(name)) throw new UnitNotFoundError(name);
    return (async function* () {})();
  }

  async listOwned(): Promise<OwnedResource[]> {
    const out: OwnedResource[] = [];
    for (const [name, u] of this.units)
      for (const role of ['sidecar', 'daemon'])
        out.push({
          node: u.spec.node,
          kind: 'container',
          id: `${name}-${role}`,
          name: `${name}-${role}`,
          unit: name,
        });
    for (const [name, v] of this.volumes)
      out.push({ node: v.node, kind: 'volume', id: name, name, unit: v.unit });
    return out;
  }

  events(options: { signal?: AbortSignal } = {}): AsyncIterable<RuntimeEvent> {
    const feed = new AsyncQueue<RuntimeEvent>();
    this.feeds.add(feed);
    options.signal?.addEventListener('abort', () => {
      feed.close();
      this.feeds.delete(feed);
    });
    return feed;
  }

  async close(): Promise<void> {
    for (const f of this.feeds) f.close();
    this.feeds.clear();
  }

  private node(name: string): void {
    if (!this.opts.nodes.includes(name)) throw new NodeNotFoundError(name);
  }

  /** A host port another running unit of the node publishes is a conflict, as on an engine. */
  private checkPorts(spec: UnitSpec): void {
    const wanted = [spec.sidecar.hostPort, ...(spec.ports ?? []).map((p) => p.host)];
    for (const u of this.units.values()) {
      if (u.spec.name === spec.name || u.spec.node !== spec.node || !u.running) continue;
      const held = [u.spec.sidecar.hostPort, ...(u.spec.ports ?? []).map((p) => p.host)];
      const port = wanted.find((p) => held.includes(p));
      if (port !== undefined) throw new PortConflictError(spec.node, port, `unit ${u.spec.name}`);
    }
  }

  private emit(u: SimUnit, action: 'start' | 'destroy'): void {
    for (const f of this.feeds)
      for (const role of ['sidecar', 'daemon'] as const)
        f.push({
          kind: 'container',
          node: u.spec.node,
          unit: u.spec.name,
          role,
          containerId: `${u.spec.name}-${role}`,
          action,
          exitCode: null,
          health: null,
          time: new Date(),
        });
  }

  private handle(u: SimUnit): UnitHandle {
    const container = (role: 'sidecar' | 'daemon'): ContainerState => ({
      id: `${u.spec.name}-${role}`,
      name: `${u.spec.name}-${role}`,
      image: role === 'sidecar' ? u.spec.sidecar.image : u.spec.daemon.image,
      status: u.running ? 'running' : 'exited',
      running: u.running,
      health: null,
      exitCode: u.running ? null : 0,
      startedAt: u.startedAt,
      finishedAt: null,
      stopTimeoutSec: u.spec.stopTimeoutSec ?? 300,
      specHash: u.hash,
    });
    return {
      name: u.spec.name,
      node: u.spec.node,
      state: u.running ? 'running' : 'stopped',
      sidecar: container('sidecar'),
      daemon: container('daemon'),
      volume: volumeOf(u.spec),
      endpoint: `${this.opts.sidecarBase}/u/${u.spec.name}`,
      localEndpoint: `http://${u.spec.name}-sidecar:${u.spec.sidecar.port ?? 8080}`,
      labels: { ...(u.spec.labels ?? {}) },
    };
  }
}

const volumeOf = (spec: UnitSpec) => spec.volume?.name ?? `${spec.name}-data`;

/** The spec's digest, file contents included, as a real runtime labels its containers. */
function hashOf(spec: UnitSpec): string {
  const files = (spec.files ?? []).map((f) => ({
    ...f,
    content: createHash('sha256').update(f.content).digest('hex'),
  }));
  return createHash('sha256')
    .update(JSON.stringify({ ...spec, files }))
    .digest('hex')
    .slice(0, 32);
}
