import { BTC_CONSTANTS, KMD_CONSTANTS, LTC_CONSTANTS, netmagicHex } from '@nn/komodo-params';
import { KOMODO_GENESIS_BLOCK, KOMODO_GENESIS_HASH } from './genesis.js';

// Iguana `addcoin` bodies, field for field (and in the same order) as the scripts notaries run:
// assetchains as komodod writes its NAME_7776 file (komodo src/komodo_utils.cpp komodo_args,
// iguanafmtstr), KMD as dPoW iguana/coins/kmd_7778, LTC as dPoW iguana/coins/ltc_7776, BTC as
// jl777/SuperNET iguana/coins/btc_7776 (plus conf/path, which the LTC file shows). Iguana reads the
// conf at "/" + path + "/" + conf; the scripts send path = $HOME without its leading "/".

export type AddcoinBody = Record<string, string | number>;

/** Where Iguana finds the coin's conf: `path` (no leading "/") and `conf` of an absolute conf path. */
export function confLocation(confPath: string): { conf: string; path: string } {
  const slash = confPath.lastIndexOf('/');
  return { conf: confPath.slice(slash + 1), path: confPath.slice(1, slash) };
}

/** Fields komodod-family coins share (KMD and every assetchain). */
function komodoChainFields(netmagic: string, p2p: number, rpc: number): AddcoinBody {
  return {
    hasheaders: 1,
    useaddmultisig: 0,
    netmagic,
    p2p,
    rpc,
    pubval: KMD_CONSTANTS.pubkeyPrefix,
    p2shval: KMD_CONSTANTS.scriptPrefix,
    wifval: KMD_CONSTANTS.wifPrefix,
    txfee_satoshis: String(KMD_CONSTANTS.txfeeSatoshis),
    isPoS: 0,
    minoutput: 10000,
    minconfirms: 2,
    genesishash: KOMODO_GENESIS_HASH,
    protover: 170002,
    genesisblock: KOMODO_GENESIS_BLOCK,
    debug: 0,
  };
}

export interface AssetchainAddcoin {
  /** Iguana's name for the coin (ac_name, or the datadir folder: GLEEC_OLD). */
  readonly name: string;
  readonly confPath: string;
  readonly netmagic: string;
  readonly p2p: number;
  readonly rpc: number;
  readonly seedipaddr: string;
  /** 1 when the chain has -ac_notarypay (komodod: ASSETCHAINS_NOTARY_PAY[0] != 0). */
  readonly notarypay: 0 | 1;
}

/** komodod writes this seed into every NAME_7776 file. */
export const KOMODOD_SEED_IPADDR = '78.47.196.146';

export function assetchainAddcoin(c: AssetchainAddcoin): AddcoinBody {
  return {
    ...confLocation(c.confPath),
    unitval: KMD_CONSTANTS.iguanaUnitval ?? '20',
    zcash: 1,
    RELAY: -1,
    VALIDATE: 0,
    prefetchlag: -1,
    poll: 100,
    active: 1,
    agent: 'iguana',
    method: 'addcoin',
    startpend: 4,
    endpend: 4,
    services: 129,
    maxpeers: 8,
    newcoin: c.name,
    name: c.name,
    ...komodoChainFields(c.netmagic, c.p2p, c.rpc),
    seedipaddr: c.seedipaddr,
    sapling: 1,
    notarypay: c.notarypay,
  };
}

export function kmdAddcoin(confPath: string, rpc: number = KMD_CONSTANTS.rpcPort): AddcoinBody {
  return {
    ...confLocation(confPath),
    unitval: KMD_CONSTANTS.iguanaUnitval ?? '20',
    zcash: 1,
    RELAY: -1,
    VALIDATE: 0,
    prefetchlag: -1,
    poll: 10,
    active: 1,
    agent: 'iguana',
    method: 'addcoin',
    startpend: 8,
    endpend: 8,
    services: 0,
    maxpeers: 32,
    newcoin: 'KMD',
    name: 'Komodo',
    ...komodoChainFields(netmagicHex(KMD_CONSTANTS.magic), KMD_CONSTANTS.p2pPort, rpc),
    sapling: 1,
  };
}

/** Litecoin or Bitcoin: Iguana knows their chain parameters itself; the body names the coin and its conf. */
export function destinationAddcoin(kind: 'ltc' | 'btc', confPath: string): AddcoinBody {
  const ltc = kind === 'ltc';
  return {
    ...confLocation(confPath),
    prefetchlag: -1,
    poll: 1,
    active: 1,
    agent: 'iguana',
    method: 'addcoin',
    newcoin: ltc ? LTC_CONSTANTS.ticker : BTC_CONSTANTS.ticker,
    startpend: 64,
    endpend: 64,
    services: ltc ? 0 : 129,
    maxpeers: 512,
    RELAY: -1,
    VALIDATE: 0,
    portp2p: ltc ? LTC_CONSTANTS.p2pPort : BTC_CONSTANTS.p2pPort,
    minconfirms: 1,
  };
}
