import { describe, expect, it } from 'vitest';
import { entryFromParams } from './entry-params.js';

describe('entryFromParams', () => {
  it('builds an assetchains.json entry: strings, addnode as a list, ac_name first', () => {
    expect(
      entryFromParams('DOC', ['ac_supply=10000000000', 'addnode=1.2.3.4', 'ac_reward=0', 'addnode=5.6.7.8']),
    ).toEqual({ ac_name: 'DOC', ac_supply: '10000000000', ac_reward: '0', addnode: ['1.2.3.4', '5.6.7.8'] });
    expect(Object.keys(entryFromParams(undefined, ['ac_supply=1', 'ac_name=X']))).toEqual([
      'ac_name',
      'ac_supply',
    ]);
    expect(entryFromParams('X', ['ac_pubkey=a=b'])).toEqual({ ac_name: 'X', ac_pubkey: 'a=b' });
  });

  it('refuses malformed, repeated and conflicting params, and a missing name', () => {
    expect(() => entryFromParams('X', ['ac_supply'])).toThrow(/key=value/);
    expect(() => entryFromParams('X', ['=1'])).toThrow(/key=value/);
    expect(() => entryFromParams('X', ['Ac-Supply=1'])).toThrow(/not an assetchains.json key/);
    expect(() => entryFromParams('X', ['ac_supply=1', 'ac_supply=2'])).toThrow(/given twice/);
    expect(() => entryFromParams('X', ['ac_name=Y'])).toThrow(/disagrees/);
    expect(() => entryFromParams(undefined, ['ac_supply=1'])).toThrow(/chain name/);
  });
});
