import {
  encodeWif,
  generatePrivateKey,
  KMD_PREFIXES,
  keyPairFromPrivateKey,
  p2pkhAddress,
  toHex,
} from '@nn/chain-crypto';
import { freePorts } from '@nn/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DevchainPool, type DevchainProcess } from '../helpers/devchain-process.js';

// komodod's error model against a live devchain (komodod-rpc.md §1.4, §1.6, §5): raw HTTP with basic
// auth, so the status codes and reply bodies are checked as a client sees them.
const pool = new DevchainPool();
let node: DevchainProcess;

beforeAll(async () => {
  const { p2p, rpc } = await freePorts('p2p', 'rpc');
  node = pool.start(['-ac_name=ERRDEV', '-ac_supply=1000', '-gen=0', `-port=${p2p}`, `-rpcport=${rpc}`]);
  await node.waitReady();
  // Block 1 pays the premine; coinbase maturity is 1 on a single-era chain.
  await node.call('generate', [3]);
});
afterAll(() => pool.cleanup());

async function call(method: string, params: unknown[]) {
  const reply = await node.post(JSON.stringify({ method, params, id: 7 }));
  return {
    status: reply.status,
    error: reply.json?.error,
    result: reply.json?.result,
    id: reply.json?.id,
    text: reply.text,
  };
}

interface Coin {
  txid: string;
  vout: number;
  amount: number;
  address: string;
  scriptPubKey: string;
  spendable: boolean;
}

describe('devchain RPC errors and wallet calls, over HTTP', () => {
  it('answers malformed JSON with -32700 Parse error and HTTP 500', async () => {
    const reply = await node.post('{"method":"getinfo",');
    expect(reply.status).toBe(500);
    expect(reply.text).toBe('{"result":null,"error":{"code":-32700,"message":"Parse error"},"id":null}\n');
    const top = await node.post('"getinfo"');
    expect(top.status).toBe(500);
    expect(top.json?.error).toEqual({ code: -32700, message: 'Top-level object parse error' });
  });

  it('answers wrong parameter types and counts with -1 and UniValue / help text', async () => {
    expect(await call('getblockhash', ['1'])).toMatchObject({
      status: 500,
      id: 7,
      error: { code: -1, message: 'JSON value is not an integer as expected' },
    });
    expect(await call('getblock', [1])).toMatchObject({
      status: 500,
      error: { code: -1, message: 'JSON value is not a string as expected' },
    });
    const noArgs = await call('getblockhash', []);
    expect(noArgs.status).toBe(500);
    expect(noArgs.error?.code).toBe(-1);
    expect(noArgs.error?.message).toMatch(/^getblockhash index\n/);
    const tooMany = await call('getblockcount', [1]);
    expect(tooMany.error?.code).toBe(-1);
    expect(tooMany.error?.message).toMatch(/^getblockcount\n/);
  });

  it('answers out-of-range and unknown lookups with -8 and -5', async () => {
    expect(await call('getblockhash', [99999])).toMatchObject({
      status: 500,
      error: { code: -8, message: 'Block height out of range' },
    });
    expect(await call('getblock', ['99999'])).toMatchObject({
      error: { code: -8, message: 'Block height out of range' },
    });
    expect(await call('getrawtransaction', ['ab'.repeat(32), 1])).toMatchObject({
      status: 500,
      error: { code: -5, message: 'No information available about transaction' },
    });
    expect(await call('getrawtransaction', ['xyz'])).toMatchObject({
      error: { code: -8, message: "parameter 1 must be hexadecimal string (not 'xyz')" },
    });
    expect(await call('nosuchmethod', [])).toMatchObject({
      status: 404,
      error: { code: -32601, message: 'Method not found' },
    });
  });

  it('rejects bad sends, keys and raw transactions with komodod codes', async () => {
    const address = await node.call<string>('getnewaddress');
    const badAddress = await call('sendtoaddress', ['notanaddress', 1]);
    expect(badAddress.status).toBe(500);
    expect(badAddress.error?.code).toBe(-5);
    expect(badAddress.error?.message).toMatch(/^Invalid .*address/);
    // 1e12 coins is 1e20 satoshis, past ParseFixedPoint's 1e18 bound: AmountFromValue's -3 "Invalid amount".
    expect(await call('sendtoaddress', [address, 1e12])).toMatchObject({
      error: { code: -3, message: 'Invalid amount' },
    });
    // A well-formed amount just above the balance is -6.
    const balance = await node.call<number>('getbalance');
    expect(await call('sendtoaddress', [address, Math.ceil(balance) + 1])).toMatchObject({
      error: { code: -6, message: 'Insufficient funds' },
    });
    expect(await call('sendtoaddress', [address, 0])).toMatchObject({
      error: { code: -3, message: 'Invalid amount for send' },
    });
    expect(await call('importprivkey', ['bad'])).toMatchObject({
      status: 500,
      error: { code: -5, message: 'Invalid private key encoding' },
    });
    expect(await call('sendrawtransaction', ['zz'])).toMatchObject({
      status: 500,
      error: { code: -22, message: 'TX decode failed' },
    });
    expect(await call('sendrawtransaction', [1])).toMatchObject({ error: { code: -3 } });
  });

  it('generate returns the new block hashes, the last being the tip', async () => {
    const before = await node.call<number>('getblockcount');
    const hashes = await node.call<string[]>('generate', [2]);
    expect(hashes).toHaveLength(2);
    for (const h of hashes) expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(await node.call<number>('getblockcount')).toBe(before + 2);
    expect(await node.call<string>('getbestblockhash')).toBe(hashes[1]);
    expect(await node.call<string>('getblockhash', [before + 1])).toBe(hashes[0]);
  });

  it('runs the notary key flow: importprivkey without rescan, validateaddress, sendmany to pubkeys', async () => {
    const key = keyPairFromPrivateKey(generatePrivateKey());
    const pubkey = toHex(key.publicKey);
    const other = toHex(keyPairFromPrivateKey(generatePrivateKey()).publicKey);
    const rAddress = p2pkhAddress(key.publicKey, KMD_PREFIXES);
    const wif = encodeWif(key.privateKey, KMD_PREFIXES.wif, true);

    expect(await node.call<string>('importprivkey', [wif, '', false])).toBe(rAddress);
    // Importing again answers the address again (komodod does not fail on a known key).
    expect(await node.call<string>('importprivkey', [wif, '', false])).toBe(rAddress);
    const v = await node.call<Record<string, unknown>>('validateaddress', [rAddress]);
    expect(v).toMatchObject({ isvalid: true, address: rAddress, ismine: true, pubkey, iscompressed: true });
    expect(await node.call<string>('dumpprivkey', [rAddress])).toBe(wif);

    const txid = await node.call<string>('sendmany', ['', { [pubkey]: 0.0001, [other]: 0.0001 }]);
    const p2pk = `21${pubkey}ac`;
    // Not confirmed yet: listunspent's default minconf is 1.
    expect(
      (await node.call<Coin[]>('listunspent')).some((c) => c.txid === txid && c.scriptPubKey === p2pk),
    ).toBe(false);
    await node.call('generate', [1]);
    const mine = (await node.call<Coin[]>('listunspent')).filter(
      (c) => c.txid === txid && c.scriptPubKey === p2pk,
    );
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ amount: 0.0001, address: rAddress, spendable: true });
    // The other pubkey's output is on chain as P2PK but is not the wallet's.
    const tx = await node.call<{
      vout: Array<{ value: number; scriptPubKey: { hex: string; type: string } }>;
    }>('getrawtransaction', [txid, 1]);
    const scripts = tx.vout.map((o) => o.scriptPubKey.hex);
    expect(scripts).toContain(p2pk);
    expect(scripts).toContain(`21${other}ac`);
    expect(tx.vout.find((o) => o.scriptPubKey.hex === p2pk)?.scriptPubKey.type).toBe('pubkey');
    expect((await node.call<Coin[]>('listunspent')).some((c) => c.scriptPubKey === `21${other}ac`)).toBe(
      false,
    );

    const badKey = await call('sendmany', ['', { '02abcd': 0.0001 }]);
    expect(badKey.error?.code).toBe(-5);
    expect(badKey.error?.message).toMatch(/^Invalid .* address or pubkey: 02abcd$/);
  });

  it('round-trips lockunspent/listlockunspent, and sendtoaddress does not spend locked coins', async () => {
    const to = await node.call<string>('getnewaddress');
    const coins = (await node.call<Coin[]>('listunspent')).filter((c) => c.spendable);
    expect(coins.length).toBeGreaterThan(1);
    const outpoints = coins.map((c) => ({ txid: c.txid, vout: c.vout }));
    const byKey = (a: { txid: string; vout: number }, b: { txid: string; vout: number }) =>
      `${a.txid}:${a.vout}`.localeCompare(`${b.txid}:${b.vout}`);

    expect(await node.call('lockunspent', [false, outpoints])).toBe(true);
    expect((await node.call<Array<{ txid: string; vout: number }>>('listlockunspent')).sort(byKey)).toEqual(
      [...outpoints].sort(byKey),
    );
    // Locked coins drop out of listunspent (AvailableCoins skips them), and nothing is left to spend.
    expect(await node.call<Coin[]>('listunspent')).toEqual([]);
    expect(await call('sendtoaddress', [to, 1])).toMatchObject({ error: { code: -6 } });

    // Unlock only the largest coin; a send must use it and nothing locked.
    const big = [...coins].sort((a, b) => b.amount - a.amount)[0] as Coin;
    expect(await node.call('lockunspent', [true, [{ txid: big.txid, vout: big.vout }]])).toBe(true);
    const stillLocked = await node.call<Array<{ txid: string; vout: number }>>('listlockunspent');
    expect(stillLocked).toHaveLength(outpoints.length - 1);
    expect(stillLocked).not.toContainEqual({ txid: big.txid, vout: big.vout });
    expect((await node.call<Coin[]>('listunspent')).map((c) => `${c.txid}:${c.vout}`)).toEqual([
      `${big.txid}:${big.vout}`,
    ]);
    const txid = await node.call<string>('sendtoaddress', [to, 1]);
    const tx = await node.call<{ vin: Array<{ txid: string; vout: number }> }>('getrawtransaction', [
      txid,
      1,
    ]);
    expect(tx.vin.map((i) => ({ txid: i.txid, vout: i.vout }))).toEqual([{ txid: big.txid, vout: big.vout }]);

    // Bad entries: komodod's -8 / -3 checks.
    expect(await call('lockunspent', [false, [{ txid: 'zz', vout: 0 }]])).toMatchObject({
      error: { code: -8, message: 'Invalid parameter, expected hex txid' },
    });
    expect(await call('lockunspent', [false, [{ txid: big.txid, vout: -1 }]])).toMatchObject({
      error: { code: -8, message: 'Invalid parameter, vout must be positive' },
    });
    expect(await call('lockunspent', ['yes'])).toMatchObject({
      error: { code: -3, message: 'Expected type bool, got string' },
    });

    // `lockunspent true` alone unlocks everything.
    expect(await node.call('lockunspent', [true])).toBe(true);
    expect(await node.call<unknown[]>('listlockunspent')).toEqual([]);
    await node.call('generate', [1]);
    const listed = new Set((await node.call<Coin[]>('listunspent')).map((c) => `${c.txid}:${c.vout}`));
    for (const o of outpoints)
      if (o.txid !== big.txid || o.vout !== big.vout) expect(listed.has(`${o.txid}:${o.vout}`)).toBe(true);
  });
});
