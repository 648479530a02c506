import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type Agent, createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { parseConf } from '@nn/komodo-params';
import { readSecretFile, writeFileAtomic } from '@nn/shared';
import type { Logger } from 'pino';
import { VIEWER_METHODS } from '../api/allowlist.js';
import { errorReply, GatewayCode, parseRpcBody } from '../api/jsonrpc.js';
import { type BridgeConfig, SIDECAR_ROUTES } from '../contract/index.js';
import { keepAliveAgent, post } from '../daemon/post.js';
import type { SidecarMetrics } from '../metrics.js';

/** The conf lines the daemon reads for its upstream: bridge-local credentials, the bridge's port. */
export function renderBridgeConf(
  user: string,
  password: string,
  port: number,
  extra: Record<string, string>,
): string {
  const lines = [`rpcuser=${user}`, `rpcpassword=${password}`, `rpcport=${port}`, 'server=1'];
  for (const [k, v] of Object.entries(extra)) lines.push(`${k}=${v}`);
  return `${lines.join('\n')}\n`;
}

/**
 * A loopback bridge. Daemons reach their dependencies only at 127.0.0.1 with credentials from a conf
 * file (an assetchain reads ~/.komodo/komodo.conf and calls KMD at 127.0.0.1:7771). The bridge
 * writes that conf with credentials of its own, listens at 127.0.0.1:<port> inside the unit, checks
 * each call against its allowlist and forwards it to the upstream unit's sidecar over the cluster
 * network with the bridge's bearer token. The daemon runs unmodified; the upstream's RPC password
 * never leaves its unit.
 */
export class LoopbackBridge {
  private server: Server | undefined;
  private user = `bridge${randomBytes(4).toString('hex')}`;
  private password = randomBytes(32).toString('hex');
  private closed = false;
  private readonly allowed: ReadonlySet<string>;
  /** Keep-alive sockets to the upstream sidecar (node:http: no WebAssembly HTTP parser per process). */
  private readonly agent: Agent;
  private readonly upstreamUrl: URL;

  constructor(
    private readonly cfg: BridgeConfig,
    private readonly maxBodyBytes: number,
    private readonly metrics: Pick<SidecarMetrics, 'bridgeRequests'>,
    private readonly log: Logger,
  ) {
    this.allowed = new Set(cfg.methods ?? VIEWER_METHODS);
    const url = new URL(cfg.upstream);
    this.agent = keepAliveAgent(16);
    this.upstreamUrl = new URL(`${url.origin}${url.pathname.replace(/\/$/, '')}${SIDECAR_ROUTES.rpc.path}`);
  }

  async start(): Promise<void> {
    // Conf first: the daemon reads it when it starts, and a bridge is up before its daemon. A daemon
    // reads it only once, so a restarted sidecar (its daemon still running) keeps the credentials.
    const previous = previousCredentials(this.cfg.confPath);
    if (previous) {
      this.user = previous.user;
      this.password = previous.password;
    }
    writeFileAtomic(
      this.cfg.confPath,
      renderBridgeConf(this.user, this.password, this.cfg.port, this.cfg.confExtra),
    );
    const server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        this.log.error(
          { bridge: this.cfg.name, err: err instanceof Error ? err.message : String(err) },
          'bridge failed',
        );
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.cfg.port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.log.info(
      { bridge: this.cfg.name, port: this.cfg.port, conf: this.cfg.confPath, upstream: this.cfg.upstream },
      'loopback bridge up',
    );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const server = this.server;
    if (server) {
      const done = new Promise<void>((resolve) => server.close(() => resolve()));
      // Before waiting: a daemon's keep-alive connection would otherwise hold close() open.
      server.closeAllConnections();
      await done;
    }
    this.agent.destroy();
  }

  private authorized(header: string | undefined): boolean {
    if (!header?.startsWith('Basic ')) return false;
    const given = Buffer.from(header.slice(6).trim(), 'base64');
    const expected = Buffer.from(`${this.user}:${this.password}`);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res
        .writeHead(status, { 'content-type': 'application/json', ...headers })
        .end(`${JSON.stringify(body)}\n`);
    };
    if (req.method !== 'POST') {
      res.writeHead(405).end('JSONRPC server handles only POST requests');
      return;
    }
    if (!this.authorized(req.headers.authorization)) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="jsonrpc"' }).end();
      return;
    }
    const raw = await readLimited(req, this.maxBodyBytes);
    if (!raw) {
      send(413, errorReply(GatewayCode.INVALID_REQUEST, `request body exceeds ${this.maxBodyBytes} bytes`));
      return;
    }
    const parsed = parseRpcBody(raw);
    if (!parsed.ok) {
      send(parsed.status, parsed.reply);
      return;
    }
    for (const r of parsed.requests) {
      if (!this.allowed.has(r.method)) {
        this.metrics.bridgeRequests.inc({ bridge: this.cfg.name, method: 'other', outcome: 'forbidden' });
        send(
          403,
          errorReply(
            GatewayCode.FORBIDDEN,
            `method '${r.method}' is not allowed through the ${this.cfg.name} bridge`,
            r.id,
          ),
        );
        return;
      }
    }
    let token: string;
    try {
      token = readSecretFile(this.cfg.tokenFile);
    } catch (err) {
      send(
        503,
        errorReply(
          GatewayCode.DAEMON_UNREACHABLE,
          `${this.cfg.name} bridge has no token: ${err instanceof Error ? err.message : ''}`,
        ),
      );
      return;
    }
    try {
      const up = await post(
        this.upstreamUrl,
        { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        raw,
        this.agent,
        30_000,
      );
      for (const r of parsed.requests)
        this.metrics.bridgeRequests.inc({
          bridge: this.cfg.name,
          method: r.method,
          outcome: String(up.status),
        });
      res.writeHead(up.status, { 'content-type': up.contentType ?? 'application/json' }).end(up.body);
    } catch (err) {
      for (const r of parsed.requests)
        this.metrics.bridgeRequests.inc({ bridge: this.cfg.name, method: r.method, outcome: 'unreachable' });
      send(
        503,
        errorReply(
          GatewayCode.DAEMON_UNREACHABLE,
          `${this.cfg.name} upstream unreachable: ${(err as { code?: string }).code ?? 'error'}`,
        ),
      );
    }
  }
}

/** rpcuser/rpcpassword of a conf this bridge wrote before (same shapes), or undefined. */
function previousCredentials(path: string): { user: string; password: string } | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  const conf = parseConf(text);
  const user = conf.get('rpcuser')?.[0];
  const password = conf.get('rpcpassword')?.[0];
  if (!user || !password || !/^bridge[0-9a-f]{8}$/.test(user) || !/^[0-9a-f]{64}$/.test(password))
    return undefined;
  return { user, password };
}

function readLimited(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) over = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve(over ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
