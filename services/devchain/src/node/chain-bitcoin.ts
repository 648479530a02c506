import { BTC_PREFIXES, LTC_PREFIXES } from '@nn/chain-crypto';
import { BTC_CONSTANTS, LTC_CONSTANTS, type ParsedKomodoArgs } from '@nn/komodo-params';
import { halvingSubsidy } from '../chain/rules.js';
import type { ChainIdentity } from './chain-identity.js';
import { type ConfValues, confInt } from './conf-file.js';

/** litecoind's or bitcoind's chain: fixed constants, ports from the flags, the conf, then the defaults. */
export function bitcoinChain(
  coin: 'LTC' | 'BTC',
  o: ParsedKomodoArgs['options'],
  conf: ConfValues,
): ChainIdentity {
  const c = coin === 'LTC' ? LTC_CONSTANTS : BTC_CONSTANTS;
  const interval = coin === 'LTC' ? 840_000 : 210_000;
  return {
    name: coin,
    product: coin === 'LTC' ? 'Litecoin' : 'Bitcoin',
    prefixes: coin === 'LTC' ? LTC_PREFIXES : BTC_PREFIXES,
    magic: c.magic,
    ports: {
      p2p: o.port ?? confInt(conf, 'port') ?? c.p2pPort,
      rpc: o.rpcport ?? confInt(conf, 'rpcport') ?? c.rpcPort,
    },
    rules: {
      format: 'bitcoin',
      coinbaseMaturity: c.coinbaseMaturity,
      subsidy: (h) => halvingSubsidy(h, interval),
      genesisTime: 1_317_972_665,
      genesisTag: coin,
    },
    blockTime: coin === 'LTC' ? 150 : 600,
    extras: {},
  };
}
