import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type DevchainProcess, removeHome, startDevchain, tempHome } from '../helpers/devchain-process.js';

// The acceptance case: komodod's CCL line (dPoW iguana/assetchains.json).
const CCL = ['-ac_name=CCL', '-ac_supply=200000000', '-ac_end=1', '-ac_cc=2'];

const running: DevchainProcess[] = [];
const homes: string[] = [];
afterEach(async () => {
  for (const p of running.splice(0)) await p.kill('SIGKILL');
  for (const h of homes.splice(0)) removeHome(h);
});

function start(args: string[], home = tempHome()): DevchainProcess {
  if (!homes.includes(home)) homes.push(home);
  const p = startDevchain(args, home);
  running.push(p);
  return p;
}

describe('devchain as komodod -ac_name=CCL', () => {
  it('answers getinfo with the published ports and writes CCL.conf as komodod does', async () => {
    const node = start([...CCL, '-devblocktime=0.5']);
    await node.waitReady();
    const info = await node.call<Record<string, unknown>>('getinfo');
    expect(info.name).toBe('CCL');
    expect(info.p2pport).toBe(20848);
    expect(info.rpcport).toBe(20849);
    expect(info.premine).toBe(200000000);
    expect(info.CCid).toBe(2);
    // getinfo's field order is komodod's (rpc/misc.cpp).
    const keys = Object.keys(info);
    expect(keys.slice(0, 4)).toEqual(['version', 'protocolversion', 'KMDversion', 'synced']);
    expect(keys.indexOf('KMDnotarized_height')).toBe(keys.indexOf('notarizedtxid_height') + 1);
    expect(keys.slice(-5)).toEqual(['name', 'p2pport', 'rpcport', 'magic', 'premine']);

    const confPath = join(node.home, '.komodo', 'CCL', 'CCL.conf');
    const lines = readFileSync(confPath, 'utf8').split('\n');
    expect(lines[0]).toMatch(/^rpcuser=user\d+$/);
    expect(lines[1]).toMatch(/^rpcpassword=pass[0-9a-f]{66}$/);
    expect(lines.slice(2)).toEqual([
      'rpcport=20849',
      'server=1',
      'txindex=1',
      'rpcworkqueue=256',
      'rpcallowip=127.0.0.1',
      'rpcbind=127.0.0.1',
      '',
    ]);
    expect(statSync(confPath).mode & 0o777).toBe(0o600);
  });

  it('keeps chain and wallet across a clean stop and across SIGKILL', async () => {
    const home = tempHome();
    const first = start([...CCL, '-gen=0'], home);
    await first.waitReady();
    await first.call('generate', [5]);
    const address = await first.call<string>('getnewaddress');
    const txid = await first.call<string>('sendtoaddress', [address, 12.5]);
    await first.call('generate', [1]);
    const height = await first.call<number>('getblockcount');
    const best = await first.call<string>('getbestblockhash');
    expect(await first.call('stop')).toBe('CCL server stopping');
    expect(await first.exited).toBe(0);

    const second = start([...CCL, '-gen=0'], home);
    await second.waitReady();
    expect(await second.call<number>('getblockcount')).toBe(height);
    expect(await second.call<string>('getbestblockhash')).toBe(best);
    const tx = await second.call<{ confirmations: number }>('getrawtransaction', [txid, 1]);
    expect(tx.confirmations).toBeGreaterThanOrEqual(1);
    const validated = await second.call<{ ismine: boolean }>('validateaddress', [address]);
    expect(validated.ismine).toBe(true);
    await second.call('setgenerate', [true, 1]);
    await second.call('generate', [3]);
    const afterMining = await second.call<number>('getblockcount');
    const unconfirmed = await second.call<string>('sendtoaddress', [address, 1]);
    await second.kill('SIGKILL');

    const third = start([...CCL, '-gen=0'], home);
    await third.waitReady();
    expect(await third.call<number>('getblockcount')).toBe(afterMining);
    // The wallet's unconfirmed transaction survives the kill and goes back to the mempool.
    expect(await third.call<string[]>('getrawmempool')).toContain(unconfirmed);
    expect((await third.call<{ ismine: boolean }>('validateaddress', [address])).ismine).toBe(true);
  });

  it('refuses bad flags with a message naming the flag, a non-zero exit, and nothing on disk', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['-ac_name=../../etc'], /ac_name/],
      [['-ac_name=CCL;rm -rf /'], /ac_name/],
      [['-ac_name=CCL', '-ac_supply=lots'], /ac_supply/],
      [['-ac_name=CCL', '-ac_staked=101'], /ac_staked/],
      [['-ac_name=CCL', '-no_such_flag=1'], /no_such_flag/],
      [['-ac_name=CCL', '-devblocktime=fast'], /devblocktime/],
    ];
    for (const [args, pattern] of cases) {
      const home = tempHome();
      homes.push(home);
      const p = startDevchain(args, home);
      running.push(p);
      const code = await p.exited;
      expect(code, args.join(' ')).toBe(1);
      expect(p.output()).toMatch(pattern);
      expect(readdirSync(home), args.join(' ')).toEqual([]);
    }
    expect(existsSync('/etc/passwd')).toBe(true);
  });
});
