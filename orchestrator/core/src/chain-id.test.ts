import { chainIdentity } from '@nn/komodo-params';
import { describe, expect, it } from 'vitest';
import { chainIdFor, chainIdSchema } from './chain-id.js';

/** The literal `${HOME}` dPoW writes in datadir values (kept out of template syntax on purpose). */
const HOME = ['$', '{HOME}'].join('');

const idOf = (ac_name: string, datadir?: string) =>
  chainIdFor(chainIdentity(datadir === undefined ? { ac_name } : { ac_name, datadir }));

describe('chainIdFor', () => {
  it('reads like the coin', () => {
    expect(idOf('CCL')).toBe('ccl');
    expect(idOf('GLEEC', `${HOME}/.komodo/GLEEC_OLD`)).toBe('gleec-old');
    expect(idOf('My.Coin__X')).toBe('my-coin-x');
  });

  it('gives a name starting with a digit a letter first', () => {
    expect(idOf('3DC')).toBe('c-3dc');
    expect(idOf('_X_')).toBe('x');
  });

  it('cuts long names to a DNS label, keeping them unique and stable', () => {
    const a = idOf(`${'A'.repeat(63)}1`);
    const b = idOf(`${'A'.repeat(63)}2`);
    expect(a.length).toBeLessThanOrEqual(63);
    expect(a).not.toBe(b);
    expect(a).toBe(idOf(`${'A'.repeat(63)}1`));
    expect(idOf(`${'A'.repeat(62)}1`)).toBe(`${'a'.repeat(62)}1`);
    expect(a).toMatch(/^a+-[0-9a-f]{8}$/);
  });
});

describe('chainIdSchema', () => {
  it.each(['ccl', 'gleec-old', 'a'])('accepts %s', (id) => {
    expect(chainIdSchema.safeParse(id).success).toBe(true);
  });

  it.each(['', 'CCL', '1abc', 'a--b-', '../x', 'a b', 'x'.repeat(64), 'a;b'])('refuses %j', (id) => {
    expect(chainIdSchema.safeParse(id).success).toBe(false);
  });
});
