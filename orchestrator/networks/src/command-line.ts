// A daemon's command line in a network file: argv words (never a shell line) with placeholders the node
// fills in when it builds the unit. Only the names below exist; anything else in ${...} is refused.

export const PLACEHOLDERS = {
  pubkey: 'the notary pubkey (33-byte hex)',
  home: "the unit's home, where its volume is mounted",
  datadir: "the daemon's data dir (home + datadir)",
  conf: "the daemon's conf file (data dir + conf)",
  elected: "Iguana's elected file",
  ac_name: "the assetchain's -ac_name (assetchain daemons only)",
} as const;

export type Placeholder = keyof typeof PLACEHOLDERS;

const REF = /\$\{([^}]*)\}/g;

/** The placeholder names `word` uses that do not exist. */
export function unknownPlaceholders(word: string): string[] {
  return [...word.matchAll(REF)].map((m) => m[1] ?? '').filter((n) => !(n in PLACEHOLDERS));
}

/** `word` with every placeholder replaced; a placeholder without a value is an error naming it. */
export function fillPlaceholders(word: string, values: Partial<Record<Placeholder, string>>): string {
  return word.replace(REF, (_, name: string) => {
    const value = values[name as Placeholder];
    if (value === undefined) throw new Error(`\${${name}} has no value here`);
    return value;
  });
}

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost|::1|\[::1\])(:\d{1,5})?$/;
const LOOPBACK_NET = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}(\/(8|9|[12]\d|3[0-2]))?|::1(\/128)?)$/;

/**
 * Why `word` (one argv word of a daemon) would let its RPC port leave the unit, or undefined. RPC ports
 * never leave their unit (docs/architecture.md): a bind or allow-list beyond loopback is refused, and
 * so is -rpcport on a published port (checked by the caller, which knows the published ports).
 */
export function rpcExposure(word: string): string | undefined {
  const m = /^--?(rpcbind|rpcallowip|rpcallowip6)=(.*)$/.exec(word);
  if (!m) return undefined;
  const [, flag, value = ''] = m;
  if (flag === 'rpcbind' && !LOOPBACK.test(value))
    return `-rpcbind=${value} would publish the RPC port: only a loopback address may be bound`;
  if (flag !== 'rpcbind' && !LOOPBACK_NET.test(value))
    return `-${flag}=${value} would let callers from outside the unit reach the RPC port: only 127.0.0.0/8 or ::1`;
  return undefined;
}

/** The value of `-flag=value` in `args`, the last one winning as in komodod and litecoind. */
export function flagValue(args: readonly string[], flag: string): string | undefined {
  let value: string | undefined;
  for (const a of args) {
    const m = /^--?([A-Za-z0-9_]+)=(.*)$/.exec(a);
    if (m && m[1] === flag) value = m[2];
  }
  return value;
}
