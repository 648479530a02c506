import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { claim } from '@nn/testkit';
import Docker from 'dockerode';

const here = dirname(fileURLToPath(import.meta.url));

export interface ClusterEngine {
  readonly name: string;
  readonly socket: string;
  readonly address: string;
  /** `tcp://<address>:2376` when the cluster was started with `tls`. */
  readonly tcp?: string;
  readonly labels: Record<string, string>;
}

/** A client certificate every engine of a `tls` cluster accepts, and the CA that signed their servers. */
export interface ClusterTls {
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
}

export interface Cluster {
  readonly state: string;
  readonly engines: readonly ClusterEngine[];
  /** Set when started with `tls`. */
  readonly tls?: ClusterTls;
  docker(name: string): Docker;
  /** Stops engine `name` (by its pid) and starts it again in its namespace. */
  restartEngine(name: string): void;
  /** Removes everything up.sh made (engines by pid, namespaces, veths, bridge, routes). Idempotent. */
  down(): void;
}

export interface ClusterOptions {
  /** Address slot 0-7: test files running clusters side by side each take their own. Default 0. */
  readonly slot?: number;
  /** Images loaded from the host engine into every engine. Default devchain and chain-sidecar. */
  readonly images?: readonly string[];
  /** Engines also listen on TCP with TLS client verification (certificates made under the state dir). */
  readonly tls?: boolean;
}

/**
 * N extra Docker engines in network namespaces (test/cluster/up.sh). up.sh undoes itself when it
 * fails; the caller runs down() in afterAll, which also runs when tests fail.
 */
export function startCluster(n = 2, options: ClusterOptions = {}): Cluster {
  const state = mkdtempSync('/tmp/nnc-');
  // Before up.sh makes anything: a run killed in the middle leaves the next run its down.sh to run.
  claim({ kind: 'cluster', state });
  const down = () => {
    const r = spawnSync('bash', [join(here, 'down.sh'), state], { encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0) throw new Error(`down.sh failed: ${r.stderr}`);
  };
  const up = spawnSync('bash', [join(here, 'up.sh'), state, String(n), String(options.slot ?? 0)], {
    encoding: 'utf8',
    timeout: 180_000,
    env: {
      ...process.env,
      ...(options.images ? { NN_CLUSTER_IMAGES: options.images.join(' ') } : {}),
      ...(options.tls ? { NN_CLUSTER_TLS: '1' } : {}),
    },
  });
  if (up.status !== 0) {
    down();
    throw new Error(`up.sh failed (${up.status}):\n${up.stdout}\n${up.stderr}`);
  }
  const engines = JSON.parse(readFileSync(join(state, 'engines.json'), 'utf8')) as ClusterEngine[];
  const clients = new Map(engines.map((e) => [e.name, new Docker({ socketPath: e.socket })]));
  const tlsDir = join(state, 'tls');
  return {
    state,
    engines,
    ...(options.tls
      ? {
          tls: {
            ca: join(tlsDir, 'ca.pem'),
            cert: join(tlsDir, 'client-cert.pem'),
            key: join(tlsDir, 'client-key.pem'),
          },
        }
      : {}),
    docker(name) {
      const d = clients.get(name);
      if (!d) throw new Error(`no engine ${name}`);
      return d;
    },
    restartEngine(name) {
      const r = spawnSync('bash', [join(here, 'restart-engine.sh'), state, name.replace(/^e/, '')], {
        encoding: 'utf8',
        timeout: 120_000,
      });
      if (r.status !== 0) throw new Error(`restart-engine.sh failed: ${r.stderr}`);
    },
    down,
  };
}
