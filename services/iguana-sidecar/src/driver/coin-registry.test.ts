import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@nn/shared';
import { freePort } from '@nn/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ResolvedCoin, resolveCoin } from '../coins/resolve.js';
import { coinSchema } from '../config.js';
import { IguanaMetrics } from '../metrics.js';
import { CoinRegistry } from './coin-registry.js';

let dir: string;
let registry: CoinRegistry;
const blockers: Server[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'iguana-registry-'));
  registry = new CoinRegistry({
    maxBodyBytes: 1 << 20,
    metrics: new IguanaMetrics(),
    log: createLogger('registry-test', { level: 'silent' }),
  });
});
afterEach(async () => {
  await registry.closeAll();
  for (const b of blockers.splice(0)) await new Promise((r) => b.close(r));
  rmSync(dir, { recursive: true, force: true });
});

async function coin(raw: Record<string, unknown>): Promise<ResolvedCoin> {
  const parsed = coinSchema.parse({
    upstream: 'http://127.0.0.1:1',
    tokenFile: join(dir, 'token'),
    rpcPort: await freePort(),
    ...raw,
  });
  return resolveCoin(parsed, join(dir, 'home'));
}
const chain = (ac_name: string, extra: Record<string, unknown> = {}) =>
  coin({ kind: 'assetchain', assetchain: { ac_name, ac_supply: '1000' }, ...extra });

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect({ host: '127.0.0.1', port }, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });

describe('CoinRegistry', () => {
  it('orders the sequence KMD, the destination, then assetchains as added, whatever the opening order', async () => {
    const [one, kmd, ltc] = [await chain('REGONE'), await coin({ kind: 'kmd' }), await coin({ kind: 'ltc' })];
    await registry.open([one, kmd], [ltc]);
    await registry.add(await chain('REGTWO'), true);
    expect(registry.ordered().map((e) => e.coin.name)).toEqual(['KMD', 'LTC', 'REGONE', 'REGTWO']);
    expect(registry.all().map((e) => e.coin.name)).toEqual(['REGONE', 'KMD', 'LTC', 'REGTWO']);
    expect(registry.kmd().coin).toBe(kmd);
    expect(registry.runtimeConfigs().map((c) => c.kind)).toEqual(['ltc', 'assetchain']);
    for (const e of registry.all()) {
      expect(await listening(e.coin.rpcPort)).toBe(true);
      expect(existsSync(e.coin.confPath)).toBe(true);
    }
  });

  it('without KMD, says so', async () => {
    await registry.open([await chain('REGONE')]);
    expect(() => registry.kmd()).toThrow('no KMD coin');
  });

  it('names the clash of a new coin: its name, its bridge port, then its conf', async () => {
    const one = await chain('REGONE');
    await registry.open([one]);
    expect(registry.clash(await chain('REGONE'))).toEqual({
      field: 'name',
      message: 'name: coin REGONE exists',
    });
    expect(registry.clash(await chain('REGTWO', { rpcPort: one.rpcPort }))).toEqual({
      field: 'rpcPort',
      message: `rpcPort: ${one.rpcPort} is REGONE's bridge`,
    });
    expect(registry.clash(await chain('REGTWO', { confPath: one.confPath }))).toEqual({
      field: 'confPath',
      message: `confPath: ${one.confPath} is REGONE's conf`,
    });
    expect(registry.clash(await chain('REGTWO'))).toBeUndefined();
  });

  it('closes what it opened when a bridge cannot start', async () => {
    const one = await chain('REGONE');
    const two = await chain('REGTWO');
    const blocker = createServer();
    blockers.push(blocker);
    await new Promise<void>((r) => blocker.listen(two.rpcPort, '127.0.0.1', r));
    await expect(registry.open([one, two])).rejects.toThrow();
    expect(await listening(one.rpcPort)).toBe(false);
  });

  it('drop stops the bridge and deletes the conf', async () => {
    const one = await chain('REGONE');
    await registry.open([one]);
    const entry = registry.get('REGONE');
    if (!entry) throw new Error('REGONE not bridged');
    await registry.drop(entry);
    expect(registry.get('REGONE')).toBeUndefined();
    expect(await listening(one.rpcPort)).toBe(false);
    expect(existsSync(one.confPath)).toBe(false);
  });

  it('forgets what Iguana had, and keeps removed coins until Iguana restarts or the coin comes back', async () => {
    await registry.open([await coin({ kind: 'kmd' }), await chain('REGONE')]);
    for (const e of registry.all()) Object.assign(e, { registered: true, dpowActive: true, lastError: 'x' });
    registry.forgetIguanaState();
    expect(registry.all().map((e) => [e.registered, e.dpowActive, e.lastError])).toEqual([
      [false, false, 'x'],
      [false, false, 'x'],
    ]);
    const removed = (name: string) => ({ name, removedAt: 1, pendingIguanaRestart: true });
    registry.markRemoved(removed('GONEA'));
    registry.markRemoved(removed('GONEB'));
    registry.unmarkRemoved('GONEA');
    expect(registry.removedCoins()).toEqual([removed('GONEB')]);
    registry.clearRemoved();
    expect(registry.removedCoins()).toEqual([]);
  });
});
