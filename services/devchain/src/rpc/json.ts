/** Satoshis per coin, for KMD, assetchains, LTC and BTC alike. */
export const COIN = 100_000_000n;

/**
 * An amount in the RPC reply. komodod and bitcoind print amounts as JSON numbers with exactly eight
 * decimals (`0.00010000`), which JSON.stringify cannot do with a plain number, so amounts travel as
 * this type and `stringifyRpc` writes them out.
 */
export class Amount {
  constructor(readonly sats: bigint) {}
}

export function formatAmount(sats: bigint): string {
  const negative = sats < 0n;
  const abs = negative ? -sats : sats;
  const whole = abs / COIN;
  const frac = (abs % COIN).toString().padStart(8, '0');
  return `${negative ? '-' : ''}${whole}.${frac}`;
}

/** JSON.stringify that writes `Amount` values as bare eight-decimal numbers. */
export function stringifyRpc(value: unknown): string {
  // A per-call marker, so a caller-supplied string (a label, a comment) can never pose as a number.
  const tag = `amount${Math.random().toString(36).slice(2)}:`;
  const text = JSON.stringify(value, (_key, v: unknown) => {
    // Plain bigints (integer satoshi counts) are written as bare integers.
    if (v instanceof Amount) return `\u0000${tag}${formatAmount(v.sats)}`;
    if (typeof v === 'bigint') return `\u0000${tag}${v.toString()}`;
    return v;
  });
  // The marker is a NUL-prefixed string, which JSON.stringify escapes as \u0000: unquote those.
  return text.replace(new RegExp(`"\\\\u0000${tag}(-?[0-9.]+)"`, 'g'), '$1');
}
