import { afterEach, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { FakeChainSidecar } from '../testing/fake-chain-sidecar.js';
import {
  eventually,
  freePort,
  type Harness,
  harness,
  OPERATOR,
  VIEWER,
  writeSecret,
} from '../testing/harness.js';
import {
  type AssetchainCoinInput,
  addCoinReplySchema,
  coinSchema,
  errorBodySchema,
  healthSchema,
  iguanaStatusSchema,
  IGUANA_SIDECAR_ROUTES as R,
  readinessSchema,
  removeCoinReplySchema,
  splitBodySchema,
  splitReplySchema,
} from './index.js';

// The real server's replies, read with the contract's schemas as the orchestrator reads them: every
// field the schema names is there with its type, and the server sends no field the schema lacks (a
// field renamed on either side fails here as well as in typecheck).
let h: Harness | undefined;
let chain: FakeChainSidecar | undefined;
afterEach(async () => {
  await chain?.close();
  chain = undefined;
  await h?.cleanup();
  h = undefined;
});

async function call(
  method: string,
  path: string,
  token?: string,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${h?.url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: await res.json() };
}

/** Parses with the schema and checks nothing was stripped: the reply has exactly the schema's fields. */
function exactly<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const parsed = schema.parse(body);
  expect(parsed).toEqual(body);
  return parsed;
}

const coinPath = (route: { path: string }, name: string) => route.path.replace(':name', name);

describe('the Iguana sidecar contract', () => {
  it('health, readiness and status replies parse with the contract schemas', async () => {
    h = await harness({ level: 'silent' });
    await h.iguana.stop();
    await h.start();
    exactly(healthSchema, (await call('GET', R.healthz.path)).body);
    await eventually(() => (h?.sidecar?.driver.iguanaState().up === false ? true : undefined));
    const notReady = await call('GET', R.readyz.path);
    expect(notReady.status).toBe(503);
    expect(exactly(readinessSchema, notReady.body).ready).toBe(false);
    await h.iguana.restart();
    await eventually(async () => ((await call('GET', R.readyz.path)).status === 200 ? true : undefined));
    exactly(readinessSchema, (await call('GET', R.readyz.path)).body);
    const status = exactly(iguanaStatusSchema, (await call('GET', R.status.path, VIEWER)).body);
    expect(status.coins.map((c) => c.name)).toEqual(['KMD', 'LTC', 'IGSTEST1', 'IGSTEST2']);
    expect(status.iguana.port).toBe(h.iguana.port);
  });

  it('add, split and remove: bodies built with the contract are accepted, replies parse with it', async () => {
    h = await harness({ level: 'silent' });
    await h.start();
    await eventually(() => (h?.sidecar?.driver.ready().ready ? true : undefined));
    chain = await new FakeChainSidecar('IGSCON', 'token-of-IGSCON-0123456789').start();
    const body: AssetchainCoinInput = {
      kind: 'assetchain',
      assetchain: { ac_name: 'IGSCON', ac_supply: '777' },
      upstream: chain.url,
      tokenFile: writeSecret(`${h.dir}/secrets/IGSCON-token`, 'token-of-IGSCON-0123456789'),
      rpcPort: await freePort(),
    };
    coinSchema.parse(body);
    const added = await call('POST', R.addCoin.path, OPERATOR, body);
    expect(added.status).toBe(201);
    expect(exactly(addCoinReplySchema, added.body).coin).toMatchObject({ name: 'IGSCON', registered: true });
    const again = await call('POST', R.addCoin.path, OPERATOR, body);
    expect(again.status).toBe(409);
    expect(exactly(errorBodySchema, again.body).field).toBe('name');
    const split = await call(
      'POST',
      coinPath(R.split, 'IGSCON'),
      OPERATOR,
      splitBodySchema.parse({ duplicates: 5 }),
    );
    expect(split.status).toBe(200);
    expect(exactly(splitReplySchema, split.body).coin).toBe('IGSCON');
    const removed = await call('DELETE', coinPath(R.removeCoin, 'IGSCON'), OPERATOR);
    expect(removed.status).toBe(200);
    expect(exactly(removeCoinReplySchema, removed.body)).toMatchObject({
      name: 'IGSCON',
      pendingIguanaRestart: true,
    });
    const status = exactly(iguanaStatusSchema, (await call('GET', R.status.path, VIEWER)).body);
    expect(status.removed.map((c) => c.name)).toEqual(['IGSCON']);
    const unauthorized = await call('GET', R.status.path);
    expect(unauthorized.status).toBe(401);
    exactly(errorBodySchema, unauthorized.body);
  });
});
