import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeWif, iguanaPassphraseKey, KMD_PREFIXES, toHex } from '@nn/chain-crypto';
import { encodeNotarisationData } from '@nn/komodo-params';
import { eventually, freePorts } from '@nn/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { DevchainPool, type DevchainProcess, writeConf } from '../helpers/devchain-process.js';

// komodod recognises a notarisation in its blocks (komodod-rpc.md §8, iguana.md §4.3): a transaction
// spending elected notaries' P2PK outputs, vout 0 to CRYPTO777, vout 1 an OP_RETURN with
// srchash | height | desttxid | SYMBOL\0 naming this chain. devchain takes the elected notaries from
// -devnotaries=<Iguana elected file>; here one notary, so one signature ratifies (1 > 1/5).
const pool = new DevchainPool();
afterEach(() => pool.cleanup());

const CRYPTO777 = '020e46e79a2a8d12b9b5d12c7a91adb4e454edfae43c0a0cb805427d2ac7613fd9';
const NOTARY = iguanaPassphraseKey('devchain notarisation e2e passphrase');
const PUBKEY = toHex(NOTARY.publicKey);
const WIF = encodeWif(NOTARY.privateKey, KMD_PREFIXES.wif);
const SYMBOL = 'NTZDEV';

interface Info {
  notarized: number;
  notarizedhash: string;
  notarizedtxid: string;
  prevMoMheight: number;
  notarizedtxid_height: number | string;
  KMDnotarized_height: number;
  notarized_confirms: number;
  notaryid?: number;
  pubkey?: string;
  blocks: number;
}

interface Unspent {
  txid: string;
  vout: number;
  amount: number;
  scriptPubKey: string;
}

function electedFile(home: string): string {
  const path = join(home, 'elected');
  // The shape of dPoW iguana/elected: port, minsigs, seeds, notaries as {"name": "pubkey"}.
  writeFileSync(path, JSON.stringify({ port: 17762, minsigs: 1, seeds: [], notaries: [{ dev_NN: PUBKEY }] }));
  return path;
}

/** Builds, signs and sends the back tx by RPC, as Iguana's notarisation would land on the chain. */
async function notarise(chain: DevchainProcess, height: number, desttxid: string): Promise<string> {
  await chain.call('sendmany', ['', { [PUBKEY]: 0.0001 }]);
  await chain.call('generate', [1]);
  const unspent = await chain.call<Unspent[]>('listunspent');
  const utxo = unspent.find((u) => u.amount === 0.0001 && u.scriptPubKey === `21${PUBKEY}ac`);
  if (!utxo) throw new Error(`no notary UTXO in ${JSON.stringify(unspent)}`);
  const srcHash = await chain.call<string>('getblockhash', [height]);
  const payload = toHex(encodeNotarisationData({ srcHash, height, destTxid: desttxid, symbol: SYMBOL }));
  // Key order is output order: vout 0 P2PK CRYPTO777 (0 sat with one signer), vout 1 the OP_RETURN.
  const raw = await chain.call<string>('createrawtransaction', [
    [{ txid: utxo.txid, vout: utxo.vout }],
    { [`21${CRYPTO777}ac`]: 0, data: payload },
  ]);
  const signed = await chain.call<{ hex: string; complete: boolean }>('signrawtransaction', [raw]);
  expect(signed.complete).toBe(true);
  const txid = await chain.call<string>('sendrawtransaction', [signed.hex]);
  await chain.call('generate', [1]);
  return txid;
}

/**
 * The first of `heights` whose block hash does not end in 4b: komodod reads an assetchain OP_RETURN
 * starting with 'K' (the hash's last display byte) as a key-value record, not a notarisation.
 */
async function notarisable(chain: DevchainProcess, ...heights: number[]): Promise<number> {
  for (const h of heights) if (!(await chain.call<string>('getblockhash', [h])).endsWith('4b')) return h;
  throw new Error(`every candidate height ${heights.join(',')} has a hash ending in 4b`);
}

describe('devchain -devnotaries: notarisations move getinfo notarized*', () => {
  it('recognises a back tx signed by the elected notary, keeps it over a restart, and reads the KMD txid height', async () => {
    const home = pool.home();
    const ports = await freePorts('kmdP2p', 'kmdRpc', 'acP2p', 'acRpc');
    writeConf(join(home, '.komodo', 'komodo.conf'), {
      rpcuser: 'kmduser',
      rpcpassword: 'kmdpassword0123456789',
      rpcport: ports.kmdRpc,
      txindex: 1,
    });
    const kmd = pool.start(['-gen=0', `-port=${ports.kmdP2p}`], home);
    const acArgs = [
      `-ac_name=${SYMBOL}`,
      '-ac_supply=1000000',
      '-gen=0',
      `-port=${ports.acP2p}`,
      `-rpcport=${ports.acRpc}`,
      `-pubkey=${PUBKEY}`,
      `-devnotaries=${electedFile(home)}`,
    ];
    const asset = pool.start(acArgs, home);
    await Promise.all([kmd.waitReady(), asset.waitReady()]);

    // The "destination transaction": a KMD transaction, here block 3's coinbase.
    await kmd.call('generate', [3]);
    const kmdBlock3 = await kmd.call<{ tx: string[] }>('getblock', [await kmd.call('getblockhash', [3])]);
    const desttxid = kmdBlock3.tx[0] as string;

    await asset.call('importprivkey', [WIF, '', false]);
    await asset.call('generate', [3]);
    const before = await asset.call<Info>('getinfo');
    expect(before).toMatchObject({
      notarized: 0,
      notarizedtxid: '0'.repeat(64),
      notaryid: 0,
      pubkey: PUBKEY,
    });

    const first = await notarisable(asset, 2, 3);
    const ntxid = await notarise(asset, first, desttxid);
    const firstHash = await asset.call<string>('getblockhash', [first]);
    const tx = await asset.call<{ vout: Array<{ scriptPubKey: { hex: string } }> }>('getrawtransaction', [
      ntxid,
      1,
    ]);
    expect(tx.vout[0]?.scriptPubKey.hex).toBe(`21${CRYPTO777}ac`);
    expect(tx.vout[1]?.scriptPubKey.hex.startsWith('6a')).toBe(true);

    await kmd.call('generate', [2]); // KMD at 5: the txid (block 3) has 3 confirmations.
    const info = await eventually(
      async () => {
        const i = await asset.call<Info>('getinfo');
        return i.KMDnotarized_height === 5 ? i : undefined;
      },
      10_000,
      'KMD height 5 seen',
    );
    expect(info).toMatchObject({
      notarized: first,
      notarizedhash: firstHash,
      notarizedtxid: desttxid,
      prevMoMheight: 0,
    });
    // komodod: txid_height = blocks − rawconfirmations = 5 − 3; confirms = 5 − 2 + 1.
    expect(info.notarizedtxid_height).toBe(2);
    expect(info.notarized_confirms).toBe(4);
    const tip = await asset.call<{ last_notarized_height: number }>('getblock', [
      await asset.call('getbestblockhash'),
    ]);
    expect(tip.last_notarized_height).toBe(first);

    // A later notarisation of a lower height changes nothing; a higher one moves it.
    await notarise(asset, first - 1, desttxid);
    expect((await asset.call<Info>('getinfo')).notarized).toBe(first);
    const blocks = (await asset.call<Info>('getinfo')).blocks;
    const second = await notarisable(asset, blocks - 1, blocks - 2);
    await notarise(asset, second, desttxid);
    expect((await asset.call<Info>('getinfo')).notarized).toBe(second);

    // The state is rebuilt from the blocks on restart.
    expect(await asset.call('stop')).toBe(`${SYMBOL} server stopping`);
    expect(await asset.exited).toBe(0);
    const again = pool.start(acArgs, home);
    await again.waitReady();
    const after = await again.call<Info>('getinfo');
    expect(after.notarized).toBe(second);
    expect(after.notarizedhash).toBe(await again.call('getblockhash', [second]));
  });

  it('without -devnotaries the same transaction notarises nothing', async () => {
    const ports = await freePorts('p2p', 'rpc');
    const asset = pool.start([
      `-ac_name=${SYMBOL}`,
      '-ac_supply=1000000',
      '-gen=0',
      `-port=${ports.p2p}`,
      `-rpcport=${ports.rpc}`,
      `-pubkey=${PUBKEY}`,
    ]);
    await asset.waitReady();
    await asset.call('importprivkey', [WIF, '', false]);
    await asset.call('generate', [3]);
    await notarise(asset, await notarisable(asset, 2, 3), 'ab'.repeat(32));
    const info = await asset.call<Info>('getinfo');
    expect(info.notarized).toBe(0);
    expect(info.notaryid).toBeUndefined();
    expect(info.pubkey).toBe(PUBKEY);
  });
});
