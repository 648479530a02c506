import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { iguanaPassphraseKey, toHex } from '@nn/chain-crypto';
import { parseConf } from '@nn/komodo-params';

// A small fake of Iguana's API for tests, written from docs/reference/iguana.md: the same bodies, the
// same replies and error strings, and the same non-standard reply bytes (§1.3: a space before the colon
// of Cache-Control and Content-Length, Content-Length right-aligned in 8 characters, an uncounted "\n",
// one request per connection). It keeps just enough state to answer like Iguana; it notarises nothing.

export interface FakeIguanaCall {
  readonly method: string;
  /** symbol / newcoin / coin / ipaddr of the call, for readable order assertions. */
  readonly subject: string | undefined;
  readonly body: Record<string, unknown>;
}

export interface FakeIguanaOptions {
  /** Where each call is also recorded as `iguana:<method>[ <subject>]` (shared with fake daemons). */
  readonly events?: string[];
  /**
   * Like Iguana, ask the coins' daemons (at 127.0.0.1:<rpcport> from the conf, basic auth) whether they
   * own the notary address before accepting dpow, and importprivkey on walletpassphrase.
   */
  readonly callDaemons?: boolean;
}

/** Exactly the reply bytes of iguana_rpcloop for a JSON reply. */
export function iguanaReplyBytes(json: string): Buffer {
  const head =
    'HTTP/1.1 200 OK\r\n' +
    'Access-Control-Allow-Origin: *\r\n' +
    'Access-Control-Allow-Credentials: true\r\n' +
    'Access-Control-Allow-Methods: GET, POST\r\n' +
    'Cache-Control :  no-cache, no-store, must-revalidate\r\n' +
    `Content-Length : ${String(Buffer.byteLength(json)).padStart(8, ' ')}\r\n` +
    '\r\n';
  return Buffer.from(`${head}${json}\n`, 'utf8');
}

interface CoinConfView {
  readonly user: string;
  readonly password: string;
  readonly port: number;
}

export class FakeIguana {
  readonly calls: FakeIguanaCall[] = [];
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private ipaddr = '';
  private coins = new Map<string, Record<string, unknown>>();
  private firstCoin: string | undefined;
  private dpowed = new Set<string>();
  private walletKey: { pubkey: string } | undefined;
  /** Set by tests: the next splitfunds fails like Iguana when it cannot fund the transaction. */
  splitFails = false;
  /** Set by tests: walletpassphrase answers this error (Iguana-style), e.g. to check scrubbing. */
  walletpassphraseError: string | undefined;
  /** Set by tests: dpow of these symbols answers the given error (e.g. a daemon without the key). */
  readonly dpowErrors = new Map<string, string>();
  /** Set by tests: addcoin of these names fails as when Iguana cannot create the coin. */
  readonly addcoinRefused = new Set<string>();

  private listenPort: number;

  private constructor(
    port: number,
    private readonly opts: FakeIguanaOptions,
  ) {
    this.listenPort = port;
  }

  /** The API port (the one picked by the system when 0 was asked). */
  get port(): number {
    return this.listenPort;
  }

  static async start(port = 0, opts: FakeIguanaOptions = {}): Promise<FakeIguana> {
    const f = new FakeIguana(port, opts);
    await f.listen(port);
    return f;
  }

  private async listen(port: number): Promise<void> {
    const server = createServer((socket) => this.serve(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    const address = server.address();
    this.listenPort = typeof address === 'object' && address ? address.port : port;
  }

  /** Stops answering (connections refused), as a killed Iguana. State is lost. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    this.ipaddr = '';
    this.coins = new Map();
    this.firstCoin = undefined;
    this.dpowed = new Set();
    this.walletKey = undefined;
  }

  /** A new Iguana on the same port, with nothing registered. */
  async restart(): Promise<void> {
    await this.stop();
    await this.listen(this.port);
  }

  registered(): string[] {
    return [...this.coins.keys()];
  }

  dpowCoins(): string[] {
    return [...this.dpowed];
  }

  /** `method[ subject]` of each call, in order. */
  sequence(): string[] {
    return this.calls.map((c) => (c.subject ? `${c.method} ${c.subject}` : c.method));
  }

  private serve(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    let buf = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buf.subarray(0, end).toString('latin1');
      const m = /\r\ncontent-length:\s*(\d+)/i.exec(head);
      const length = m ? Number(m[1]) : 0;
      if (buf.length < end + 4 + length) return;
      const body = buf.subarray(end + 4, end + 4 + length).toString('utf8');
      socket.removeAllListeners('data');
      void this.answer(body).then((json) => {
        socket.end(iguanaReplyBytes(json));
      });
    });
  }

  private async answer(text: string): Promise<string> {
    let req: unknown;
    try {
      req = JSON.parse(text);
    } catch {
      return JSON.stringify({ error: 'no method' });
    }
    if (typeof req !== 'object' || req === null || Array.isArray(req))
      return JSON.stringify({ error: 'no method' });
    const body = req as Record<string, unknown>;
    const method = typeof body.method === 'string' ? body.method : undefined;
    if (!method) return JSON.stringify({ error: 'no method' });
    const subject = [body.newcoin, body.symbol, body.coin, body.ipaddr].find((v) => typeof v === 'string') as
      | string
      | undefined;
    this.calls.push({ method, subject, body });
    this.opts.events?.push(`iguana:${method}${subject ? ` ${subject}` : ''}`);
    const reply = await this.dispatch(method, body);
    // The agent path adds a random uint64 "tag" as a decimal string (iguana.md §1.3).
    return JSON.stringify({ ...reply, tag: randomBytes(8).readBigUInt64LE().toString() });
  }

  private async dispatch(method: string, b: Record<string, unknown>): Promise<Record<string, unknown>> {
    switch (method) {
      case 'help':
        return { result: { API: [{ agent: 'iguana', method: 'addcoin', fields: [{ newcoin: 'string' }] }] } };
      case 'myipaddr':
        if (!this.ipaddr && typeof b.ipaddr === 'string' && /^\d+\.\d+\.\d+\.\d+$/.test(b.ipaddr))
          this.ipaddr = b.ipaddr;
        return { result: this.ipaddr };
      case 'addnotary':
        return { result: 'notary node added' };
      case 'addcoin': {
        const name = typeof b.newcoin === 'string' ? b.newcoin : '';
        if (!name) return { error: 'addcoin needs newcoin' };
        if (this.coins.has(name)) return { result: 'coin already there' };
        if (this.addcoinRefused.has(name)) return { error: 'error adding coin' };
        this.coins.set(name, b);
        this.firstCoin ??= name;
        return { result: 'coin added' };
      }
      case 'walletpassphrase':
        return this.walletpassphrase(b);
      case 'dpow':
        return this.dpow(b);
      case 'splitfunds': {
        if (!this.walletKey) return { error: 'need to unlock wallet' };
        const coin = typeof b.coin === 'string' ? b.coin : '';
        if (!this.coins.has(coin)) return { error: 'need active coin' };
        if (this.splitFails) return { error: 'couldnt create duplicates tx' };
        return {
          result: `01000000${'00'.repeat(40)}`,
          txid: randomBytes(32).toString('hex'),
          completed: true,
        };
      }
      default:
        return { error: 'unsupported call', agent: b.agent, method };
    }
  }

  private async walletpassphrase(b: Record<string, unknown>): Promise<Record<string, unknown>> {
    const params = Array.isArray(b.params) ? b.params : [];
    const password =
      typeof params[0] === 'string' ? params[0] : typeof b.password === 'string' ? b.password : '';
    const timeout = Number(params[1] ?? b.timeout ?? 0);
    if (!this.firstCoin) return { error: 'null return from iguana_bitcoinRPC' };
    if (timeout <= 0) return { error: 'timeout must be positive' };
    if (!password) return { error: 'must have password field' };
    if (this.walletpassphraseError) return { error: this.walletpassphraseError };
    const key = iguanaPassphraseKey(password);
    this.walletKey = { pubkey: toHex(key.publicKey) };
    if (this.opts.callDaemons)
      await this.daemonCall(this.firstCoin, 'validateaddress', ['R']).catch(() => undefined);
    return { btcpubkey: this.walletKey.pubkey, result: 'success', status: 'unlocked', duration: timeout };
  }

  private async dpow(b: Record<string, unknown>): Promise<Record<string, unknown>> {
    const pubkey = typeof b.pubkey === 'string' ? b.pubkey : '';
    if (!/^[0-9a-fA-F]{66}$/.test(pubkey)) return { error: 'need 33 byte pubkey' };
    const symbol = typeof b.symbol === 'string' && b.symbol ? b.symbol : 'KMD';
    const dest = typeof b.dest === 'string' && b.dest ? b.dest : symbol === 'KMD' ? 'LTC' : 'KMD';
    if (!this.coins.has(symbol)) return { error: 'cant dPoW an inactive coin' };
    if (symbol === 'KMD' && !this.coins.has('LTC')) return { error: 'cant dPoW KMD without LTC' };
    if (symbol !== 'KMD' && !this.coins.has(dest)) return { error: 'cant dPoW without KMD (dest)' };
    if (this.dpowed.has(symbol)) return { error: 'cant dPoW same coin again' };
    const forced = this.dpowErrors.get(symbol);
    if (forced) return { error: forced };
    if (this.opts.callDaemons) {
      for (const coin of [symbol, dest]) {
        const r = await this.daemonCall(coin, 'getinfo', []).catch(() => undefined);
        if (r === undefined) return { error: 'source address or dest address has no privkey, importprivkey' };
      }
    }
    this.dpowed.add(symbol);
    return { result: 'success' };
  }

  /** The coin's daemon as Iguana reaches it: conf at "/" + path + "/" + conf, 127.0.0.1:<rpcport>. */
  private confOf(coin: string): CoinConfView {
    const b = this.coins.get(coin);
    if (!b) throw new Error(`no coin ${coin}`);
    const conf = parseConf(readFileSync(`/${String(b.path)}/${String(b.conf)}`, 'utf8'));
    const port = Number(conf.get('rpcport')?.[0] ?? b.rpc);
    return { user: conf.get('rpcuser')?.[0] ?? '', password: conf.get('rpcpassword')?.[0] ?? '', port };
  }

  async daemonCall(coin: string, method: string, params: unknown[]): Promise<unknown> {
    const c = this.confOf(coin);
    const res = await fetch(`http://127.0.0.1:${c.port}/`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${c.user}:${c.password}`).toString('base64')}` },
      body: JSON.stringify({ id: 'jl777', agent: coin, method, params }),
      signal: AbortSignal.timeout(10_000),
    });
    const reply = (await res.json()) as { result?: unknown; error?: unknown };
    if (reply.error) throw new Error(`${coin} ${method}: ${JSON.stringify(reply.error)}`);
    return reply.result;
  }
}
