import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake of one coin's chain sidecar (@nn/chain-sidecar's /v1/rpc and /v1/status) for unit tests:
 * bearer token, a few wallet methods with state (locked UTXOs), a settable notarisation.
 */
export class FakeChainSidecar {
  locked: Array<{ txid: string; vout: number }> = [];
  notarized = 0;
  /** Block time of the notarised block (unix seconds). */
  notarizedTime = 0;
  notaryUtxos: number | null = 0;
  blocks = 100;
  /** Methods received on /v1/rpc, in order. */
  readonly methods: string[] = [];
  private server: Server | undefined;
  url = '';

  constructor(
    readonly coin: string,
    private readonly token: string,
    private readonly events?: string[],
  ) {}

  async start(): Promise<this> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const send = (status: number, body: unknown) =>
          res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
        if (req.headers.authorization !== `Bearer ${this.token}`) {
          send(401, {
            result: null,
            error: { code: -32001, message: 'missing or invalid bearer token' },
            id: null,
          });
          return;
        }
        if (req.method === 'GET' && req.url === '/v1/status') {
          send(200, {
            chain: this.coin,
            rpc: 'ok',
            blocks: this.blocks,
            notarized: this.notarized,
            notaryUtxos: this.notaryUtxos,
          });
          return;
        }
        if (req.method === 'POST' && req.url === '/v1/rpc') {
          const {
            method,
            params = [],
            id = null,
          } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
            method: string;
            params?: unknown[];
            id?: unknown;
          };
          this.methods.push(method);
          this.events?.push(`${this.coin}:${method}`);
          const ok = (result: unknown) => send(200, { result, error: null, id });
          switch (method) {
            case 'listlockunspent':
              return ok(this.locked);
            case 'lockunspent': {
              const [unlock, list] = params as [boolean, Array<{ txid: string; vout: number }>];
              if (unlock)
                this.locked = this.locked.filter(
                  (l) => !list.some((x) => x.txid === l.txid && x.vout === l.vout),
                );
              return ok(true);
            }
            case 'getblockhash':
              return ok(`${String(params[0]).padStart(8, '0')}${'ab'.repeat(28)}`);
            case 'getblock':
              return ok({ hash: params[0], time: this.notarizedTime });
            case 'getinfo':
              return ok({ blocks: this.blocks, notarized: this.notarized });
            default:
              return send(404, { result: null, error: { code: -32601, message: 'Method not found' }, id });
          }
        }
        send(404, { error: 'no route' });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    this.server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    const s = this.server;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}
