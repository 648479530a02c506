import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@nn/shared';
import { freePort } from '@nn/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveCoin } from '../coins/resolve.js';
import { coinSchema } from '../config.js';
import { IguanaMetrics } from '../metrics.js';
import { FakeChainSidecar } from '../testing/fake-chain-sidecar.js';
import { writeSecret } from '../testing/harness.js';
import { CoinRegistry } from './coin-registry.js';
import { CoinStatusReader } from './coin-status.js';

const T0 = 1_800_000_000;
let dir: string;
let kmd: FakeChainSidecar;
let chain: FakeChainSidecar;
let registry: CoinRegistry;
let metrics: IguanaMetrics;
let nowMs: number;
let reader: CoinStatusReader;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'iguana-status-'));
  kmd = await new FakeChainSidecar('KMD', 'token-of-KMD-0123456789').start();
  chain = await new FakeChainSidecar('STATONE', 'token-of-STATONE-0123456789').start();
  metrics = new IguanaMetrics();
  registry = new CoinRegistry({
    maxBodyBytes: 1 << 20,
    metrics,
    log: createLogger('status-test', { level: 'silent' }),
  });
  const coin = async (raw: Record<string, unknown>, upstream: string, name: string) =>
    resolveCoin(
      coinSchema.parse({
        upstream,
        tokenFile: writeSecret(join(dir, `${name}-token`), `token-of-${name}-0123456789`),
        rpcPort: await freePort(),
        ...raw,
      }),
      join(dir, 'home'),
    );
  const nobody = `http://127.0.0.1:${await freePort()}`;
  await registry.open([
    await coin(
      { kind: 'assetchain', assetchain: { ac_name: 'STATONE', ac_supply: '1000' } },
      chain.url,
      'STATONE',
    ),
    await coin({ kind: 'ltc' }, nobody, 'LTC'),
    await coin({ kind: 'kmd' }, kmd.url, 'KMD'),
  ]);
  nowMs = T0 * 1000;
  reader = new CoinStatusReader({ registry, statusCacheMs: 5_000, metrics, now: () => nowMs });
});
afterEach(async () => {
  await registry.closeAll();
  await kmd.close();
  await chain.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('CoinStatusReader', () => {
  it('reads every coin from its chain sidecar in sequence order, with its notarisation activity', async () => {
    Object.assign(kmd, { notarized: 90, notarizedTime: T0 - 3600, notaryUtxos: 12 });
    const [k, ltc, ac] = await reader.read();
    expect(k).toMatchObject({
      name: 'KMD',
      chain: 'ok',
      blocks: 100,
      lastNotarisedHeight: 90,
      lastNotarisedTime: T0 - 3600,
      secondsSinceNotarisation: 3600,
      notaryUtxos: 12,
      status: 'active',
      lastError: null,
    });
    expect(ltc).toMatchObject({ name: 'LTC', chain: 'unreachable', lastNotarisedHeight: null, status: null });
    expect(ltc?.lastError).toMatch(/^status: LTC chain sidecar: /);
    // Never notarised: height 0, inactive.
    expect(ac).toMatchObject({ name: 'STATONE', chain: 'ok', lastNotarisedHeight: 0, status: 'inactive' });
    const gauges = await metrics.registry.getSingleMetricAsString('nn_iguana_coin_activity');
    expect(gauges).toContain('nn_iguana_coin_activity{coin="KMD"} 2');
    expect(gauges).toContain('nn_iguana_coin_activity{coin="STATONE"} 0');
  });

  it('answers from its cache for statusCacheMs, and anew once invalidated or expired', async () => {
    const first = await reader.read();
    kmd.blocks = 101;
    nowMs += 4_999;
    expect(await reader.read()).toBe(first);
    reader.invalidate();
    expect((await reader.read())[0]?.blocks).toBe(101);
    kmd.blocks = 102;
    nowMs += 5_000;
    expect((await reader.read())[0]?.blocks).toBe(102);
  });

  it('asks for the notarised block once per height', async () => {
    Object.assign(kmd, { notarized: 90, notarizedTime: T0 - 60 });
    await reader.read();
    reader.invalidate();
    await reader.read();
    expect(kmd.methods).toEqual(['getblockhash', 'getblock']);
    Object.assign(kmd, { notarized: 95, notarizedTime: T0 - 30 });
    reader.invalidate();
    expect((await reader.read())[0]).toMatchObject({ lastNotarisedHeight: 95, secondsSinceNotarisation: 30 });
    expect(kmd.methods).toEqual(['getblockhash', 'getblock', 'getblockhash', 'getblock']);
  });
});
