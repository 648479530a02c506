// Default data directories and conf file names on Linux: komodo src/util.cpp GetDefaultDataDir()
// (~/.komodo, and ~/.komodo/NAME for an assetchain), komodo_utils.cpp komodo_configfile()/komodo_userpass()
// (NAME.conf inside the data dir), and Bitcoin Core / Litecoin Core util GetDefaultDataDir() (~/.bitcoin,
// ~/.litecoin with bitcoin.conf / litecoin.conf). Komodo Classic's kmdclassicd (kmdclassic/KmdClassic
// src/util.cpp, komodo_utils.cpp) is komodod with ~/.kmdclassic and kmdclassic.conf in their place.
// macOS uses other paths (and "Komodo.conf"); not covered.

export type DaemonFlavour = 'komodo' | 'kmdclassic' | 'litecoin' | 'bitcoin';

export interface DataDirQuery {
  /** The daemon user's home directory, e.g. /home/komodian. */
  readonly home: string;
  /** Assetchain symbol; absent for KMD (and always for the bitcoin flavours). */
  readonly acName?: string | undefined;
  /** Which daemon; default 'komodo'. */
  readonly flavour?: DaemonFlavour | undefined;
}

function join(...parts: string[]): string {
  return parts.join('/').replace(/\/{2,}/g, '/');
}

/** ~/.komodo, ~/.komodo/NAME, ~/.kmdclassic, ~/.kmdclassic/NAME, ~/.litecoin or ~/.bitcoin. */
export function defaultDataDir(q: DataDirQuery): string {
  const flavour = q.flavour ?? 'komodo';
  if (flavour === 'litecoin') return join(q.home, '.litecoin');
  if (flavour === 'bitcoin') return join(q.home, '.bitcoin');
  const root = flavour === 'kmdclassic' ? '.kmdclassic' : '.komodo';
  return q.acName ? join(q.home, root, q.acName) : join(q.home, root);
}

/** The main chain's conf name of a komodod-family daemon: komodo.conf or kmdclassic.conf. */
export function mainConfName(flavour: DaemonFlavour = 'komodo'): string {
  return flavour === 'kmdclassic' ? 'kmdclassic.conf' : 'komodo.conf';
}

/** komodo.conf, kmdclassic.conf, NAME.conf, litecoin.conf or bitcoin.conf. */
export function confFileName(acName?: string, flavour: DaemonFlavour = 'komodo'): string {
  if (flavour === 'litecoin') return 'litecoin.conf';
  if (flavour === 'bitcoin') return 'bitcoin.conf';
  return acName ? `${acName}.conf` : mainConfName(flavour);
}

/**
 * Where komodod reads (and for an assetchain, first writes) its conf: `-conf` when given (a relative
 * path is taken inside the data dir, as util.cpp GetConfigFile() does), else the conf name inside
 * `-datadir` (GLEEC with -datadir=~/.komodo/GLEEC_OLD uses ~/.komodo/GLEEC_OLD/GLEEC.conf), else inside
 * the default data dir.
 */
export function confFilePath(
  q: DataDirQuery & { datadir?: string | undefined; conf?: string | undefined },
): string {
  const dir = q.datadir ?? defaultDataDir(q);
  if (q.conf) return q.conf.startsWith('/') ? q.conf : join(dir, q.conf);
  return join(dir, confFileName(q.acName, q.flavour));
}

/**
 * The parent KMD conf every assetchain reads for KMD's RPC credentials (komodo_configfile()): the data dir
 * with its last path component cut off (komodod drops characters up to the last "/"), + komodo.conf
 * (kmdclassicd: kmdclassic.conf).
 */
export function parentKomodoConfPath(assetchainDataDir: string, flavour: DaemonFlavour = 'komodo'): string {
  return `${assetchainDataDir.slice(0, assetchainDataDir.lastIndexOf('/') + 1)}${mainConfName(flavour)}`;
}

/**
 * The dPoW destination conf KMD reads with `-notary=PATH` (set_kmd_user_password_port(): GetAppDir() / PATH,
 * the app dir being $HOME), e.g. `.litecoin/litecoin.conf` -> /home/u/.litecoin/litecoin.conf.
 */
export function notaryDestConfPath(home: string, notary: string): string {
  return join(home, notary);
}
