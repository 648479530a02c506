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

const AMOUNT_MARK = '\u0000amount:';

/** JSON.stringify that writes `Amount` values as bare eight-decimal numbers. */
export function stringifyRpc(value: unknown): string {
  const text = JSON.stringify(value, (_key, v: unknown) => {
    // Plain bigints (integer satoshi counts) are written as bare integers.
    if (v instanceof Amount) return `${AMOUNT_MARK}${formatAmount(v.sats)}`;
    if (typeof v === 'bigint') return `${AMOUNT_MARK}${v.toString()}`;
    return v;
  });
  // The marker is a NUL-prefixed string, which JSON.stringify escapes as \u0000: unquote those.
  return text.replace(/"\\u0000amount:(-?[0-9.]+)"/g, '$1');
}

/**
 * Parses an amount given over RPC the way komodod's AmountFromValue does: a JSON number or a numeric
 * string, at most eight decimals, not negative, not above the money range.
 */
export function parseAmountText(text: string): bigint | undefined {
  const m = /^(\d{1,12})(?:\.(\d{1,8}))?$/.exec(text);
  if (!m) return undefined;
  const whole = BigInt(m[1] ?? '0');
  const frac = BigInt((m[2] ?? '').padEnd(8, '0'));
  return whole * COIN + frac;
}
