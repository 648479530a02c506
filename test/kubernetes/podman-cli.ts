import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { isRunAlive, type ProcessRun, runId, runProcess } from '@nn/testkit';

// The podman CLI for the tests that play Kubernetes pod specs (no cluster can run on these machines;
// Debian's podman 4.3 plays Pods for real). Everything a run makes is named `nnk<run>-...`, so the
// leftovers of a killed run are found by name alone, and a run never touches another live run's.

const CONTAINERS_CONF = '/etc/containers/containers.conf';
/** The prefix of every podman pod, volume, secret and network of this test run. */
export const podmanPrefix = (run: string = runId()): string => `nnk${run}-`;
const OWN = /^nnk([a-z0-9]{1,8})-/;

/** Runs podman; throws with its stderr when it fails (unless allowed to). */
export async function podman(args: readonly string[], allowFail = false): Promise<ProcessRun> {
  const run = await runProcess('podman', args, { timeoutMs: 600_000 });
  if (run.code !== 0 && !allowFail)
    throw new Error(`podman ${args.join(' ')} exited ${run.code}: ${run.stderr.trim() || run.stdout.trim()}`);
  return run;
}

/** Fails with what to do when podman, its pause binary or the ulimits line is missing. */
export async function requirePodman(): Promise<string> {
  const how = 'run `bash .ci/run` or `source deploy/lib/bootstrap.sh && ensure_podman`';
  let version: ProcessRun;
  try {
    version = await runProcess('podman', ['version', '--format', '{{.Client.Version}}']);
  } catch {
    throw new Error(`podman is not installed: ${how}`);
  }
  if (version.code !== 0) throw new Error(`podman does not answer (${version.stderr.trim()}): ${how}`);
  const which = await runProcess('sh', ['-c', 'command -v catatonit']);
  if (which.code !== 0) throw new Error(`catatonit (podman's pause binary) is missing: ${how}`);
  let conf = '';
  try {
    conf = readFileSync(CONTAINERS_CONF, 'utf8');
  } catch {}
  if (!/^\s*default_ulimits/m.test(conf))
    throw new Error(
      `${CONTAINERS_CONF} has no default_ulimits (every container would fail with 'error setting rlimit'): ${how}`,
    );
  return version.stdout.trim();
}

async function imageId(engine: 'docker' | 'podman', ref: string): Promise<string | null> {
  const r = await runProcess(engine, ['image', 'inspect', '--format', '{{.Id}}', ref]);
  return r.code === 0 ? r.stdout.trim().replace(/^sha256:/, '') : null;
}

/**
 * Copies the images from the Docker engine into podman's storage (as localhost/NAME:TAG, which a
 * short reference in a pod spec resolves to), only those podman lacks or holds at another id (a
 * rebuild of the same tag). Returns the references it loaded.
 */
export async function loadImages(refs: readonly string[]): Promise<string[]> {
  const stale: string[] = [];
  for (const ref of refs) {
    const docker = await imageId('docker', ref);
    if (docker === null)
      throw new Error(`image ${ref} is not in the Docker engine: run bash images/build.sh`);
    if ((await imageId('podman', `localhost/${ref}`)) !== docker) stale.push(ref);
  }
  if (stale.length > 0) await pipeSaveToLoad(stale);
  return stale;
}

function pipeSaveToLoad(refs: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const save = spawn('docker', ['save', ...refs], { stdio: ['ignore', 'pipe', 'pipe'] });
    const load = spawn('podman', ['load', '--quiet'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let err = '';
    save.stderr.on('data', (c: Buffer) => {
      err += c.toString();
    });
    load.stderr.on('data', (c: Buffer) => {
      err += c.toString();
    });
    save.stdout.pipe(load.stdin);
    save.once('error', reject);
    load.once('error', reject);
    let saved: number | null = null;
    save.once('close', (code) => {
      saved = code;
    });
    load.once('close', (code) => {
      if (code === 0 && saved === 0) resolve();
      else reject(new Error(`docker save | podman load of ${refs.join(' ')} failed: ${err.trim()}`));
    });
  });
}

/** Names of podman objects of a kind (pods, volumes, secrets, networks). */
async function names(kind: 'pod' | 'volume' | 'secret' | 'network'): Promise<string[]> {
  const list =
    kind === 'pod' ? ['pod', 'ps', '--format', '{{.Name}}'] : [kind, 'ls', '--format', '{{.Name}}'];
  const r = await podman(list);
  return r.stdout.split('\n').filter((n) => n !== '');
}

/**
 * Removes every pod, volume, secret and network whose name starts with one of the prefixes, or, with
 * `deadRuns`, of any `nnk<run>-` whose run no longer runs (a killed run's leftovers). Pods go first
 * (their containers hold the volumes and the network).
 */
export async function removePodmanObjects(select: { prefixes?: string[]; deadRuns?: boolean }) {
  const mine = (name: string) => {
    if (select.prefixes?.some((p) => name.startsWith(p))) return true;
    const run = OWN.exec(name)?.[1];
    return select.deadRuns === true && run !== undefined && run !== runId() && !isRunAlive(run);
  };
  const removed: string[] = [];
  for (const kind of ['pod', 'volume', 'secret', 'network'] as const) {
    const doomed = (await names(kind)).filter(mine);
    if (doomed.length === 0) continue;
    const rm =
      kind === 'pod'
        ? ['pod', 'rm', '--force', '--time', '0', ...doomed]
        : [kind, 'rm', '--force', ...doomed];
    await podman(rm, true);
    removed.push(...doomed.map((n) => `${kind} ${n}`));
  }
  return removed;
}
