import {
  assetMagic,
  BTC_CONSTANTS,
  chainIdentity,
  entryToArgs,
  KMD_CONSTANTS,
  LTC_CONSTANTS,
  netmagicHex,
  p2pPort,
  parseKomodoArgs,
  rpcPort,
} from '@nn/komodo-params';
import type { CoinConfig } from '../config.js';
import {
  type AddcoinBody,
  assetchainAddcoin,
  destinationAddcoin,
  KOMODOD_SEED_IPADDR,
  kmdAddcoin,
} from './addcoin.js';

/** What a coin is to dPoW: KMD and assetchains are notarised (sources); LTC/BTC only receive. */
export type CoinRole = 'source' | 'destination';

/** A coin with everything derived: Iguana's name, ports, where its conf goes, its addcoin body. */
export interface ResolvedCoin {
  readonly name: string;
  readonly kind: CoinConfig['kind'];
  readonly role: CoinRole;
  /** Whether the sidecar sends `dpow` for it. */
  readonly dpow: boolean;
  readonly freq: number | undefined;
  readonly confPath: string;
  /** The loopback bridge's port: the RPC port Iguana expects for this coin. */
  readonly rpcPort: number;
  readonly p2pPort: number;
  readonly upstream: string;
  readonly tokenFile: string;
  readonly addcoin: AddcoinBody;
  /** The coin as configured (kept for the state file). */
  readonly config: CoinConfig;
}

export class CoinConfigError extends Error {
  constructor(
    /** The field at fault, e.g. `coins.2.name`. */
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'CoinConfigError';
  }
}

const HOME_VAR = ['$', '{HOME}'].join('');

/** Derives a coin's name, ports, conf path and addcoin body; `field` prefixes error paths. */
export function resolveCoin(coin: CoinConfig, home: string, field = 'coin'): ResolvedCoin {
  const base = { upstream: coin.upstream, tokenFile: coin.tokenFile, config: coin };
  const named = (expected: string): string => {
    if (coin.name !== undefined && coin.name !== expected) {
      throw new CoinConfigError(
        `${field}.name`,
        `must be ${expected}, the name Iguana knows this ${coin.kind} coin by`,
      );
    }
    return expected;
  };
  switch (coin.kind) {
    case 'kmd': {
      const confPath = coin.confPath ?? `${home}/.komodo/komodo.conf`;
      const rpc = coin.rpcPort ?? KMD_CONSTANTS.rpcPort;
      return {
        ...base,
        name: named('KMD'),
        kind: 'kmd',
        role: 'source',
        dpow: coin.dpow,
        freq: undefined,
        confPath,
        rpcPort: rpc,
        p2pPort: KMD_CONSTANTS.p2pPort,
        addcoin: kmdAddcoin(confPath, rpc),
      };
    }
    case 'ltc':
    case 'btc': {
      const k = coin.kind === 'ltc' ? LTC_CONSTANTS : BTC_CONSTANTS;
      const dir = coin.kind === 'ltc' ? '.litecoin/litecoin.conf' : '.bitcoin/bitcoin.conf';
      const confPath = coin.confPath ?? `${home}/${dir}`;
      return {
        ...base,
        name: named(k.ticker),
        kind: coin.kind,
        role: 'destination',
        dpow: false,
        freq: undefined,
        confPath,
        rpcPort: coin.rpcPort ?? k.rpcPort,
        p2pPort: k.p2pPort,
        addcoin: destinationAddcoin(coin.kind, confPath),
      };
    }
    case 'assetchain': {
      const entry = coin.assetchain;
      const id = chainIdentity(entry);
      const params = parseKomodoArgs(entryToArgs(entry, { home })).chain;
      const datadir = id.datadir.replaceAll(HOME_VAR, home);
      if (!datadir.startsWith('/')) {
        throw new CoinConfigError(
          `${field}.assetchain.datadir`,
          `must be absolute or start with ${HOME_VAR}`,
        );
      }
      const confPath = coin.confPath ?? `${datadir}/${entry.ac_name}.conf`;
      const p2p = p2pPort(params);
      const rpc = coin.rpcPort ?? rpcPort(params);
      const name = named(id.iguanaName);
      const notarypay = params.notarypay !== undefined && (params.notarypay[0] ?? 0n) !== 0n ? 1 : 0;
      return {
        ...base,
        name,
        kind: 'assetchain',
        role: 'source',
        dpow: coin.dpow,
        freq: coin.freq,
        confPath,
        rpcPort: rpc,
        p2pPort: p2p,
        addcoin: assetchainAddcoin({
          name,
          confPath,
          netmagic: netmagicHex(assetMagic(params)),
          p2p,
          rpc,
          seedipaddr: coin.seedipaddr ?? KOMODOD_SEED_IPADDR,
          notarypay,
        }),
      };
    }
  }
}

/**
 * Resolves every configured coin and checks the rules across them: one KMD, at most one destination
 * (and one when KMD is dPoW'd: "cant dPoW KMD without LTC"), unique names, bridge ports and conf paths.
 */
export function resolveCoins(coins: readonly CoinConfig[], home: string): ResolvedCoin[] {
  const out = coins.map((c, i) => resolveCoin(c, home, `coins.${i}`));
  const kmd = out.filter((c) => c.kind === 'kmd');
  if (kmd.length !== 1)
    throw new CoinConfigError('coins', `exactly one coin of kind 'kmd' is needed (found ${kmd.length})`);
  const dest = out.filter((c) => c.role === 'destination');
  if (dest.length > 1)
    throw new CoinConfigError('coins', `at most one destination coin (ltc or btc) (found ${dest.length})`);
  if (kmd[0]?.dpow && dest.length === 0) {
    throw new CoinConfigError(
      'coins',
      "dPoW of KMD needs its destination: add the 'ltc' coin or set dpow false on KMD",
    );
  }
  checkUnique(out, (c) => c.name, 'name');
  checkUnique(out, (c) => String(c.rpcPort), 'rpcPort');
  checkUnique(out, (c) => c.confPath, 'confPath');
  return out;
}

/** Throws naming the later coin when two coins share a value; also used for coins added at runtime. */
export function checkUnique(
  coins: readonly ResolvedCoin[],
  key: (c: ResolvedCoin) => string,
  what: string,
): void {
  const seen = new Map<string, number>();
  coins.forEach((c, i) => {
    const k = key(c);
    const first = seen.get(k);
    if (first !== undefined)
      throw new CoinConfigError(`coins.${i}.${what}`, `${k} is already used by coins.${first}`);
    seen.set(k, i);
  });
}
