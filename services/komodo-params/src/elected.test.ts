import { describe, expect, it } from 'vitest';
import { parseElectedFile } from './elected.js';

// Shape of dPoW iguana/elected (Season 7 excerpt quoted in docs/reference/iguana.md §2).
const excerpt = `{
"port": 13347,
"BTCminsigs": 13,
"minsigs": 13,
"seeds": ["77.75.121.138", "77.75.121.140"],
"notaries": [
  {"blackice_DEV": "03955c7999538cee313bf196a7df59db208c651f6a5a1b0eed94732ba753b4f3f4"},
  {"blackice_AR":  "02bbc5518d27918d77c46b4e3ad0b9df936df520646527ab4c2f206544a2b03967"}
]}`;

describe('parseElectedFile', () => {
  it('reads a real elected file, notaries in index order', () => {
    const e = parseElectedFile(excerpt);
    expect(e.port).toBe(13347);
    expect(e.minsigs).toBe(13);
    expect(e.btcMinsigs).toBe(13);
    expect(e.seeds).toEqual(['77.75.121.138', '77.75.121.140']);
    expect(e.notaries.map((n) => [n.index, n.name])).toEqual([
      [0, 'blackice_DEV'],
      [1, 'blackice_AR'],
    ]);
  });

  it('names the bad entry, as Iguana refuses to start on one', () => {
    const bad = excerpt.replace('03955c79', '04955c79');
    expect(() => parseElectedFile(bad)).toThrow(/notaries\.0/);
    expect(() => parseElectedFile('{')).toThrow(/not JSON/);
    expect(() => parseElectedFile('{"port":1,"minsigs":1,"notaries":[]}')).toThrow(/notaries/);
  });
});
