import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { commandLine } from '@nn/testkit';
import type Docker from 'dockerode';
import { type Cluster, startCluster } from '../cluster/cluster.js';

// The chaos suite's own Docker engines: test/cluster's dockerds in network namespaces (address slot 5,
// no other file uses it), so a SIGKILL, a reboot or a cut link never touches the shared engine at
// /var/run/docker.sock. Every process is signalled by its own pid after /proc/<pid>/cmdline shows it is
// this engine's (its data root, exec root or containerd socket are under the cluster's state dir).

/** The images a devnet node brought up by `nnctl up` runs (the control plane's own included). */
export const NODE_IMAGES = [
  'nn/devchain:0.1.0',
  'nn/chain-sidecar:0.1.0',
  'nn/deviguana:0.1.0',
  'nn/iguana-sidecar:0.1.0',
  'nn/redis:0.1.0',
  'nn/orchestrator:0.1.0',
];
export const CHAOS_SLOT = 5;

export interface ChaosEngine {
  readonly cluster: Cluster;
  /** Engine `i` (1-based): its name e<i>, socket, address and state dir. */
  engine(i: number): { name: string; socket: string; address: string; dir: string; netns: string };
  docker(i: number): Docker;
  /** SIGKILL of dockerd alone (its containers live on under their shims, as in a crash); waits for its exit. */
  killEngine(i: number): void;
  /** Starts engine i again in its namespace and waits until it answers. */
  startEngine(i: number): void;
  /** A power loss: every container's processes, their shims, containerd and dockerd SIGKILLed, and the exec root (tmpfs on a real host) emptied. */
  powerOff(i: number): void;
  /** SIGKILL of the main process of container `name` on engine i, by its pid (the engine sees a crash). */
  killContainerProcess(i: number, name: string): Promise<void>;
  /** Takes engine i's link to the bridge down (true) or up again (false). */
  setLink(i: number, down: boolean): void;
  down(): void;
}

function sh(cmd: string, args: readonly string[]): string {
  const r = spawnSync(cmd, [...args], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

const alive = (pid: number) => existsSync(`/proc/${pid}`) && !zombie(pid);
function zombie(pid: number): boolean {
  try {
    return /^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

/** SIGKILL of `pid` when its command line contains `marker`; waits (up to 10 s) until it is gone. */
function killIfOurs(pid: number, marker: string): boolean {
  const cmd = commandLine(pid);
  if (cmd === undefined || !cmd.includes(marker)) return false;
  process.kill(pid, 'SIGKILL');
  const deadline = Date.now() + 10_000;
  while (alive(pid) && Date.now() < deadline) spawnSync('sleep', ['0.05']);
  if (alive(pid)) throw new Error(`pid ${pid} (${cmd.slice(0, 80)}) survived SIGKILL`);
  return true;
}

const readPidFile = (file: string) => {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 1 ? pid : undefined;
  } catch {
    return undefined;
  }
};

function clearStale(pidFile: string, marker: string): void {
  const pid = readPidFile(pidFile);
  if (pid !== undefined && (!alive(pid) || !commandLine(pid)?.includes(marker)))
    rmSync(pidFile, { force: true });
}

/** The containerd shims of this engine: their command line names its containerd socket. */
function shimPids(dir: string): number[] {
  const socket = join(dir, 'x', 'containerd', 'containerd.sock');
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .map(Number)
    .filter((pid) => {
      const cmd = commandLine(pid);
      return cmd?.includes('containerd-shim') === true && cmd.includes(socket);
    });
}

/** `slot`: the address slot (bench/recovery.ts takes 6, so it may run beside the suite). */
export function startChaosEngines(n: number, slot = CHAOS_SLOT): ChaosEngine {
  const cluster = startCluster(n, { slot, images: NODE_IMAGES });
  // The cluster's id as up.sh names its namespaces and veths by it: the state dir's last 6 [a-z0-9].
  const id =
    cluster.state
      .split('/')
      .pop()
      ?.replace(/[^a-z0-9]/g, '')
      .slice(-6) ?? '';
  const engine = (i: number) => {
    const e = cluster.engines[i - 1];
    if (!e) throw new Error(`no engine ${i}`);
    return { ...e, dir: join(cluster.state, `e${i}`), netns: `nn-${id}-${i}` };
  };
  const killDockerd = (i: number) => {
    const { dir } = engine(i);
    const pid = readPidFile(join(dir, 'docker.pid'));
    if (pid === undefined || !killIfOurs(pid, `--data-root ${dir}/data`))
      throw new Error(`engine e${i} is not running (pid file ${dir}/docker.pid)`);
  };
  const self: ChaosEngine = {
    cluster,
    engine,
    docker: (i) => cluster.docker(`e${i}`),
    killEngine: killDockerd,
    startEngine(i) {
      const { dir, socket } = engine(i);
      // dockerd refuses a pid file whose pid still exists, and waits for a containerd whose pid file
      // names a live process; the killed ones may linger as zombies here (nothing reaps them as systemd
      // would), so a pid file naming no live process of this engine goes.
      clearStale(join(dir, 'docker.pid'), `--data-root ${dir}/data`);
      clearStale(join(dir, 'x', 'containerd', 'containerd.pid'), dir);
      sh('bash', [join(import.meta.dirname, '..', 'cluster', 'start-engine.sh'), cluster.state, String(i)]);
      const deadline = Date.now() + 60_000;
      while (spawnSync('docker', ['-H', `unix://${socket}`, 'info'], { stdio: 'ignore' }).status !== 0) {
        if (Date.now() > deadline) {
          const log = readFileSync(join(dir, 'dockerd.log'), 'utf8').split('\n').slice(-20).join('\n');
          throw new Error(`engine e${i} did not answer within 60 s; dockerd.log:\n${log}`);
        }
        spawnSync('sleep', ['0.2']);
      }
    },
    powerOff(i) {
      const { dir } = engine(i);
      // dockerd first: alive, it would restart the containers killed below (restart policies) while
      // their shims go, and record half-made starts. Then containerd, the container processes (a
      // SIGKILL of a pid namespace's init ends all of it) and their shims. Each checked to be this engine's.
      killDockerd(i);
      const containerd = readPidFile(join(dir, 'x', 'containerd', 'containerd.pid'));
      if (containerd !== undefined) killIfOurs(containerd, dir);
      killShims(dir);
      // /run is a tmpfs on a real machine: nothing of the engine's runtime state survives a reboot.
      rmSync(join(dir, 'x'), { recursive: true, force: true });
    },
    async killContainerProcess(i, name) {
      const info = await self.docker(i).getContainer(name).inspect();
      const pid = info.State.Pid;
      if (!info.State.Running || pid <= 0) throw new Error(`container ${name} is not running`);
      // Its command line is the container's entry point and arguments.
      if (!killIfOurs(pid, info.Path)) throw new Error(`pid ${pid} is not ${name}'s ${info.Path}`);
    },
    setLink(i, down) {
      sh('ip', ['link', 'set', `nnv${id}${i}`, down ? 'down' : 'up']);
    },
    down() {
      try {
        cluster.down();
      } finally {
        // An engine a case left dead cannot remove its containers: their processes, still under their
        // shims, are ended here (each shim checked to be this cluster's by its containerd socket).
        for (const e of cluster.engines) killShims(join(cluster.state, e.name));
      }
    },
  };
  return self;
}

/** Every container process of the engine in `dir` (the children of its shims), then the shims. */
function killShims(dir: string): void {
  for (const shim of shimPids(dir)) {
    // A shim's children are its containers' inits, ours since the shim is.
    for (const child of childrenOf(shim)) if (alive(child)) killIfOurs(child, '');
    killIfOurs(shim, join(dir, 'x'));
  }
}

/** Direct children of `pid` (a shim's container init). */
function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}
