import { KOMODO_VERSIONS } from './checkpoint-era.js';
import type { DevchainConfig } from './config.js';

/**
 * Version numbers devchain reports. They are those of the daemons it stands in for (komodod 0.8.x of
 * Season 8 by default, komodod 0.9.2 with -devversion, kmdclassicd v1.0.0-beta25, Litecoin Core
 * 0.21.4), so clients that branch on them behave as with the real daemons; `subversion` names devchain
 * so nobody mistakes it for the real thing.
 */
export const KOMODO_CLIENT_VERSION = 80_200;
export const KOMODO_PROTOCOL_VERSION = 170_010;
export const KOMODO_VERSION_STRING = '0.8.2';
export const KOMODO_WALLET_VERSION = 60_000;
export const BITCOIN_CLIENT_VERSION = 210_400;
export const BITCOIN_PROTOCOL_VERSION = 70_015;
export const BITCOIN_WALLET_VERSION = 169_900;

/** komodod v0.9.2 (version.h) and kmdclassicd v1.0.0-beta25 (version.h, configure.ac, rpc/misc.cpp). */
const KOMODO_092_PROTOCOL_VERSION = 170_014;
const KMDCLASSIC = { client: 1_000_024, protocol: 170_013, kmdVersion: '0.9.1', clientName: 'IronRoot' };

export interface KomodoVersionInfo {
  /** getinfo `version` (CLIENT_VERSION). */
  readonly client: number;
  readonly protocol: number;
  /** getinfo `KMDversion` (KOMODO_VERSION in rpc/misc.cpp). */
  readonly kmdVersion: string;
  readonly subversion: string;
}

/** What a komodod-family devchain reports about its version. */
export function komodoVersionInfo(cfg: Pick<DevchainConfig, 'daemon' | 'komodoVersion'>): KomodoVersionInfo {
  if (cfg.daemon === 'kmdclassicd')
    return {
      client: KMDCLASSIC.client,
      protocol: KMDCLASSIC.protocol,
      kmdVersion: KMDCLASSIC.kmdVersion,
      subversion: `/${KMDCLASSIC.clientName}:1.0.0-beta24(devchain)/`,
    };
  const v = cfg.komodoVersion ?? '0.8.2';
  if (v === '0.8.2')
    return {
      client: KOMODO_CLIENT_VERSION,
      protocol: KOMODO_PROTOCOL_VERSION,
      kmdVersion: KOMODO_VERSION_STRING,
      subversion: subversion('komodo'),
    };
  return {
    client: KOMODO_VERSIONS[v].clientVersion,
    protocol: KOMODO_092_PROTOCOL_VERSION,
    kmdVersion: v,
    subversion: `/MagicBean:${v}(devchain)/`,
  };
}

export function subversion(flavour: 'komodo' | 'bitcoin'): string {
  return flavour === 'komodo' ? '/MagicBean:0.8.2(devchain)/' : '/LitecoinCore:0.21.4(devchain)/';
}
