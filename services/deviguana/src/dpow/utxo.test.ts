import { describe, expect, it } from 'vitest';
import { TEST_PUBKEY } from '../testkit.js';
import { notaryUtxos, pickRandom } from './utxo.js';

const ADDR = 'RVNKRr2uxPMxJeDwFnTKjdtiLtcs7UzCZn';
const good = {
  txid: 'ab'.repeat(32),
  vout: 1,
  address: ADDR,
  amount: 0.0001,
  scriptPubKey: `21${TEST_PUBKEY}ac`,
  spendable: true,
};

describe('dpow_haveutxo filter', () => {
  it('keeps only spendable 10000-sat P2PK outputs of the own address', () => {
    const list = [
      good,
      { ...good, vout: 2, spendable: false },
      { ...good, vout: 3, amount: 0.00010001 },
      { ...good, vout: 4, address: 'Rother' },
      { ...good, vout: 5, scriptPubKey: '76a914dc5abb3c56eba571a0910fe18fa8f205d29a06e388ac' },
      { ...good, vout: 6, amount: undefined, value: 0.0001 },
    ];
    expect(notaryUtxos(list, ADDR).map((u) => u.vout)).toEqual([1, 6]);
  });

  it('picks at random', () => {
    const items = [1, 2, 3];
    expect(pickRandom(items, () => 0)).toBe(1);
    expect(pickRandom(items, () => 0.99)).toBe(3);
    expect(pickRandom([], () => 0)).toBeUndefined();
  });
});
