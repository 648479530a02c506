import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small Bitcoin-Core-compatible JSON-RPC server for the sidecar's tests, written from the transport
 * and error model in docs/reference/komodod-rpc.md §1–3 and bitcoind-rpc.md §1–2 (not from devchain):
 * only `/`, POST only (405 with komodod's text), 401 + `WWW-Authenticate: Basic realm="jsonrpc"` with an
 * empty body (after 250 ms for wrong credentials), -32700 / -32601 / -28 with HTTP 500 / 404 / 500,
 * replies `{"result","error","id"}` + "\n" with amounts written with 8 decimals, batches answered 200,
 * and a shut-down that answers 503 (libevent's `evhttp_send_error` HTML) before the port closes.
 */
export interface FakeNodeState {
  flavour: 'komodo' | 'bitcoin';
  /** -28 message while warming up; null once loaded. */
  warmup: string | null;
  blocks: number;
  /** komodod `longestchain` (0 = no peer heard of) / Bitcoin Core `headers`. */
  headers: number;
  connections: number;
  notarized: number;
  balance: number;
  version: number;
  /** komodod getinfo `synced`; Bitcoin Core: the opposite of `initialblockdownload`. */
  synced: boolean;
  /** Bitcoin Core without a loaded wallet: wallet calls answer -18. */
  noWallet: boolean;
  /** Bitcoin Core 0.21: the unnamed wallet's file exists (loaded or not); createwallet "" then fails. */
  defaultWalletOnDisk: boolean;
  /** Bitcoin Core run with -disablewallet: no wallet RPC is registered (-32601). */
  walletDisabled: boolean;
  /** createwallet calls' params, in order. */
  createdWallets: unknown[][];
  unspent: Array<{ amount: number; scriptPubKey: string; spendable: boolean }>;
  /** After `stop`: how long new requests get 503 before the port closes. */
  shutdownMs: number;
  /**
   * komodod v0.9.2's checkpoint era: getblockchaininfo's syncCheckpointUpgrade and getcheckpoint
   * (rpc/blockchain.cpp, rpc/misc.cpp). null: a komodod before it (no such field, no getcheckpoint).
   */
  era: { dpowActive: boolean; checkpointsActive: boolean; checkpoint: string; height?: number } | null;
}

export interface FakeNode {
  readonly url: string;
  readonly port: number;
  readonly state: FakeNodeState;
  /** Every method that reached the RPC dispatcher (after auth and parsing), in order. */
  readonly methods: string[];
  /** HTTP requests received, whatever their fate. */
  requests: number;
  /** Resolves once the port is closed after `stop` (or close()). */
  readonly closed: Promise<void>;
  close(): Promise<void>;
}

const WALLETS = '/home/u/.litecoin/wallets';

/** listwallets, loadwallet and createwallet of the unnamed wallet, with Bitcoin Core 0.21's codes and texts. */
function walletCall(state: FakeNodeState, method: string, params: unknown[]): unknown {
  if (method === 'listwallets') return state.noWallet ? [] : [''];
  if (params[0] !== '') throw new RpcFailure(-18, 'fake node: only the unnamed wallet "" exists');
  if (method === 'loadwallet') {
    if (!state.noWallet)
      throw new RpcFailure(
        -35,
        `Wallet file verification failed. Refusing to load database. Data file '${WALLETS}/wallet.dat' is already loaded.`,
      );
    if (!state.defaultWalletOnDisk)
      throw new RpcFailure(
        -18,
        `Wallet file verification failed. Failed to load database path '${WALLETS}'. Data is not in recognized format.`,
      );
    state.noWallet = false;
    return { name: '', warning: '' };
  }
  if (state.defaultWalletOnDisk)
    throw new RpcFailure(
      -4,
      `Wallet file verification failed. Failed to create database path '${WALLETS}'. Database already exists.`,
    );
  state.createdWallets.push(params);
  state.defaultWalletOnDisk = true;
  state.noWallet = false;
  return {
    name: '',
    warning: params[3] === '' ? 'Empty string given as passphrase, wallet will not be encrypted.' : '',
  };
}

const DEFAULTS: FakeNodeState = {
  flavour: 'komodo',
  warmup: null,
  blocks: 100,
  headers: 100,
  connections: 3,
  notarized: 90,
  balance: 12.5,
  version: 3_010_050,
  synced: true,
  noWallet: false,
  defaultWalletOnDisk: true,
  walletDisabled: false,
  createdWallets: [],
  unspent: [],
  shutdownMs: 0,
  era: null,
};

/** A JSON number written with 8 decimals, as komodod's ValueFromAmount does. */
const AMOUNT = '\u0000amount:';
const amount = (v: number) => `${AMOUNT}${v.toFixed(8)}`;

class RpcFailure extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

function httpStatusOf(code: number): number {
  if (code === -32600) return 400;
  if (code === -32601) return 404;
  return 500;
}

function serialise(value: unknown): string {
  // Amount placeholders become bare numbers with their 8 decimals (0.00010000), like UniValue writes them.
  return JSON.stringify(value).replace(/"\\u0000amount:(-?[0-9.]+)"/g, '$1');
}

/** komodod's getblockchaininfo, in short; v0.9.2 adds syncCheckpointUpgrade (dpow_active as a string). */
function komodoChainInfo(state: FakeNodeState): Record<string, unknown> {
  const out: Record<string, unknown> = {
    chain: 'main',
    blocks: state.blocks,
    synced: state.synced,
    headers: state.blocks,
    pruned: false,
  };
  if (state.era)
    out.syncCheckpointUpgrade = {
      dpow_active: state.era.dpowActive ? 'true' : 'false',
      sync_checkpoint_active: state.era.checkpointsActive,
      sync_checkpoint_expected: true,
      activation_height: 4771595,
      masterpubKey: '03fdc6ca526c0cfaed2211d03dc2ea9c083aea127c7769d97dc92fed2085803ce3',
      ...(state.era.checkpointsActive ? { init: true } : {}),
    };
  return out;
}

export async function startFakeNode(opts: {
  user: string;
  password: string;
  state?: Partial<FakeNodeState>;
  port?: number;
}): Promise<FakeNode> {
  const state: FakeNodeState = { ...DEFAULTS, createdWallets: [], ...opts.state };
  const methods: string[] = [];
  let stopping = false;
  let resolveClosed: () => void = () => undefined;
  const closed = new Promise<void>((r) => {
    resolveClosed = r;
  });

  const dispatch = (method: string, params: unknown[]): unknown => {
    methods.push(method);
    if (state.warmup !== null) throw new RpcFailure(-28, state.warmup);
    const k = state.flavour === 'komodo';
    switch (method) {
      case 'getinfo':
        if (!k) break;
        return {
          version: state.version,
          protocolversion: 170010,
          KMDversion: '0.8.1',
          synced: state.synced,
          notarized: state.notarized,
          balance: amount(state.balance),
          blocks: state.blocks,
          longestchain: state.headers,
          connections: state.connections,
          errors: '',
          name: 'KMD',
        };
      case 'getblockchaininfo':
        if (k) return komodoChainInfo(state);
        return {
          chain: 'main',
          blocks: state.blocks,
          headers: state.headers,
          initialblockdownload: !state.synced,
          warnings: '',
        };
      case 'getnetworkinfo':
        if (k) break;
        return {
          version: state.version,
          subversion: '/Satoshi:0.21.4/',
          connections: state.connections,
          warnings: '',
        };
      case 'getcheckpoint': {
        if (!k || !state.era) break;
        const { checkpoint, height } = state.era;
        return height === undefined ? { checkpoint } : { checkpoint, height };
      }
      case 'getblockcount':
        return state.blocks;
      case 'listwallets':
      case 'loadwallet':
      case 'createwallet':
        if (k || state.walletDisabled) break;
        return walletCall(state, method, params);
      case 'getbalance':
        if (state.noWallet) throw new RpcFailure(-18, 'No wallet is loaded.');
        return amount(state.balance);
      case 'listunspent':
        if (state.noWallet) throw new RpcFailure(-18, 'No wallet is loaded.');
        return state.unspent.map((u, i) => ({
          txid: i.toString(16).padStart(64, '0'),
          vout: 0,
          amount: amount(u.amount),
          scriptPubKey: u.scriptPubKey,
          confirmations: 10,
          spendable: u.spendable,
        }));
      case 'stop':
        if (params.length > 1) throw new RpcFailure(-1, 'stop\n\nStop Komodo server.');
        stopping = true;
        setTimeout(() => void self.close(), state.shutdownMs);
        return k ? 'Komodo server stopping' : 'Bitcoin Core stopping';
    }
    throw new RpcFailure(-32601, 'Method not found');
  };

  const one = (req: unknown): { status: number; reply: unknown } => {
    if (typeof req !== 'object' || req === null || Array.isArray(req)) {
      return {
        status: 400,
        reply: { result: null, error: { code: -32600, message: 'Invalid Request object' }, id: null },
      };
    }
    const r = req as Record<string, unknown>;
    const id = r.id ?? null;
    const fail = (code: number, message: string) => ({
      status: httpStatusOf(code),
      reply: { result: null, error: { code, message }, id },
    });
    if (r.method === undefined) return fail(-32600, 'Missing method');
    if (typeof r.method !== 'string') return fail(-32600, 'Method must be a string');
    if (r.params !== undefined && r.params !== null && !Array.isArray(r.params)) {
      return fail(
        -32600,
        state.flavour === 'komodo' ? 'Params must be an array' : 'Params must be an array or object',
      );
    }
    try {
      return {
        status: 200,
        reply: { result: dispatch(r.method, (r.params as unknown[]) ?? []), error: null, id },
      };
    } catch (err) {
      if (err instanceof RpcFailure) return fail(err.code, err.message);
      throw err;
    }
  };

  const expectedAuth = Buffer.from(
    `Basic ${Buffer.from(`${opts.user}:${opts.password}`).toString('base64')}`,
  );

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    self.requests++;
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (stopping) {
      res
        .writeHead(503, { 'content-type': 'text/html; charset=ISO-8859-1' })
        .end(
          '<HTML><HEAD>\n<TITLE>503 Service Unavailable</TITLE>\n</HEAD><BODY>\n<H1>Service Unavailable</H1>\n</BODY></HTML>\n',
        );
      return;
    }
    if (req.url !== '/') return void res.writeHead(404).end();
    if (req.method !== 'POST')
      return void res.writeHead(405).end('JSONRPC server handles only POST requests');
    const auth = req.headers.authorization;
    if (auth === undefined)
      return void res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="jsonrpc"' }).end();
    const given = Buffer.from(auth);
    if (given.length !== expectedAuth.length || !timingSafeEqual(given, expectedAuth)) {
      await new Promise((r) => setTimeout(r, 250));
      return void res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="jsonrpc"' }).end();
    }
    const send = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(`${serialise(body)}\n`);
    let value: unknown;
    try {
      value = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return void send(500, { result: null, error: { code: -32700, message: 'Parse error' }, id: null });
    }
    if (Array.isArray(value))
      return void send(
        200,
        value.map((v) => one(v).reply),
      );
    if (typeof value !== 'object' || value === null) {
      return void send(500, {
        result: null,
        error: { code: -32700, message: 'Top-level object parse error' },
        id: null,
      });
    }
    const out = one(value);
    send(out.status, out.reply);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  const self: FakeNode = {
    url: `http://127.0.0.1:${port}/`,
    port,
    state,
    methods,
    requests: 0,
    closed,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }).then(resolveClosed);
      return closing;
    },
  };
  return self;
}
