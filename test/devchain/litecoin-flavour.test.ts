import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { decodeAddress, LTC_PREFIXES } from '@nn/chain-crypto';
import { freePorts } from '@nn/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { DevchainPool, type DevchainProcess, writeConf } from '../helpers/devchain-process.js';

// devchain -devflavour=litecoin as litecoind 0.21 (bitcoind-rpc.md): the operator's
// ~/.litecoin/litecoin.conf, Bitcoin Core's RPC set, L-addresses, "Litecoin Core stopping".
const pool = new DevchainPool();
afterEach(() => pool.cleanup());

async function startLitecoin(): Promise<DevchainProcess> {
  const home = pool.home();
  const ports = await freePorts('p2p', 'rpc');
  writeConf(join(home, '.litecoin', 'litecoin.conf'), {
    rpcuser: 'ltcuser',
    rpcpassword: 'ltcpassword0123456789',
    rpcport: ports.rpc,
    port: ports.p2p,
    server: 1,
    txindex: 1,
  });
  const node = pool.start(['-devflavour=litecoin', '-gen=0'], home);
  await node.waitReady();
  expect(node.target().url).toBe(`http://127.0.0.1:${ports.rpc}/`);
  // 0.21 creates no wallet: the operator's first command on a fresh node (litecoin-wallets.test.ts).
  await node.call('createwallet', ['', false, false, '', false, false, true]);
  // The data dir held the conf before the first start: no wallets/ is made, the wallet sits beside the conf.
  expect(existsSync(join(home, '.litecoin', 'wallets'))).toBe(false);
  expect(existsSync(join(home, '.litecoin', 'wallet.dat'))).toBe(true);
  return node;
}

interface Utxo {
  txid: string;
  vout: number;
  amount: number;
  address: string;
  confirmations: number;
  spendable: boolean;
}

describe('devchain -devflavour=litecoin', () => {
  it('answers Bitcoin Core 0.21 info calls and has no getinfo', async () => {
    const node = await startLitecoin();
    await node.call('generatetoaddress', [3, await node.call<string>('getnewaddress')]);
    const info = await node.call<Record<string, unknown>>('getblockchaininfo');
    expect(info).toMatchObject({
      chain: 'main',
      blocks: 3,
      headers: 3,
      pruned: false,
      initialblockdownload: false,
      warnings: '',
    });
    expect(info.bestblockhash).toBe(await node.call<string>('getbestblockhash'));
    expect(info.bestblockhash).toBe(await node.call<string>('getblockhash', [3]));
    expect(Object.keys(info).slice(0, 4)).toEqual(['chain', 'blocks', 'headers', 'bestblockhash']);
    for (const key of [
      'difficulty',
      'mediantime',
      'verificationprogress',
      'chainwork',
      'size_on_disk',
      'softforks',
    ]) {
      expect(info, key).toHaveProperty(key);
    }
    // No komodod fields.
    expect(info).not.toHaveProperty('synced');
    expect(info).not.toHaveProperty('notarized');

    const net = await node.call<Record<string, unknown>>('getnetworkinfo');
    expect(net).toMatchObject({
      connections: 0,
      connections_in: 0,
      connections_out: 0,
      networkactive: true,
      localrelay: true,
      warnings: '',
    });
    expect(net.subversion).toMatch(/^\/.+\/$/);
    expect(typeof net.version).toBe('number');
    expect(typeof net.protocolversion).toBe('number');
    expect(Array.isArray(net.networks)).toBe(true);
    expect(await node.call<number>('getconnectioncount')).toBe(0);

    const getinfo = await node.post('{"method":"getinfo","params":[],"id":1}');
    expect(getinfo.status).toBe(404);
    expect(getinfo.json?.error).toEqual({ code: -32601, message: 'Method not found' });
    // komodod-only methods are absent too.
    expect((await node.rpc('setpubkey', ['02'.padEnd(66, '0')])).error?.code).toBe(-32601);
    expect((await node.rpc('generate', [1])).error?.code).toBe(-32601);
  });

  it('makes L-addresses and mines to them with generatetoaddress', async () => {
    const node = await startLitecoin();
    const address = await node.call<string>('getnewaddress');
    expect(address).toMatch(/^L[1-9A-HJ-NP-Za-km-z]{25,34}$/);
    expect(LTC_PREFIXES.pubkeyHash).toBe(48);
    expect(decodeAddress(address, LTC_PREFIXES).type).toBe('p2pkh');
    expect(await node.call<{ ismine: boolean }>('getaddressinfo', [address])).toMatchObject({
      address,
      ismine: true,
    });

    const hashes = await node.call<string[]>('generatetoaddress', [2, address]);
    expect(hashes).toHaveLength(2);
    expect(await node.call<string>('getbestblockhash')).toBe(hashes[1]);
    const block = await node.call<{ tx: string[]; height: number; nTx: number }>('getblock', [hashes[0]]);
    expect(block).toMatchObject({ height: 1, nTx: 1 });
    const coinbase = await node.call<{
      vout: Array<{ scriptPubKey: { addresses?: string[]; address?: string } }>;
    }>('getrawtransaction', [block.tx[0], true]);
    const paid = coinbase.vout.flatMap(
      (o) => o.scriptPubKey.addresses ?? (o.scriptPubKey.address ? [o.scriptPubKey.address] : []),
    );
    expect(paid).toContain(address);

    // A KMD R-address is not a Litecoin address.
    const kmdAddress = 'RXL3YXG2ceaB6C5hfJcN4fvmLH2C34knhA';
    expect((await node.rpc('generatetoaddress', [1, kmdAddress])).error).toEqual({
      code: -5,
      message: 'Error: Invalid address',
    });
    expect((await node.rpc('sendtoaddress', [kmdAddress, 1])).error).toEqual({
      code: -5,
      message: 'Invalid address',
    });
    expect(await node.call('validateaddress', [kmdAddress])).toEqual({ isvalid: false });
    // 0.21's validateaddress has no ismine (getaddressinfo has it).
    expect(await node.call<Record<string, unknown>>('validateaddress', [address])).not.toHaveProperty(
      'ismine',
    );

    // importprivkey answers null in 0.21 (komodod answers the address); dumpprivkey gives the WIF back.
    const wif = await node.call<string>('dumpprivkey', [address]);
    const fresh = await startLitecoin();
    expect(await fresh.call('importprivkey', [wif, '', false])).toBeNull();
    expect(await fresh.call<{ ismine: boolean }>('getaddressinfo', [address])).toMatchObject({
      ismine: true,
    });
  });

  it('round-trips createrawtransaction, signrawtransactionwithwallet and sendrawtransaction', async () => {
    const node = await startLitecoin();
    const miner = await node.call<string>('getnewaddress');
    // Litecoin's coinbase maturity is 100: after 101 blocks the first coinbase is spendable, and
    // listunspent leaves out the immature ones (AvailableCoins skips them).
    const mined = await node.call<string[]>('generatetoaddress', [101, miner]);
    const coins = await node.call<Utxo[]>('listunspent');
    expect(coins.length).toBeGreaterThanOrEqual(1);
    expect(coins.length).toBeLessThanOrEqual(2);
    for (const c of coins) expect(c.confirmations).toBeGreaterThanOrEqual(100);
    const firstCoinbase = (await node.call<{ tx: string[] }>('getblock', [mined[0]])).tx[0];
    const coin = coins.find((c) => c.txid === firstCoinbase) as Utxo;
    expect(coin).toMatchObject({ confirmations: 101, spendable: true, address: miner });

    const dest = await node.call<string>('getnewaddress');
    const sendAmount = 10;
    const change = Math.round((coin.amount - sendAmount - 0.001) * 1e8) / 1e8;
    const unsigned = await node.call<string>('createrawtransaction', [
      [{ txid: coin.txid, vout: coin.vout }],
      { [dest]: sendAmount, [miner]: change },
    ]);
    expect(unsigned).toMatch(/^[0-9a-f]+$/);
    const decoded = await node.call<{ vin: Array<{ txid: string }>; vout: Array<{ value: number }> }>(
      'decoderawtransaction',
      [unsigned],
    );
    expect(decoded.vin[0]?.txid).toBe(coin.txid);
    expect(decoded.vout.map((o) => o.value)).toEqual([sendAmount, change]);

    const signed = await node.call<{ hex: string; complete: boolean; errors?: unknown[] }>(
      'signrawtransactionwithwallet',
      [unsigned],
    );
    expect(signed.complete).toBe(true);
    expect(signed.errors).toBeUndefined();
    expect(signed.hex.length).toBeGreaterThan(unsigned.length);
    // komodod's name for it does not exist in 0.21.
    expect((await node.rpc('signrawtransaction', [unsigned])).error?.code).toBe(-32601);

    const txid = await node.call<string>('sendrawtransaction', [signed.hex]);
    expect(await node.call<string[]>('getrawmempool')).toContain(txid);
    // Sending it again while in the mempool answers the txid again.
    expect(await node.call<string>('sendrawtransaction', [signed.hex])).toBe(txid);
    const [blockHash] = await node.call<string[]>('generatetoaddress', [1, miner]);
    const tx = await node.call<{ blockhash: string; confirmations: number; txid: string }>(
      'getrawtransaction',
      [txid, true],
    );
    expect(tx).toMatchObject({ txid, blockhash: blockHash, confirmations: 1 });
    expect(tx).not.toHaveProperty('rawconfirmations');
    expect(await node.call<string[]>('getrawmempool')).toEqual([]);
    expect((await node.rpc('sendrawtransaction', [signed.hex])).error?.code).toBe(-27);
    const received = (await node.call<Utxo[]>('listunspent')).filter((c) => c.txid === txid);
    expect(received.map((c) => [c.address, c.amount]).sort()).toEqual(
      [
        [dest, sendAmount],
        [miner, change],
      ].sort(),
    );
  });

  it('stops with "Litecoin Core stopping" and exit 0', async () => {
    const node = await startLitecoin();
    const lock = join(node.home, '.litecoin', '.lock');
    expect(existsSync(lock)).toBe(true);
    expect(await node.rpc('stop')).toMatchObject({
      status: 200,
      result: 'Litecoin Core stopping',
      error: null,
    });
    expect(await node.exited).toBe(0);
    expect(existsSync(lock)).toBe(false);
  });
});
