import type { NetworkPrefixes } from '@nn/chain-crypto';
import type { ChainRules } from '../chain/rules.js';

/** What a flavour decides about the chain: its name, network identity, ports and consensus rules. */
export interface ChainIdentity {
  readonly name: string;
  readonly product: string;
  readonly magic: number;
  readonly ports: { readonly p2p: number; readonly rpc: number };
  readonly prefixes: NetworkPrefixes;
  readonly rules: ChainRules;
  /** Seconds between blocks the chain targets (before -devblocktime). */
  readonly blockTime: number;
  /** getinfo's assetchain tail; empty for KMD, LTC and BTC. */
  readonly extras: Record<string, unknown>;
}
