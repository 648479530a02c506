import { describe, expect, it } from 'vitest';
import { candidateHeight, dpowSettings, roundDue } from './settings.js';

describe('dpow settings', () => {
  const elected = { minsigs: 11, btcMinsigs: 13 };

  it('KMD → LTC: srcconfirms 10, freq 10, BTCminsigs above the floor', () => {
    expect(dpowSettings('KMD', 'LTC', 0, elected, 4)).toEqual({
      dest: 'LTC',
      srcconfirms: 10,
      freq: 10,
      minsigs: 13,
    });
    expect(dpowSettings('KMD', 'LTC', 0, { minsigs: 1, btcMinsigs: 1 }, 4).minsigs).toBe(4);
    expect(dpowSettings('KMD', 'LTC', 0, { minsigs: 1, btcMinsigs: 1 }, 1).minsigs).toBe(1);
    expect(dpowSettings('KMD', 'LTC', 0, { minsigs: 1, btcMinsigs: undefined }, 4).minsigs).toBe(4);
  });

  it('assetchains: srcconfirms 5, minsigs, freq > 2 kept else 2, CHIPS/TEST* with 0 → 100', () => {
    expect(dpowSettings('DOC', 'KMD', 10, elected, 4)).toEqual({
      dest: 'KMD',
      srcconfirms: 5,
      freq: 10,
      minsigs: 11,
    });
    expect(dpowSettings('DOC', 'KMD', 2, elected, 4).freq).toBe(2);
    expect(dpowSettings('DOC', 'KMD', 0, elected, 4).freq).toBe(2);
    expect(dpowSettings('TESTX', 'KMD', 0, elected, 4).freq).toBe(100);
    expect(dpowSettings('CHIPS', 'KMD', 0, elected, 4).freq).toBe(100);
  });

  it('candidate = h − 1 − srcconfirms; due at multiples of freq, into KMD only 10 KMD blocks apart', () => {
    expect(candidateHeight(111, 10)).toBe(100);
    expect(candidateHeight(106, 5)).toBe(100);
    expect(roundDue(100, 10, false, 0, 0)).toBe(true);
    expect(roundDue(101, 10, false, 0, 0)).toBe(false);
    expect(roundDue(0, 10, false, 0, 0)).toBe(false);
    expect(roundDue(100, 2, true, 119, 110)).toBe(false);
    expect(roundDue(100, 2, true, 120, 110)).toBe(true);
  });
});
