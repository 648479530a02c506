import { encodeWif, generatePrivateKey, KMD_PREFIXES, keyPairFromPrivateKey, toHex } from '@nn/chain-crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevchainProcess, removeHome, startDevchain, tempHome } from '../helpers/devchain-process.js';

// kmdclassicd's nn_split as devchain stands in for it, cases from kmdclassic/KmdClassic src/rpc/
// notaries.cpp: its arguments (count, fee, fmergeallutxos, fskipnotaryvins, fsendtransaction), its reply
// fields, its errors; komodod has no such method (-32601).

const key = keyPairFromPrivateKey(generatePrivateKey());
const pubkey = toHex(key.publicKey);
const p2pk = `21${pubkey}ac`;
const args = (name: string) => [
  `-ac_name=${name}`,
  '-ac_supply=1000',
  '-ac_cbmaturity=1',
  '-gen=0',
  `-pubkey=${pubkey}`,
];

const homes: string[] = [];
let kmdcl: DevchainProcess;
let komodod: DevchainProcess;

type Unspent = { txid: string; vout: number; amount: number; scriptPubKey: string };
const sats = (x: number) => Math.round(x * 1e8);

beforeAll(async () => {
  const [a, b] = [tempHome('devchain-nnsplit-'), tempHome('devchain-nnsplit-')];
  homes.push(a, b);
  kmdcl = startDevchain(args('NNSPLIT'), a, 'kmdclassicd.ts');
  komodod = startDevchain(args('NNSPLITK'), b, 'komodod.ts');
  await Promise.all([kmdcl.waitReady(), komodod.waitReady()]);
  await kmdcl.call('importprivkey', [encodeWif(key.privateKey, KMD_PREFIXES.wif, true)]);
  await kmdcl.call('generate', [3]);
}, 60_000);

afterAll(async () => {
  await kmdcl?.kill('SIGKILL');
  await komodod?.kill('SIGKILL');
  for (const h of homes) removeHome(h);
});

describe('nn_split (kmdclassicd)', () => {
  it('is kmdclassicd’s only: komodod answers -32601, and help lists no hidden command', async () => {
    expect((await komodod.rpc('nn_split', [])).error?.code).toBe(-32601);
    expect(await kmdcl.call<string>('help')).not.toMatch(/nn_split/);
    expect(await kmdcl.call<string>('help', ['nn_split'])).toMatch(/^nn_split\n/);
  });

  it('checks its argument types as RPCTypeCheck does (-3)', async () => {
    expect((await kmdcl.rpc('nn_split', ['10'])).error).toEqual({
      code: -3,
      message: 'Expected type number, got string',
    });
    expect((await kmdcl.rpc('nn_split', [10, 0.0001, 1])).error).toEqual({
      code: -3,
      message: 'Expected type bool, got number',
    });
  });

  it('fsendtransaction=false shows the signed hex and changes nothing', async () => {
    const before = await kmdcl.call<Unspent[]>('listunspent');
    const r = await kmdcl.call<Record<string, unknown>>('nn_split', [5, 0.0001, false, true, false]);
    expect(r.tx).toMatch(/^[0-9a-f]+$/);
    expect(r).toMatchObject({ out_notaryvins_count: 5, out_utxos_count: 1, input_utxos_count: 1 });
    expect(r.real_tx_size).toBe((r.tx as string).length / 2);
    expect(r.estimated_tx_size).toBe(200 + 148);
    expect(await kmdcl.call<Unspent[]>('listunspent')).toEqual(before);
  });

  it('broadcasts one tx: output 0 the rest to the P2PKH address, then the notary P2PK outputs', async () => {
    const r = await kmdcl.call<Record<string, unknown>>('nn_split', [5]);
    expect(r.tx).toMatch(/^[0-9a-f]{64}$/);
    // The default fee 0.0001 and 5 × 0.0001 come out of the inputs, exactly.
    expect(sats(r.input_utxos_value as number) - sats(r.out_utxos_value as number)).toBe(10_000 + 5 * 10_000);
    await kmdcl.call('generate', [1]);
    const outs = (await kmdcl.call<Unspent[]>('listunspent')).filter((u) => u.txid === r.tx);
    expect(outs.filter((u) => u.scriptPubKey === p2pk && sats(u.amount) === 10_000)).toHaveLength(5);
    expect(outs.find((u) => u.vout === 0)?.scriptPubKey).toMatch(/^76a914[0-9a-f]{40}88ac$/);
  });

  it('refuses a fee the inputs cannot pay (-6, FormatMoney amounts)', async () => {
    const r = await kmdcl.rpc('nn_split', [1, 100_000, true]);
    expect(r.error?.code).toBe(-6);
    expect(r.error?.message).toMatch(/^Insufficient funds, have \d+\.\d{2,8} and miners fee is 100000\.00$/);
  });
});
