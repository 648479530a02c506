import { homedir } from 'node:os';
import { join } from 'node:path';

// Where `nnctl up` keeps one node's files: <NN_HOME or ~/.nn>/<name>/. Secrets are 0600 files under
// secrets/ (0700); nothing secret is written anywhere else.

export interface NodeHome {
  readonly dir: string;
  readonly name: string;
  readonly secretsDir: string;
  /** The orchestrator's config (no secrets: paths only). */
  readonly configFile: string;
  /** The API keys file: {"viewer": [...], "operator": [...]}, mode 600; nnctl reads it as a key file. */
  readonly keysFile: string;
  readonly electedFile: string;
  /** Pid files of the host processes an earlier nnctl ran (the orchestrator, Redis): `up`/`down` stop them. */
  readonly orchestratorPid: string;
  readonly redisDir: string;
  readonly redisPid: string;
  /** What `up` settled on (API URL, Redis URL, ports), for `down` and later `up`s. */
  readonly stateFile: string;
}

export function nnRoot(env: Readonly<Record<string, string | undefined>>): string {
  return env.NN_HOME ?? join(homedir(), '.nn');
}

export function nodeHome(root: string, name: string): NodeHome {
  const dir = join(root, name);
  return {
    dir,
    name,
    secretsDir: join(dir, 'secrets'),
    configFile: join(dir, 'orchestrator.json'),
    keysFile: join(dir, 'api-keys.json'),
    electedFile: join(dir, 'elected.json'),
    orchestratorPid: join(dir, 'orchestrator.pid'),
    redisDir: join(dir, 'redis'),
    redisPid: join(dir, 'redis.pid'),
    stateFile: join(dir, 'up.json'),
  };
}
