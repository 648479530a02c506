import { chownSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { eventually } from '@nn/testkit';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import { stringify } from 'yaml';
import { podman } from './podman-cli.js';
import type { PodForPodman } from './podman-pod.js';

// A pod played by `podman kube play`, started and stopped in the kubelet's order, which podman 4.3
// does not keep (it starts a pod's containers in no fixed order, seen here, and stops them all at once):
// - start: each native sidecar in turn, the next only after its startupProbe succeeded (or, without
//   one, once it runs), then the main containers (Kubernetes 1.29+, KEP-753);
// - stop: SIGTERM to the main containers, the kill after terminationGracePeriodSeconds; then the
//   sidecars in reverse order with what is left of the grace period.

export interface ProbeResult {
  readonly ok: boolean;
  readonly detail: string;
}

export interface ContainerRun {
  readonly running: boolean;
  readonly exitCode: number;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly oomKilled: boolean;
}

export interface Stopped {
  readonly container: string;
  readonly exitCode: number;
  /** The grace (s) the container was given: the rest of terminationGracePeriodSeconds. */
  readonly graceSec: number;
}

export class PlayedPod {
  private constructor(
    readonly spec: PodForPodman,
    readonly network: string,
    readonly yamlFile: string,
    /** When each native sidecar's startupProbe (or running state) let the next container start. */
    readonly gates: Map<string, Date>,
  ) {}

  get name(): string {
    return this.spec.name;
  }

  /** Writes the Secret volumes' files and the pod's YAML, then `podman kube play --start=false`. */
  static async create(spec: PodForPodman, network: string, dir: string): Promise<PlayedPod> {
    for (const d of spec.secretDirs) {
      mkdirSync(d.dir, { recursive: true, mode: 0o755 });
      for (const f of d.files) {
        const path = join(d.dir, f.path);
        mkdirSync(dirname(path), { recursive: true, mode: 0o755 });
        writeFileSync(path, f.content, { mode: f.mode });
        chownSync(path, 0, f.gid);
      }
    }
    const yamlFile = join(dir, `${spec.name}.yaml`);
    writeFileSync(yamlFile, stringify(spec.pod), { mode: 0o600 });
    await podman(['kube', 'play', '--start=false', '--network', network, yamlFile]);
    return new PlayedPod(spec, network, yamlFile, new Map());
  }

  /** podman's name of a container of this pod. */
  container(name: string): string {
    return `${this.spec.name}-${name}`;
  }

  /** The pod's address on the network (once a container started it). */
  async ip(): Promise<string> {
    const infra = (await podman(['pod', 'inspect', this.spec.name, '--format', '{{.InfraContainerID}}']))
      .stdout;
    const nets = JSON.parse(
      (await podman(['inspect', infra.trim(), '--format', '{{json .NetworkSettings.Networks}}'])).stdout,
    ) as Record<string, { IPAddress: string }>;
    const ip = nets[this.network]?.IPAddress;
    if (!ip) throw new Error(`pod ${this.spec.name} has no address on ${this.network}`);
    return ip;
  }

  /**
   * The kubelet's start order: the plain init containers one after the other, each to exit 0; each
   * native sidecar, the next container only once its startupProbe succeeded (within the probe's own
   * budget, initialDelay + failureThreshold × period, after which the kubelet would restart it); then
   * the main containers. `atGate` runs when the sidecars are up and no main container has started.
   */
  async start(atGate?: () => Promise<void>): Promise<void> {
    for (const init of this.spec.init) {
      const r = await podman(['start', '--attach', this.container(init)], true);
      const code = (await this.state(init)).exitCode;
      if (code !== 0) throw new Error(`init container ${init} exited ${code}: ${r.stderr.trim()}`);
    }
    for (const sidecar of this.spec.sidecars) {
      await podman(['start', this.container(sidecar)]);
      const startup = this.spec.probes[sidecar]?.startup;
      if (startup) {
        const budgetSec =
          (startup.initialDelaySeconds ?? 0) +
          (startup.failureThreshold ?? 3) * (startup.periodSeconds ?? 10);
        await this.waitProbe(sidecar, 'startup', budgetSec * 1000);
      } else
        await eventually(
          async () => ((await this.state(sidecar)).running ? true : undefined),
          30_000,
          `${sidecar} running`,
        );
      this.gates.set(sidecar, new Date());
    }
    await atGate?.();
    for (const c of this.spec.main) await podman(['start', this.container(c)]);
  }

  /** Runs one of a container's probes as the kubelet would (from outside, at the pod's address). */
  async probe(container: string, probe: IProbe): Promise<ProbeResult> {
    const timeoutMs = Math.max(1, probe.timeoutSeconds ?? 1) * 1000;
    if (probe.exec?.command) {
      const r = await podman(['exec', this.container(container), ...probe.exec.command], true);
      return { ok: r.code === 0, detail: `exit ${r.code}` };
    }
    const port = probe.httpGet?.port ?? probe.tcpSocket?.port;
    if (port === undefined) throw new Error(`${container}: a probe podman's harness cannot run`);
    const number = typeof port === 'number' ? port : this.namedPort(container, port);
    const ip = probe.httpGet?.host ?? (await this.ip());
    if (probe.httpGet) {
      const scheme = (probe.httpGet.scheme ?? 'HTTP').toLowerCase();
      try {
        const res = await fetch(`${scheme}://${ip}:${number}${probe.httpGet.path ?? '/'}`, {
          signal: AbortSignal.timeout(timeoutMs),
          headers: Object.fromEntries((probe.httpGet.httpHeaders ?? []).map((h) => [h.name, h.value])),
        });
        const body = await res.text();
        return { ok: res.status >= 200 && res.status < 400, detail: `${res.status} ${body}` };
      } catch (err) {
        return { ok: false, detail: err instanceof Error ? err.message : String(err) };
      }
    }
    return tcpProbe(ip, number, timeoutMs);
  }

  private namedPort(container: string, name: string): number {
    const found = this.spec.probes[container]?.ports?.find((p) => p.name === name);
    if (!found) throw new Error(`${container}: no port named ${name}`);
    return found.containerPort;
  }

  /** Until the container's probe of that kind succeeds; returns the last answer. */
  async waitProbe(container: string, kind: 'startup' | 'readiness' | 'liveness', timeoutMs: number) {
    const probe = this.spec.probes[container]?.[kind];
    if (!probe) throw new Error(`${container} has no ${kind} probe in the template`);
    let last: ProbeResult = { ok: false, detail: 'not probed' };
    try {
      return await eventually(
        async () => {
          last = await this.probe(container, probe);
          return last.ok ? last : undefined;
        },
        timeoutMs,
        `${container}'s ${kind} probe`,
        500,
      );
    } catch (err) {
      throw new Error(`${(err as Error).message} (last: ${last.detail})`);
    }
  }

  async state(container: string): Promise<ContainerRun> {
    const r = await podman(['inspect', this.container(container), '--format', '{{json .State}}']);
    const s = JSON.parse(r.stdout) as {
      Running: boolean;
      ExitCode: number;
      StartedAt: string;
      FinishedAt: string;
      OOMKilled: boolean;
    };
    return {
      running: s.Running,
      exitCode: s.ExitCode,
      startedAt: new Date(s.StartedAt),
      finishedAt: new Date(s.FinishedAt),
      oomKilled: s.OOMKilled,
    };
  }

  async logs(container: string): Promise<string> {
    const r = await podman(['logs', this.container(container)], true);
    return `${r.stdout}${r.stderr}`;
  }

  /** Runs a command in a container; its output, or throws. */
  async exec(container: string, cmd: readonly string[]): Promise<string> {
    return (await podman(['exec', this.container(container), ...cmd])).stdout;
  }

  /** The kubelet's stop: main containers first within the grace period, then the sidecars in reverse. */
  async stop(): Promise<Stopped[]> {
    const deadline = Date.now() + this.spec.graceSec * 1000;
    const out: Stopped[] = [];
    const stop = async (names: readonly string[]) => {
      const graceSec = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
      if (names.length === 0) return;
      await podman(['stop', '--time', String(graceSec), ...names.map((n) => this.container(n))]);
      for (const n of names) out.push({ container: n, exitCode: (await this.state(n)).exitCode, graceSec });
    };
    await stop(this.spec.main);
    for (const s of [...this.spec.sidecars].reverse()) await stop([s]);
    return out;
  }

  /** Removes the pod, its claims' volumes and its Secret directories (also when half made). */
  async remove(): Promise<void> {
    await podman(['pod', 'rm', '--force', '--time', '0', this.spec.name], true);
    if (this.spec.claims.length > 0) await podman(['volume', 'rm', '--force', ...this.spec.claims], true);
    for (const d of this.spec.secretDirs) rmSync(d.dir, { recursive: true, force: true });
  }
}

function tcpProbe(host: string, port: number, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const s = connect({ host, port, timeout: timeoutMs });
    s.once('connect', () => {
      s.destroy();
      resolve({ ok: true, detail: 'connected' });
    });
    s.once('timeout', () => {
      s.destroy();
      resolve({ ok: false, detail: 'timeout' });
    });
    s.once('error', (err) => resolve({ ok: false, detail: err.message }));
  });
}
