import { acNameProblem } from './ac-name.js';
import { isHex } from './bytes.js';
import { AC_ALGORITHMS, AC_SUPPLY_MAX, ASSETCHAINS_MAX_ERAS, SATOSHIDEN } from './komodo-limits.js';

// The komodod flags this project accepts, with the type komodod reads them as. Sources:
// komodo_args() in komodo src/komodo_utils.cpp (every -ac_* key and its GetArg default/type),
// src/init.cpp (node/RPC/index flags) and src/util.cpp ParseParameters (the -flag[=value] syntax).

const INT32_MAX = 2 ** 31 - 1;
const U64_MAX = 0xffff_ffff_ffff_ffffn;

/** A value check returning the reason the value is refused, or undefined. */
export type ValueCheck = (value: string) => string | undefined;

export type FlagSpec =
  /** `-flag`, `-flag=1`, `-flag=0`, `-noflag` (GetBoolArg: empty means true). */
  | { readonly kind: 'bool'; readonly doc: string }
  /** A decimal integer that fits a JS number, within [min, max]. */
  | { readonly kind: 'int'; readonly min: number; readonly max: number; readonly doc: string }
  /** An unsigned 64-bit integer (bigint). */
  | { readonly kind: 'u64'; readonly doc: string }
  /** A comma list of integers (komodo Split()). */
  | {
      readonly kind: 'int-list';
      readonly min: number;
      readonly max: number;
      readonly maxItems: number;
      readonly doc: string;
    }
  /** A comma list of unsigned 64-bit integers, one per era (komodo Split()). */
  | { readonly kind: 'u64-list'; readonly maxItem: bigint; readonly maxItems: number; readonly doc: string }
  /** A coin amount such as 0.000035 (ParseMoney: at most 8 decimals); kept as the given string. */
  | { readonly kind: 'amount'; readonly doc: string }
  /** A non-empty string, optionally checked. */
  | { readonly kind: 'string'; readonly check?: ValueCheck; readonly doc: string }
  /** A flag that may be bare or carry a string, e.g. `-notary` / `-notary=.litecoin/litecoin.conf`. */
  | { readonly kind: 'optional-string'; readonly doc: string }
  /** A repeatable flag collected into a list in command-line order (mapMultiArgs), e.g. -addnode. */
  | {
      readonly kind: 'repeat';
      readonly allowEmpty: boolean;
      readonly check?: ValueCheck;
      readonly doc: string;
    };

export type FlagKind = FlagSpec['kind'];

const bool = (doc: string) => ({ kind: 'bool', doc }) as const;
const int = (min: number, max: number, doc: string) => ({ kind: 'int', min, max, doc }) as const;
const u64 = (doc: string) => ({ kind: 'u64', doc }) as const;
const eraList = (doc: string, maxItem = U64_MAX) =>
  ({ kind: 'u64-list', maxItem, maxItems: ASSETCHAINS_MAX_ERAS, doc }) as const;
const intList = (min: number, max: number, maxItems: number, doc: string) =>
  ({ kind: 'int-list', min, max, maxItems, doc }) as const;
const amount = (doc: string) => ({ kind: 'amount', doc }) as const;
const str = (doc: string, check?: ValueCheck) =>
  (check ? { kind: 'string', check, doc } : { kind: 'string', doc }) as {
    kind: 'string';
    check?: ValueCheck;
    doc: string;
  };
const repeat = (doc: string, allowEmpty = false, check?: ValueCheck) =>
  (check ? { kind: 'repeat', allowEmpty, check, doc } : { kind: 'repeat', allowEmpty, doc }) as {
    kind: 'repeat';
    allowEmpty: boolean;
    check?: ValueCheck;
    doc: string;
  };

const hexOf =
  (chars: number, what: string): ValueCheck =>
  (v) =>
    v.length === chars && isHex(v) ? undefined : `must be ${chars} hex characters (${what})`;
const evenHex: ValueCheck = (v) =>
  v.length >= 2 && v.length % 2 === 0 && isHex(v) ? undefined : 'must be a non-empty, even-length hex string';
const word: ValueCheck = (v) =>
  /^[A-Za-z0-9_]+$/.test(v) ? undefined : 'may only contain A-Z, a-z, 0-9 and "_"';
const portRange = (doc: string) => int(1, 65535, doc);

export const KOMODO_FLAGS = {
  // --- assetchain (consensus) flags, read by komodo_args() only when -ac_name is set --------------------
  ac_name: str('assetchain symbol; absent means the KMD chain', acNameProblem),
  ac_supply: int(0, AC_SUPPLY_MAX, 'premine in whole coins (default 10)'),
  ac_reward: eraList('block reward in satoshis, one value per era'),
  ac_end: eraList('last block height of each era (0 = never ends)'),
  ac_halving: eraList('halving interval in blocks, per era'),
  ac_decay: eraList('reward decay per halving, 100000000 = linear', SATOSHIDEN),
  ac_notarypay: eraList('satoshis paid to notaries per notarisation, per era'),
  ac_eras: int(1, ASSETCHAINS_MAX_ERAS, 'number of reward eras (ASSETCHAINS_MAX_ERAS = 7)'),
  ac_perc: int(0, 0xffff_ffff, 'commission (1000000 = 1%) paid to ac_pubkey/ac_script'),
  ac_founders: int(0, INT32_MAX, 'founders reward period in blocks'),
  ac_founders_reward: u64('founders reward in satoshis'),
  ac_pubkey: str('33-byte pubkey receiving ac_perc / founders rewards', hexOf(66, 'a compressed pubkey')),
  ac_script: str('scriptPubKey (hex) receiving ac_perc / founders rewards', evenHex),
  ac_import: str('self-import mode: PUBKEY, BEAM, CODA or a gateway name', word),
  ac_cc: int(0, 0xffff, 'CryptoConditions: 0 off, 1..99 non-fungible, >=100 fungible'),
  ac_ccenable: intList(0, 255, 256, 'eval codes to enable (only with ac_cc)'),
  ac_cclib: str('custom CC library name (only with ac_cc)', word),
  ac_ccactivate: int(0, INT32_MAX, 'height at which CCs activate'),
  ac_ccactivateht: intList(0, INT32_MAX, 512, 'evalcode,height pairs'),
  ac_staked: int(0, 100, 'percentage of blocks that are proof-of-stake'),
  ac_public: int(0, 1, '1 = transparent only'),
  ac_private: int(0, 1, '1 = shielded only (PIRATE)'),
  ac_txpow: int(0, 3, 'transaction proof-of-work bits'),
  ac_blocktime: int(1, INT32_MAX, 'target block time in seconds (default 60)'),
  ac_snapshot: int(0, INT32_MAX, 'address snapshot interval in blocks'),
  ac_cbmaturity: int(0, INT32_MAX, 'coinbase maturity in blocks (0 = komodod default)'),
  ac_adaptivepow: int(0, 127, 'adaptive PoW (int8)'),
  ac_algo: str('mining algorithm; current komodod only knows equihash', (v) =>
    (AC_ALGORITHMS as readonly string[]).includes(v)
      ? undefined
      : `unsupported algorithm (komodod knows: ${AC_ALGORITHMS.join(', ')})`,
  ),
  ac_nk: intList(1, 0xffff, 2, 'equihash N,K'),
  ac_timelockgte: u64('coinbase outputs >= this many satoshis are time-locked'),
  ac_timeunlockfrom: u64('time-lock release window start (blocks)'),
  ac_timeunlockto: u64('time-lock release window end (blocks)'),
  ac_beam: int(0, 65535, 'BEAM import RPC port (komodod refuses a non-zero value)'),
  ac_coda: int(0, 65535, 'CODA import RPC port'),
  ac_mineropret: str('hex data miners must put in an OP_RETURN', evenHex),
  ac_earlytxidcontract: int(0, INT32_MAX, 'eval code of the earlytxid contract'),
  ac_sapling: int(-1, INT32_MAX, 'sapling activation height (-1 = default)'),
  ac_overwinter: int(-1, INT32_MAX, 'overwinter activation height (-1 = default)'),

  // --- node --------------------------------------------------------------------------------------------
  pubkey: str('notary/mining pubkey (33 bytes hex)', hexOf(66, 'a compressed pubkey')),
  datadir: str('data directory'),
  conf: str('configuration file path'),
  exportdir: str('directory for z_exportwallet / dumpwallet'),
  port: portRange('p2p port (overrides the derived one)'),
  listen: bool('accept p2p connections'),
  bind: repeat('bind p2p to this address'),
  addnode: repeat('add a p2p peer'),
  connect: repeat('connect only to this peer'),
  seednode: repeat('connect to this node to get peer addresses'),
  maxconnections: int(0, INT32_MAX, 'maximum p2p connections'),
  whitelistaddress: repeat('address allowed to send to this notary (anti-spam)'),
  testnode: bool('allow a node with no peers to mine'),
  regtest: bool('regression test network'),
  testnet: bool('test network'),
  daemon: bool('run in the background'),
  printtoconsole: bool('log to stdout'),
  debug: repeat('debug categories (bare -debug = all)', true),
  reindex: bool('rebuild the block index'),
  rescan: bool('rescan the wallet'),
  wallet: repeat('wallet to load at start-up (Bitcoin Core 0.21: a name or path in -walletdir)'),
  walletdir: str('directory holding the wallets (Bitcoin Core 0.21)'),
  dbcache: int(4, 16384, 'database cache (MiB)'),
  maxreorg: int(1, INT32_MAX, 'maximum reorg length'),
  stopat: int(0, INT32_MAX, 'stop at this height'),
  rewind: int(-INT32_MAX, INT32_MAX, 'rewind the chain to this height'),
  dpowconfs: int(0, 1, '1 = report dPoW confirmations'),

  // --- RPC ---------------------------------------------------------------------------------------------
  server: bool('accept JSON-RPC'),
  rpcport: portRange('JSON-RPC port (default p2p + 1)'),
  rpcuser: str('JSON-RPC user'),
  rpcpassword: str('JSON-RPC password'),
  rpcbind: repeat('bind JSON-RPC to this address'),
  rpcallowip: repeat('allow JSON-RPC from this address/subnet'),
  rpcworkqueue: int(1, INT32_MAX, 'JSON-RPC work queue depth'),
  rpcthreads: int(1, INT32_MAX, 'JSON-RPC threads'),

  // --- indexes -----------------------------------------------------------------------------------------
  txindex: bool('full transaction index'),
  addressindex: bool('address index'),
  spentindex: bool('spent index'),
  timestampindex: bool('timestamp index'),

  // --- mining, fees, notary ----------------------------------------------------------------------------
  gen: bool('mine (or stake) blocks'),
  genproclimit: int(-1, INT32_MAX, 'mining threads (-1 = all cores, 0 = staking only)'),
  minrelaytxfee: amount('minimum relay fee per kB'),
  opretmintxfee: amount('minimum fee for OP_RETURN transactions'),
  paytxfee: amount('wallet fee per kB'),
  notary: {
    kind: 'optional-string',
    doc: 'run as a notary; the value is the dPoW destination conf, relative to $HOME',
  } as const,
  earlytxid: str('txid of the chain early transaction', hexOf(64, 'a txid')),
  exchange: bool('exchange wallet mode'),
  donation: str('donation pubkey'),
  dealer: bool('dealer node'),
  stakednotary: int(-1, 63, 'STAKED notary id'),
  splitperc: int(0, 100, 'staking split percentage'),
  nSPV: bool('nSPV client mode'),
} as const satisfies Record<string, FlagSpec>;

export type KomodoFlagName = keyof typeof KOMODO_FLAGS;

type ValueOf<S> = S extends { kind: 'bool' }
  ? boolean
  : S extends { kind: 'int' }
    ? number
    : S extends { kind: 'u64' }
      ? bigint
      : S extends { kind: 'int-list' }
        ? number[]
        : S extends { kind: 'u64-list' }
          ? bigint[]
          : S extends { kind: 'repeat' }
            ? string[]
            : string;

/** Typed values of the flags given on a command line; absent keys were not given. */
export type KomodoOptions = { [N in KomodoFlagName]?: ValueOf<(typeof KOMODO_FLAGS)[N]> };

export function isKomodoFlag(name: string): name is KomodoFlagName {
  return Object.hasOwn(KOMODO_FLAGS, name);
}

/** True for the assetchain-only flags (komodo_args reads them only for -ac_name chains). */
export function isAssetchainFlag(name: KomodoFlagName): boolean {
  return name.startsWith('ac_') && name !== 'ac_name';
}
