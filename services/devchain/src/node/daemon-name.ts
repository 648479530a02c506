import { basename } from 'node:path';
import { KomodoArgsError } from '@nn/komodo-params';

/**
 * The real daemons devchain stands in for. The image ships each name as an entry point (kmdclassicd,
 * komodod, litecoind, bitcoind, and their -cli), so a unit's command line is the real daemon's, and
 * devchain learns which one to be from the name it was started under (or from -devas=NAME).
 */
export type DaemonName = 'komodod' | 'kmdclassicd' | 'litecoind' | 'bitcoind';

const DAEMONS: Record<string, DaemonName> = {
  komodod: 'komodod',
  'komodo-cli': 'komodod',
  kmdclassicd: 'kmdclassicd',
  'kmdclassic-cli': 'kmdclassicd',
  litecoind: 'litecoind',
  'litecoin-cli': 'litecoind',
  bitcoind: 'bitcoind',
  'bitcoin-cli': 'bitcoind',
};

/** The daemon a program path names (`/usr/local/bin/kmdclassicd` → kmdclassicd); undefined for devchain's own names. */
export function daemonOfProgram(program: string | undefined): DaemonName | undefined {
  if (!program) return undefined;
  return DAEMONS[basename(program).replace(/\.(m?js|ts)$/, '')];
}

/** -devas=NAME: one of the daemon names, for tests and for a wrapper that cannot rename the program. */
export function parseDevAs(flag: string, v: string): DaemonName {
  const d = DAEMONS[v];
  if (!d || v.endsWith('-cli'))
    throw new KomodoArgsError(flag, `must be komodod, kmdclassicd, litecoind or bitcoind (got "${v}")`);
  return d;
}
