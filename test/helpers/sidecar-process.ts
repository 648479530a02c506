import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import {
  parseSidecarConfig,
  type RunningSidecar,
  type SidecarConfig,
  startSidecar,
  TokenStore,
} from '@nn/chain-sidecar';
import { createLogger } from '@nn/shared';
import { freePorts, LogCapture } from '@nn/testkit';
import { afterEach } from 'vitest';
import { DevchainPool, type DevchainProcess, writeConf } from './devchain-process.js';

/** Tokens of a test sidecar: long random-looking strings, one per role. */
export interface Tokens {
  readonly viewer: string;
  readonly operator: string;
}

export function newTokens(tag: string): Tokens {
  const rnd = () => Math.random().toString(36).slice(2).padEnd(12, '0');
  return { viewer: `viewer-${tag}-${rnd()}${rnd()}`, operator: `operator-${tag}-${rnd()}${rnd()}` };
}

/** A secret file the way operators keep them: mode 600, its folder created. */
export function writeSecret(path: string, text: string): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${text}\n`, { mode: 0o600 });
  return path;
}

export interface KmdHome {
  readonly home: string;
  readonly conf: string;
  readonly rpcPort: number;
  readonly password: string;
  /** The devchain flags (p2p port and `extraArgs`); the RPC port comes from the conf. */
  readonly args: readonly string[];
}

/** A HOME with an operator-written komodo.conf on free ports, no daemon started yet. */
export async function prepareKmdHome(
  pool: DevchainPool,
  extraArgs: readonly string[] = [],
): Promise<KmdHome> {
  const home = pool.home('sidecar-kmd-');
  const ports = await freePorts('p2p', 'rpc');
  const conf = join(home, '.komodo', 'komodo.conf');
  const password = `kmd-rpc-password-${Math.random().toString(36).slice(2)}`;
  writeConf(conf, {
    rpcuser: 'kmduser',
    rpcpassword: password,
    rpcport: ports.rpc,
    port: ports.p2p,
    server: 1,
    txindex: 1,
  });
  return { home, conf, rpcPort: ports.rpc, password, args: ['-gen=0', `-port=${ports.p2p}`, ...extraArgs] };
}

/** A KMD devchain in its own HOME (see prepareKmdHome), started. */
export async function startKmd(
  pool: DevchainPool,
  extraArgs: readonly string[] = [],
): Promise<KmdHome & { kmd: DevchainProcess }> {
  const h = await prepareKmdHome(pool, extraArgs);
  return { ...h, kmd: pool.start(h.args, h.home) };
}

/** Sidecar config for tests: listens on 127.0.0.1:0; `tokensFile` is unused (tokens are given in code). */
export function testConfig(raw: Record<string, unknown>): SidecarConfig {
  return parseSidecarConfig({ listen: '127.0.0.1:0', tokensFile: '/nonexistent/tokens.json', ...raw });
}

export interface TestSidecar {
  readonly sidecar: RunningSidecar;
  readonly url: string;
  readonly tokens: Tokens;
}

/** Starts a sidecar in this process; `sidecars` collects it for cleanup. */
export async function startTestSidecar(
  cfg: SidecarConfig,
  tokens: Tokens,
  sidecars: RunningSidecar[],
  opts: { level?: string; destination?: Writable } = {},
): Promise<TestSidecar> {
  const log = createLogger('chain-sidecar', {
    level: opts.level ?? 'silent',
    ...(opts.destination ? { destination: opts.destination } : {}),
  });
  const sidecar = await startSidecar(
    cfg,
    log,
    TokenStore.of({ viewer: [tokens.viewer], operator: [tokens.operator] }),
  );
  sidecars.push(sidecar);
  return { sidecar, url: `http://${sidecar.address}`, tokens };
}

export interface HttpReply {
  readonly status: number;
  readonly text: string;
  readonly headers: Record<string, string | string[] | undefined>;
  /** The parsed body, or undefined when it is not JSON. */
  readonly json: unknown;
}

/** A plain HTTP request (no client-side magic), bounded in time. */
export function http(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const body = opts.body === undefined ? undefined : Buffer.from(opts.body);
    const req = request(
      url,
      {
        method: opts.method ?? (body ? 'POST' : 'GET'),
        headers: { ...(body ? { 'content-length': String(body.length) } : {}), ...opts.headers },
        timeout: 20_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, text, headers: res.headers, json });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout: ${url}`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** POST /v1/rpc with a bearer token (or none) and a raw body. */
export function sidecarRpc(base: string, token: string | undefined, body: string): Promise<HttpReply> {
  return http(`${base}/v1/rpc`, {
    body,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
}

/** The result of one call through the sidecar, or throws with the reply. */
export async function callVia<T>(
  base: string,
  token: string,
  method: string,
  params: unknown[] = [],
): Promise<T> {
  const r = await sidecarRpc(base, token, JSON.stringify({ method, params, id: method }));
  const j = r.json as { result: T; error: unknown } | undefined;
  if (r.status !== 200 || !j || j.error) throw new Error(`${method} via sidecar: ${r.status} ${r.text}`);
  return j.result;
}

/**
 * An HTTP forwarder in front of a daemon's RPC that counts the requests it forwards, to prove which
 * requests the sidecar let through: point the sidecar's `daemon.url` at it.
 */
export interface CountingProxy {
  readonly url: string;
  /** Requests forwarded so far, and their bodies. */
  readonly bodies: string[];
  close(): Promise<void>;
}

export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const bodies: string[] = [];
  const t = new URL(target);
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      bodies.push(body.toString('utf8'));
      const up = request(
        { host: t.hostname, port: t.port, path: t.pathname, method: req.method, headers: req.headers },
        (upRes) => {
          res.writeHead(upRes.statusCode ?? 502, upRes.headers);
          upRes.pipe(res);
        },
      );
      up.on('error', () => {
        if (!res.headersSent) res.writeHead(502);
        res.end();
      });
      up.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    bodies,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export { LogCapture };

/** Closes every sidecar (never stopping daemons); errors of one do not keep the others open. */
export async function closeSidecars(sidecars: RunningSidecar[]): Promise<void> {
  for (const s of sidecars.splice(0)) await s.close().catch(() => undefined);
}

/**
 * A test file's devchains and sidecars: each test puts what it starts here, and both are stopped after
 * it, also when it fails.
 */
export function sidecarFixture(): { readonly pool: DevchainPool; readonly sidecars: RunningSidecar[] } {
  const pool = new DevchainPool();
  const sidecars: RunningSidecar[] = [];
  afterEach(async () => {
    await closeSidecars(sidecars);
    await pool.cleanup();
  });
  return { pool, sidecars };
}
