import { KMD_MAGIC } from './komodo-limits.js';

// Address prefixes, ports and magics of the chains a notary node runs, with their upstream source.

export interface ChainConstants {
  readonly ticker: string;
  /** base58Prefixes[PUBKEY_ADDRESS] */
  readonly pubkeyPrefix: number;
  /** base58Prefixes[SCRIPT_ADDRESS] (Litecoin: the current SCRIPT_ADDRESS2 "M" prefix). */
  readonly scriptPrefix: number;
  /** Litecoin's legacy "3" script prefix, still accepted. */
  readonly legacyScriptPrefix?: number;
  /** base58Prefixes[SECRET_KEY] (WIF). */
  readonly wifPrefix: number;
  readonly p2pPort: number;
  readonly rpcPort: number;
  /** pchMessageStart read little-endian (netmagicHex(magic) gives the bytes in wire order). */
  readonly magic: number;
  readonly coinbaseMaturity: number;
  /** Iguana's `unitval` in addcoin (dPoW iguana/coins). */
  readonly iguanaUnitval?: string;
  /** Default transaction fee in satoshis used by Iguana (`txfee_satoshis`). */
  readonly txfeeSatoshis: number;
  readonly source: string;
}

export const KMD_CONSTANTS: ChainConstants = {
  ticker: 'KMD',
  pubkeyPrefix: 60,
  scriptPrefix: 85,
  wifPrefix: 188,
  p2pPort: 7770,
  rpcPort: 7771,
  magic: KMD_MAGIC,
  coinbaseMaturity: 100,
  iguanaUnitval: '20',
  txfeeSatoshis: 10000,
  source:
    'komodo src/chainparams.cpp CMainParams (pchMessageStart f9 ee e4 8d, nDefaultPort 7770, base58 60/85/188), ' +
    'src/chainparamsbase.cpp (rpc 7771), src/komodo_defs.h _COINBASE_MATURITY 100, dPoW iguana/coins/kmd_7776',
};

/**
 * Assetchains share KMD's prefixes and fee; magic and ports are derived per chain (assetMagic, p2pPort),
 * and coinbase maturity is 1 for single-era chains unless -ac_cbmaturity says otherwise (coinbaseMaturity()).
 */
export const ASSETCHAIN_CONSTANTS: Omit<
  ChainConstants,
  'p2pPort' | 'rpcPort' | 'magic' | 'coinbaseMaturity'
> = {
  ticker: '<ac_name>',
  pubkeyPrefix: 60,
  scriptPrefix: 85,
  wifPrefix: 188,
  iguanaUnitval: '20',
  txfeeSatoshis: 10000,
  source:
    'komodo src/chainparams.cpp (same base58 table for every chain), komodo_args() NAME_7776 template (pubval 60, p2shval 85, wifval 188, txfee 10000)',
};

export const LTC_CONSTANTS: ChainConstants = {
  ticker: 'LTC',
  pubkeyPrefix: 48,
  scriptPrefix: 50,
  legacyScriptPrefix: 5,
  wifPrefix: 176,
  p2pPort: 9333,
  rpcPort: 9332,
  magic: 0xdbb6c0fb,
  coinbaseMaturity: 100,
  txfeeSatoshis: 10000,
  source:
    'litecoin-project/litecoin src/chainparams.cpp CMainParams (pchMessageStart fb c0 b6 db, port 9333, base58 48/5/50/176), ' +
    'src/chainparamsbase.cpp (rpc 9332), src/consensus/consensus.h COINBASE_MATURITY 100',
};

export const BTC_CONSTANTS: ChainConstants = {
  ticker: 'BTC',
  pubkeyPrefix: 0,
  scriptPrefix: 5,
  wifPrefix: 128,
  p2pPort: 8333,
  rpcPort: 8332,
  magic: 0xd9b4bef9,
  coinbaseMaturity: 100,
  txfeeSatoshis: 10000,
  source:
    'bitcoin/bitcoin src/kernel/chainparams.cpp CMainParams (pchMessageStart f9 be b4 d9, port 8333, base58 0/5/128), ' +
    'src/chainparamsbase.cpp (rpc 8332), src/consensus/consensus.h COINBASE_MATURITY 100',
};

/** Constants of the notarisation setup itself. */
export const NOTARY_CONSTANTS = {
  /** Size of one notarisation UTXO: a P2PK output (21<pubkey>ac) of 0.0001 coin. */
  notaryUtxoSatoshis: 10000,
  /** Iguana's HTTP API on 127.0.0.1: main server / third-party server. */
  iguanaApiPortMain: 7776,
  iguanaApiPort3p: 7779,
  /** Iguana's notary p2p port in Season 8: main / third-party. */
  iguanaP2pPortMain: 13848,
  iguanaP2pPort3p: 13845,
  kmdP2pPort: 7770,
  kmdRpcPort: 7771,
  source: 'dPoW iguana/coins/*_7776 (minoutput 10000), dPoW README/doc (ports), komodo-docs-mdx notary pages',
} as const;
