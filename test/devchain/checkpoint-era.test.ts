import { join } from 'node:path';
import { freePorts } from '@nn/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type DevchainProcess,
  removeHome,
  startDevchain,
  tempHome,
  writeConf,
} from '../helpers/devchain-process.js';

// komodod v0.9.2's checkpoint era, as GLEECBTC/komodo-daemon v0.9.2-2 (ae588a9) answers: rpc/misc.cpp
// getcheckpoint and getinfo, rpc/blockchain.cpp getblockchaininfo, wallet/rpcwallet.cpp ListTransactions.
const MASTER = '03fdc6ca526c0cfaed2211d03dc2ea9c083aea127c7769d97dc92fed2085803ce3';

const running: DevchainProcess[] = [];
const homes: string[] = [];
afterEach(async () => {
  for (const p of running.splice(0)) await p.kill('SIGKILL');
  for (const h of homes.splice(0)) removeHome(h);
});

async function startKmd(extra: string[]): Promise<DevchainProcess> {
  const home = tempHome('devchain-era-');
  homes.push(home);
  const ports = await freePorts('p2p', 'rpc');
  writeConf(join(home, '.komodo', 'komodo.conf'), {
    rpcuser: 'u',
    rpcpassword: 'p',
    port: ports.p2p,
    rpcport: ports.rpc,
  });
  const p = startDevchain(['-gen=0', ...extra], home);
  running.push(p);
  await p.waitReady();
  return p;
}

describe('devchain as komodod v0.9.2 across its sunset', () => {
  it('KMD with -devsunset=8: dPoW on, then off with checkpoints 10 below the tip', async () => {
    const node = await startKmd(['-devversion=0.9.2-2', '-devsunset=8']);
    const info = await node.call<Record<string, unknown>>('getinfo');
    expect(info).toMatchObject({ version: 90252, protocolversion: 170014, KMDversion: '0.9.2-2' });

    await node.call('generate', [8]);
    let chain = await node.call<Record<string, unknown>>('getblockchaininfo');
    expect(chain.syncCheckpoint).toBeUndefined();
    expect(chain.syncCheckpointUpgrade).toEqual({
      dpow_active: 'true',
      sync_checkpoint_active: false,
      sync_checkpoint_expected: true,
      activation_height: 8,
      masterpubKey: MASTER,
    });
    expect(await node.call('getcheckpoint')).toEqual({ checkpoint: '0'.repeat(64) });

    const address = await node.call<string>('getnewaddress');
    await node.call('generate', [15]);
    chain = await node.call<Record<string, unknown>>('getblockchaininfo');
    const keys = Object.keys(chain);
    expect(keys.indexOf('syncCheckpoint')).toBe(keys.indexOf('commitments') + 1);
    expect(keys[keys.length - 1]).toBe('syncCheckpointUpgrade');
    const at13 = await node.call<string>('getblockhash', [13]);
    expect(chain.syncCheckpoint).toEqual({ height: 13, blockHash: at13 });
    expect(chain.syncCheckpointUpgrade).toMatchObject({
      dpow_active: 'false',
      sync_checkpoint_active: true,
      init: true,
    });
    expect(await node.call('getcheckpoint')).toEqual({ checkpoint: at13, height: 13 });
    const wrong = await node.rpc('getcheckpoint', [1]);
    expect(wrong.error).toEqual({ code: -1, message: 'getcheckpoint does not take arguments\n' });

    // Coinbase entries of the wallet: below the checkpoint "yes", at or above it "no".
    expect(address).toMatch(/^R/);
    const txs = await node.call<Array<Record<string, unknown>>>('listtransactions', ['*', 100]);
    expect(txs.length).toBeGreaterThan(0);
    for (const t of txs) {
      const h = (await node.call<Record<string, unknown>>('getblock', [t.blockhash])).height as number;
      expect(t.secured_by_checkpoint).toBe(h < 13 ? 'yes' : 'no');
      const k = Object.keys(t);
      expect(k.slice(-2)).toEqual(['size', 'secured_by_checkpoint']);
    }
  });

  it('Season 8 komodod (the default) has none of it', async () => {
    const node = await startKmd([]);
    expect((await node.rpc('getcheckpoint')).error?.code).toBe(-32601);
    const chain = await node.call<Record<string, unknown>>('getblockchaininfo');
    expect(chain.syncCheckpointUpgrade).toBeUndefined();
    expect((await node.call<Record<string, unknown>>('getinfo')).KMDversion).toBe('0.8.2');
  });
});
