import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@nn/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { coinBridge } from '../coins/coin-bridge.js';
import { resolveCoin } from '../coins/resolve.js';
import { coinSchema } from '../config.js';
import { IguanaClient } from '../iguana/client.js';
import { IguanaMetrics } from '../metrics.js';
import { FakeIguana } from '../testing/fake-iguana.js';
import { TEST_PASSPHRASE, TEST_PUBKEY, writeSecret } from '../testing/harness.js';
import { ChainSidecarClient } from '../upstream/chain-client.js';
import type { CoinEntry } from './coin-registry.js';
import { IguanaLine } from './iguana-line.js';
import { addcoinStep, dpowStep, electedSeeds, SequenceAborted, walletpassphrase } from './iguana-steps.js';

const log = createLogger('steps-test', { level: 'silent' });
let dir: string;
let iguana: FakeIguana;
let line: IguanaLine;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'iguana-steps-'));
  iguana = await FakeIguana.start(0);
  line = new IguanaLine(new IguanaClient(iguana.port, 5_000), new IguanaMetrics());
});
afterEach(async () => {
  await iguana.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** An entry whose bridge is never started: the steps only talk to Iguana. */
function entry(raw: Record<string, unknown>): CoinEntry {
  const coin = resolveCoin(
    coinSchema.parse({ upstream: 'http://127.0.0.1:1', tokenFile: join(dir, 'token'), rpcPort: 1, ...raw }),
    join(dir, 'home'),
  );
  return {
    coin,
    client: new ChainSidecarClient(coin.name, coin.upstream, coin.tokenFile),
    bridge: coinBridge(coin, 1 << 20, new IguanaMetrics(), log),
    runtime: false,
    registered: false,
    dpowActive: false,
    lastError: null,
  };
}

const aborted = async (p: Promise<unknown> | (() => unknown)) => {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (err) {
    expect(err).toBeInstanceOf(SequenceAborted);
    return (err as Error).message;
  }
  throw new Error('not aborted');
};

describe('electedSeeds', () => {
  it('reads the seeds, and stops the sequence on an unreadable or broken file', async () => {
    const file = join(dir, 'elected');
    writeFileSync(
      file,
      JSON.stringify({ port: 1, minsigs: 1, seeds: ['10.0.0.9'], notaries: [{ nn: TEST_PUBKEY }] }),
    );
    expect(electedSeeds(file)).toEqual(['10.0.0.9']);
    expect(await aborted(() => electedSeeds(join(dir, 'none')))).toBe(
      `elected file ${join(dir, 'none')} is unreadable`,
    );
    writeFileSync(file, '{"port": 1}');
    expect(await aborted(() => electedSeeds(file))).toMatch(/^elected file: /);
  });
});

describe('walletpassphrase', () => {
  it("stops, naming the file and not the passphrase, when the file is missing or not the notary's key", async () => {
    const missing = join(dir, 'none');
    expect(await aborted(walletpassphrase(line, missing, TEST_PUBKEY))).toMatch(/^walletpassphrase: /);
    const other = writeSecret(join(dir, 'other'), 'another passphrase entirely');
    const msg = await aborted(walletpassphrase(line, other, TEST_PUBKEY));
    expect(msg).toBe(`walletpassphrase: the key of ${other} is not notaryPubkey`);
    expect(iguana.calls.map((c) => c.method)).toEqual([]);
  });

  it('unlocks the wallet when the key matches, the pubkey compared case-insensitively', async () => {
    await addcoinStep(line, entry({ kind: 'kmd' }), log);
    const file = writeSecret(join(dir, 'passphrase'), TEST_PASSPHRASE);
    await walletpassphrase(line, file, TEST_PUBKEY.toUpperCase());
    expect(iguana.sequence()).toEqual(['addcoin KMD', 'walletpassphrase']);
  });
});

describe('addcoinStep and dpowStep', () => {
  it('mark the coin registered / dPoW’d on success, "already there" and "same coin again" included', async () => {
    const kmd = entry({ kind: 'kmd' });
    const ltc = entry({ kind: 'ltc' });
    expect(await addcoinStep(line, kmd, log)).toBe('coin added');
    expect(await addcoinStep(line, kmd, log)).toBe('coin already there');
    expect(kmd.registered).toBe(true);
    await addcoinStep(line, ltc, log);
    await dpowStep(line, kmd, TEST_PUBKEY, log);
    await dpowStep(line, kmd, TEST_PUBKEY, log);
    expect([kmd.dpowActive, kmd.lastError]).toEqual([true, null]);
  });

  it('record the reason on the coin when Iguana refuses', async () => {
    const kmd = entry({ kind: 'kmd' });
    iguana.addcoinRefused.add('KMD');
    expect(await addcoinStep(line, kmd, log)).toBeUndefined();
    expect([kmd.registered, kmd.lastError]).toEqual([false, 'addcoin: error adding coin']);
    iguana.addcoinRefused.clear();
    await addcoinStep(line, kmd, log);
    expect([kmd.registered, kmd.lastError]).toEqual([true, null]);
    await dpowStep(line, kmd, TEST_PUBKEY, log);
    expect([kmd.dpowActive, kmd.lastError]).toEqual([false, 'dpow: cant dPoW KMD without LTC']);
  });
});
