import { join } from 'node:path';
import { eventually, freePorts } from '@nn/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { DevchainPool, type DevchainProcess, writeConf } from '../helpers/devchain-process.js';

// komodod's hidden coupling (notary-facts §3, komodod-rpc.md §8.3): an assetchain reads the parent
// ~/.komodo/komodo.conf and asks KMD's RPC at 127.0.0.1:<rpcport> for getinfo; getinfo's
// KMDnotarized_height is KMD's `blocks`, and 0 whenever KMD does not answer.
const pool = new DevchainPool();
afterEach(() => pool.cleanup());

interface AssetInfo {
  KMDnotarized_height: number;
  notarizedtxid_height: number | string;
  notarized_confirms: number;
  blocks: number;
}

async function kmdHeightSeen(asset: DevchainProcess, expected: number): Promise<AssetInfo> {
  return eventually(
    async () => {
      const info = await asset.call<AssetInfo>('getinfo');
      return info.KMDnotarized_height === expected ? info : undefined;
    },
    10_000,
    `KMDnotarized_height ${expected}`,
  );
}

describe('assetchain getinfo KMDnotarized_height from the KMD devchain in the same HOME', () => {
  it('follows KMD blocks, drops to 0 while KMD is down, and keeps answering getinfo', async () => {
    const home = pool.home();
    const ports = await freePorts('kmdP2p', 'kmdRpc', 'acP2p', 'acRpc');
    // The operator's komodo.conf (komodod does not write KMD's own conf).
    writeConf(join(home, '.komodo', 'komodo.conf'), {
      rpcuser: 'kmduser',
      rpcpassword: 'kmdpassword0123456789',
      rpcport: ports.kmdRpc,
      server: 1,
      txindex: 1,
    });
    const kmdArgs = ['-gen=0', `-port=${ports.kmdP2p}`];
    const asset = pool.start(
      ['-ac_name=NOTEST', '-ac_supply=1000', '-gen=0', `-port=${ports.acP2p}`, `-rpcport=${ports.acRpc}`],
      home,
    );
    await asset.waitReady();
    // KMD not started yet: 0, and getinfo answers anyway.
    const before = await asset.call<AssetInfo>('getinfo');
    expect(before.KMDnotarized_height).toBe(0);
    expect(before.notarizedtxid_height).toBe('mempool');
    expect(before.notarized_confirms).toBe(0);

    const kmd = pool.start(kmdArgs, home);
    await kmd.waitReady();
    expect((await kmd.call<{ name: string; rpcport: number }>('getinfo')).rpcport).toBe(ports.kmdRpc);
    await kmd.call('generate', [4]);
    expect((await kmd.call<{ blocks: number }>('getinfo')).blocks).toBe(4);
    await kmdHeightSeen(asset, 4);
    await kmd.call('generate', [3]);
    await kmdHeightSeen(asset, 7);
    // The assetchain's own height is unrelated.
    expect((await asset.call<AssetInfo>('getinfo')).blocks).toBe(0);

    expect(await kmd.call('stop')).toBe('Komodo server stopping');
    expect(await kmd.exited).toBe(0);
    const started = Date.now();
    await kmdHeightSeen(asset, 0);
    // The call to a dead KMD must not hold getinfo up for long.
    expect(Date.now() - started).toBeLessThan(8_000);
    const t0 = Date.now();
    await asset.call('getinfo');
    expect(Date.now() - t0).toBeLessThan(3_000);

    // KMD back on the same data dir: the height comes back.
    const again = pool.start(kmdArgs, home);
    await again.waitReady();
    expect(await again.call<number>('getblockcount')).toBe(7);
    await kmdHeightSeen(asset, 7);
  });

  it('stays 0 when the parent komodo.conf has wrong credentials', async () => {
    const home = pool.home();
    const ports = await freePorts('kmdP2p', 'kmdRpc', 'acP2p', 'acRpc');
    const confPath = join(home, '.komodo', 'komodo.conf');
    writeConf(confPath, { rpcuser: 'kmduser', rpcpassword: 'right', rpcport: ports.kmdRpc });
    const kmd = pool.start(['-gen=0', `-port=${ports.kmdP2p}`], home);
    await kmd.waitReady();
    await kmd.call('generate', [2]);
    // The operator changes the password in the file after KMD read it: KMD answers 401 to the assetchain.
    writeConf(confPath, { rpcuser: 'kmduser', rpcpassword: 'wrong', rpcport: ports.kmdRpc });
    const asset = pool.start(
      ['-ac_name=NOTEST', '-ac_supply=1000', '-gen=0', `-port=${ports.acP2p}`, `-rpcport=${ports.acRpc}`],
      home,
    );
    await asset.waitReady();
    for (let i = 0; i < 3; i++) {
      expect((await asset.call<AssetInfo>('getinfo')).KMDnotarized_height).toBe(0);
      await new Promise((r) => setTimeout(r, 600));
    }
    writeConf(confPath, { rpcuser: 'kmduser', rpcpassword: 'right', rpcport: ports.kmdRpc });
    await kmdHeightSeen(asset, 2);
  });
});
