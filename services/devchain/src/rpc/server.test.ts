import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { AllowList } from './allowip.js';
import { RpcError } from './errors.js';
import { Amount } from './json.js';
import { methodTable, type RpcMethod } from './method.js';
import { RpcServer, type RpcServerOptions } from './server.js';

interface Ctx {
  calls: string[];
  gate?: Promise<void>;
}

const method = (m: Partial<RpcMethod<Ctx>> & Pick<RpcMethod<Ctx>, 'name' | 'run'>): RpcMethod<Ctx> => ({
  category: 'test',
  usage: `${m.name}\n\nhelp text`,
  minParams: 0,
  maxParams: 2,
  ...m,
});

const methods = methodTable<Ctx>([
  method({
    name: 'echo',
    run: (ctx, p) => {
      ctx.calls.push('echo');
      return p.raw(0) ?? null;
    },
  }),
  method({ name: 'getbalance', maxParams: 0, run: () => new Amount(150_000_000n) }),
  method({
    name: 'fail',
    run: () => {
      throw new RpcError(-8, 'Block height out of range');
    },
  }),
  method({
    name: 'crash',
    run: () => {
      throw new Error('boom');
    },
  }),
  method({ name: 'two', minParams: 2, run: () => 2 }),
  method({ name: 'nothing', run: () => undefined }),
  method({
    name: 'slow',
    run: async (ctx) => {
      ctx.calls.push('slow');
      await ctx.gate;
      return 'done';
    },
  }),
]);

/** Denies every caller: stands in for a peer outside -rpcallowip, since a loopback caller is always allowed. */
class DenyAll extends AllowList {
  override allows(): boolean {
    return false;
  }
}

const USER = 'user';
const PASS = 'p4ss';
const auth = `Basic ${Buffer.from(`${USER}:${PASS}`).toString('base64')}`;

let server: RpcServer<Ctx> | undefined;
let ctx: Ctx;
let warm: string | undefined;

async function start(over: Partial<RpcServerOptions<Ctx>> = {}): Promise<string> {
  ctx = { calls: [] };
  warm = undefined;
  const s = new RpcServer<Ctx>({
    binds: [{ host: '127.0.0.1', port: 0 }],
    user: USER,
    password: PASS,
    allowList: new AllowList([]),
    workQueue: 16,
    methods,
    ctx,
    warmupStatus: () => warm,
    logger: pino({ level: 'silent' }),
    ...over,
  });
  await s.start();
  server = s;
  return `http://127.0.0.1:${s.ports()[0]}`;
}

afterEach(async () => {
  await server?.close();
  server = undefined;
});

function post(url: string, body: string, headers: Record<string, string> = { authorization: auth }) {
  return fetch(`${url}/`, { method: 'POST', body, headers });
}

describe('RpcServer transport', () => {
  it('answers 401 with the jsonrpc realm without and with wrong credentials, and runs nothing', async () => {
    const url = await start();
    const none = await post(url, '{"method":"echo"}', {});
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Basic realm="jsonrpc"');
    expect(await none.text()).toBe('');
    const wrong = `Basic ${Buffer.from(`${USER}:nope`).toString('base64')}`;
    const t0 = Date.now();
    const bad = await post(url, '{"method":"echo"}', { authorization: wrong });
    expect(bad.status).toBe(401);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(240);
    expect(bad.headers.get('www-authenticate')).toBe('Basic realm="jsonrpc"');
    expect(ctx.calls).toEqual([]);
  });

  it('answers 403 with an empty body to a caller the allow-list refuses', async () => {
    const url = await start({ allowList: new DenyAll([]) });
    const res = await post(url, '{"method":"echo"}');
    expect(res.status).toBe(403);
    expect(await res.text()).toBe('');
    expect(ctx.calls).toEqual([]);
  });

  it('refuses GET with 405 and komodod text, unknown paths with 404', async () => {
    const url = await start();
    const get = await fetch(`${url}/`, { headers: { authorization: auth } });
    expect(get.status).toBe(405);
    expect(await get.text()).toBe('JSONRPC server handles only POST requests');
    const wallet = await fetch(`${url}/wallet/x`, {
      method: 'POST',
      body: '{"method":"echo"}',
      headers: { authorization: auth },
    });
    expect(wallet.status).toBe(404);
    expect(ctx.calls).toEqual([]);
  });

  it('accepts /wallet/<name> when the bitcoind endpoint is on', async () => {
    const url = await start({ walletEndpoint: true });
    const res = await fetch(`${url}/wallet/w1`, {
      method: 'POST',
      body: '{"method":"echo","params":[1],"id":1}',
      headers: { authorization: auth },
    });
    expect(res.status).toBe(200);
  });

  it('runs a /wallet/<name> request in that wallet\'s context, the name URI-decoded; "/" in the node\'s', async () => {
    const seen: Array<string | undefined> = [];
    const url = await start({
      walletEndpoint: true,
      contextFor: (name) => {
        seen.push(name);
        return ctx;
      },
    });
    const body = '[{"method":"echo","params":[1],"id":1},{"method":"echo","params":[2],"id":2}]';
    const one = await fetch(`${url}/wallet/my%20wallet`, {
      method: 'POST',
      body,
      headers: { authorization: auth },
    });
    expect(one.status).toBe(200);
    const bare = await fetch(`${url}/wallet/`, {
      method: 'POST',
      body: '{"method":"echo"}',
      headers: { authorization: auth },
    });
    expect(bare.status).toBe(200);
    await post(url, '{"method":"echo"}');
    // One context per HTTP request (a batch shares it); the unnamed wallet is "/wallet/" with an empty name.
    expect(seen).toEqual(['my wallet', '']);
  });

  it('replies result,error,id with a newline and application/json, amounts with 8 decimals', async () => {
    const url = await start();
    const res = await post(url, '{"method":"getbalance","id":"curltest"}');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.text()).toBe('{"result":1.50000000,"error":null,"id":"curltest"}\n');
    const nothing = await post(url, '{"method":"nothing","params":null}');
    expect(await nothing.text()).toBe('{"result":null,"error":null,"id":null}\n');
  });

  it('maps malformed JSON and non-object bodies to 500 -32700', async () => {
    const url = await start();
    const bad = await post(url, '{"method":');
    expect(bad.status).toBe(500);
    expect(await bad.text()).toBe(
      '{"result":null,"error":{"code":-32700,"message":"Parse error"},"id":null}\n',
    );
    const scalar = await post(url, '42');
    expect(scalar.status).toBe(500);
    expect(await scalar.json()).toEqual({
      result: null,
      error: { code: -32700, message: 'Top-level object parse error' },
      id: null,
    });
  });

  it('checks the request object: 400 -32600 for missing method, bad method, bad params', async () => {
    const url = await start();
    const cases: Array<[string, string]> = [
      ['{"id":7}', 'Missing method'],
      ['{"id":7,"method":5}', 'Method must be a string'],
      ['{"id":7,"method":"echo","params":{"a":1}}', 'Params must be an array'],
    ];
    for (const [body, message] of cases) {
      const res = await post(url, body);
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ result: null, error: { code: -32600, message }, id: 7 });
    }
    expect(ctx.calls).toEqual([]);
  });

  it('answers an unknown method with 404 -32601, other errors with 500', async () => {
    const url = await start();
    const unknown = await post(url, '{"method":"nosuch","id":1}');
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toBe(
      '{"result":null,"error":{"code":-32601,"message":"Method not found"},"id":1}\n',
    );
    const fail = await post(url, '{"method":"fail","id":2}');
    expect(fail.status).toBe(500);
    expect(await fail.json()).toEqual({
      result: null,
      error: { code: -8, message: 'Block height out of range' },
      id: 2,
    });
    const crash = await post(url, '{"method":"crash","id":3}');
    expect(crash.status).toBe(500);
    expect(await crash.json()).toEqual({ result: null, error: { code: -1, message: 'boom' }, id: 3 });
  });

  it('answers a wrong parameter count with -1 and the usage text', async () => {
    const url = await start();
    const few = await post(url, '{"method":"two","params":[1]}');
    expect(few.status).toBe(500);
    expect(await few.json()).toEqual({
      result: null,
      error: { code: -1, message: 'two\n\nhelp text' },
      id: null,
    });
    const many = await post(url, '{"method":"getbalance","params":[1]}');
    expect(await many.json()).toMatchObject({ error: { code: -1 } });
  });

  it('answers -28 with the status during warm-up, for unknown methods too', async () => {
    const url = await start();
    warm = 'Loading block index...';
    for (const m of ['echo', 'nosuch', 'help', 'stop']) {
      const res = await post(url, `{"method":"${m}","id":1}`);
      expect(res.status).toBe(500);
      expect(await res.json()).toEqual({
        result: null,
        error: { code: -28, message: 'Loading block index...' },
        id: 1,
      });
    }
    expect(ctx.calls).toEqual([]);
  });

  it('answers a batch with 200 and the replies in order, errors inside', async () => {
    const url = await start();
    const res = await post(
      url,
      '[{"method":"echo","params":["a"],"id":1},{"method":"nosuch","id":2},5,{"method":"getbalance","id":3}]',
    );
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(
      '[{"result":"a","error":null,"id":1},' +
        '{"result":null,"error":{"code":-32601,"message":"Method not found"},"id":2},' +
        '{"result":null,"error":{"code":-32600,"message":"Invalid Request object"},"id":null},' +
        '{"result":1.50000000,"error":null,"id":3}]\n',
    );
    const empty = await post(url, '[]');
    expect(await empty.text()).toBe('[]\n');
  });

  it('answers 413 to a body over 32 MiB without running the method', async () => {
    const url = await start();
    const body = `{"method":"echo","params":["${'x'.repeat(0x0200_0000)}"]}`;
    const res = await post(url, body);
    expect(res.status).toBe(413);
    expect(ctx.calls).toEqual([]);
  });

  it('answers 500 "Work queue depth exceeded" when the queue is full', async () => {
    const url = await start({ workQueue: 1 });
    let release = () => {};
    ctx.gate = new Promise<void>((r) => {
      release = r;
    });
    const first = post(url, '{"method":"slow","id":1}');
    while (!ctx.calls.includes('slow')) await new Promise((r) => setTimeout(r, 5));
    const second = await post(url, '{"method":"echo","id":2}');
    expect(second.status).toBe(500);
    expect(await second.text()).toBe('Work queue depth exceeded');
    release();
    expect(await (await first).json()).toEqual({ result: 'done', error: null, id: 1 });
    expect(ctx.calls).toEqual(['slow']);
  });
});
