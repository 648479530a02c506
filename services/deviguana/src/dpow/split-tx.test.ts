import { fromHex, hash160, p2pkhScript, p2pkScript, toHex } from '@nn/chain-crypto';
import { describe, expect, it } from 'vitest';
import { TEST_PUBKEY } from '../testkit.js';
import { planSplit, SplitError, splitFee } from './split-tx.js';

const pub = fromHex(TEST_PUBKEY);
const utxo = (n: number, value: bigint) => ({
  txid: `${n}`.repeat(64).slice(0, 64),
  vout: n,
  value,
  scriptPubKey: `21${TEST_PUBKEY}ac`,
});

describe('splitfunds transaction', () => {
  it('fee = txfee + duplicates·txfee·2 (50 duplicates → 1 010 000 sat)', () => {
    expect(splitFee(10_000n, 50)).toBe(1_010_000n);
  });

  it('duplicates P2PK outputs, change over 10000 sat as P2PKH, largest inputs first', () => {
    const plan = planSplit({
      format: 'komodo-sapling',
      pubkey: pub,
      satoshis: 10_000n,
      duplicates: 50,
      txfee: 10_000n,
      utxos: [utxo(1, 200_000n), utxo(2, 5_000_000n), utxo(3, 300_000n)],
    });
    expect(plan.inputs.map((i) => i.vout)).toEqual([2]);
    expect(plan.tx.version).toBe(1);
    expect(plan.tx.overwintered).toBe(false);
    expect(plan.tx.outputs).toHaveLength(51);
    expect(
      plan.tx.outputs
        .slice(0, 50)
        .every((o) => o.value === 10_000n && toHex(o.script) === toHex(p2pkScript(pub))),
    ).toBe(true);
    expect(plan.change).toBe(5_000_000n - 500_000n - 1_010_000n);
    expect(toHex(plan.tx.outputs[50]?.script ?? new Uint8Array())).toBe(toHex(p2pkhScript(hash160(pub))));
    expect(plan.fee).toBe(1_010_000n);
  });

  it('change of 10000 sat or less goes to the fee; duplicates ≤ 0 means 1', () => {
    const plan = planSplit({
      format: 'bitcoin',
      pubkey: pub,
      satoshis: 10_000n,
      duplicates: 0,
      txfee: 10_000n,
      utxos: [utxo(1, 10_000n + 30_000n + 9_000n)],
    });
    expect(plan.tx.outputs).toHaveLength(1);
    expect(plan.change).toBe(0n);
    expect(plan.fee).toBe(39_000n);
  });

  it('refuses too little money and (BTC) too many inputs', () => {
    const req = { format: 'bitcoin' as const, pubkey: pub, satoshis: 10_000n, duplicates: 4, txfee: 10_000n };
    expect(() => planSplit({ ...req, utxos: [utxo(1, 50_000n)] })).toThrow(SplitError);
    expect(() => planSplit({ ...req, utxos: [1, 2, 3].map((n) => utxo(n, 50_000n)), maxInputs: 2 })).toThrow(
      /3 inputs/,
    );
  });
});
