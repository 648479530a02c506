import { request } from 'node:http';

/** Where and how Iguana reaches a coin's daemon (from its conf file, see coins/conf-reader.ts). */
export interface DaemonEndpoint {
  readonly symbol: string;
  readonly port: number;
  /** `rpcuser:rpcpassword`; never logged. */
  readonly userpass: string;
}

export class DaemonRpcError extends Error {
  constructor(
    readonly method: string,
    message: string,
    readonly code?: number,
  ) {
    super(`${method}: ${message}`);
    this.name = 'DaemonRpcError';
  }
}

export interface DaemonCaller {
  call<T = unknown>(ep: DaemonEndpoint, method: string, params?: readonly unknown[]): Promise<T>;
}

export interface HttpDaemonCallerOptions {
  readonly timeoutMs?: number;
  /** Sleeps between connection retries; Iguana's bitcoind_RPC retries 4 times after 2/4/8 s. */
  readonly retryDelaysMs?: readonly number[];
}

/**
 * Iguana's daemon transport (dPoW crypto777/bitcoind_RPC.c): POST to 127.0.0.1:<rpcport> with basic
 * auth, `User-Agent: mozilla/4.0`, no Expect header, the body {"id":"jl777","agent":SYM,"method","params"}.
 * Only `result` is used when `error` is null; anything else becomes a DaemonRpcError.
 */
export class HttpDaemonCaller implements DaemonCaller {
  private readonly timeoutMs: number;
  private readonly retries: readonly number[];

  constructor(opts: HttpDaemonCallerOptions = {}) {
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.retries = opts.retryDelaysMs ?? [2_000, 4_000, 8_000];
  }

  async call<T = unknown>(ep: DaemonEndpoint, method: string, params: readonly unknown[] = []): Promise<T> {
    const body = JSON.stringify({ id: 'jl777', agent: ep.symbol, method, params });
    for (let attempt = 0; ; attempt++) {
      let reply: { status: number; text: string };
      try {
        reply = await this.post(ep, body);
      } catch (err) {
        const delay = this.retries[attempt];
        if (delay === undefined)
          throw new DaemonRpcError(method, `cannot reach 127.0.0.1:${ep.port} (${(err as Error).message})`);
        await new Promise((r) => setTimeout(r, delay));
        continue;
      }
      let parsed: { result?: unknown; error?: { code?: number; message?: string } | null };
      try {
        parsed = JSON.parse(reply.text) as typeof parsed;
      } catch {
        throw new DaemonRpcError(method, `HTTP ${reply.status} ${reply.text.slice(0, 200)}`);
      }
      if (parsed.error !== null && parsed.error !== undefined) {
        throw new DaemonRpcError(
          method,
          parsed.error.message ?? JSON.stringify(parsed.error),
          parsed.error.code,
        );
      }
      return parsed.result as T;
    }
  }

  private post(ep: DaemonEndpoint, body: string): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: ep.port,
          method: 'POST',
          path: '/',
          headers: {
            Authorization: `Basic ${Buffer.from(ep.userpass).toString('base64')}`,
            'User-Agent': 'mozilla/4.0',
            'Content-Length': Buffer.byteLength(body),
          },
          timeout: this.timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
          );
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.on('error', reject);
      req.end(body);
    });
  }
}
