import {
  BTC_PREFIXES,
  decodeWif,
  encodeWif,
  fromHex,
  KMD_PREFIXES,
  LTC_PREFIXES,
  type NetworkPrefixes,
  p2pkhAddress,
} from '@nn/chain-crypto';
import { BTC_CONSTANTS, coinbaseMaturity, LTC_CONSTANTS, parseKomodoArgs } from '@nn/komodo-params';
import { type NodeSecrets, type NodeUnitsDesired, unitNames } from '@nn/node-units';
import { type NodeWalletTarget, PermanentError } from '@nn/orchestrator-core';
import type { ResetFacts } from '../../wallet/reset-plan.js';
import type { WalletFlavour, WalletInfo } from '../../wallet/wallet-rpc.js';

// What differs between the node's two wallets a node.wallet-reset may reset: the main chain (komodod
// or kmdclassicd: KMD's prefixes and maturity, wallet.dat in its datadir) and the destination chain
// (litecoind 0.21: its own prefixes, WIF and maturity, and Bitcoin Core's wallet directory rules).

export interface ResetTarget {
  readonly target: NodeWalletTarget;
  /** The role of the unit in the node units' desired state, and its name. */
  readonly role: 'main' | 'destination';
  readonly unit: string;
  readonly flavour: WalletFlavour;
  /** The coin Iguana knows the chain by (its splitfunds coin): KMD also on KMDCL, LTC. */
  readonly coin: string;
  /** The notary's P2PKH address on this chain (its own prefixes). */
  readonly address: string;
  readonly tokens: { readonly operator: string; readonly viewer: string };
  /** The notary key as this daemon's WIF (its version byte: importprivkey refuses another's). */
  readonly wif: string;
  facts(info: WalletInfo): ResetFacts;
}

/** The target's unit, keys and facts from the recorded node units; PermanentError if the node has none. */
export function resetTargetOf(
  desired: NodeUnitsDesired,
  secrets: NodeSecrets,
  target: NodeWalletTarget,
): ResetTarget {
  const names = unitNames(desired.layout.prefix);
  const d = target === 'main' ? desired.layout.daemons.main : desired.layout.daemons.destination;
  if (!d) throw new PermanentError(`this node runs no ${target} chain: nothing to reset`);
  const prefixes = prefixesOf(d.coin, d.flavour);
  const address = p2pkhAddress(fromHex(secrets.pubkey), prefixes);
  const maturity = maturityOf(d.coin, d.flavour);
  const consolidate = `nnctl node consolidate ${target}`;
  const tokens = target === 'main' ? secrets.kmd : secrets.ltc;
  return {
    target,
    role: target,
    unit: target === 'main' ? names.kmd : names.ltc,
    flavour: d.flavour,
    coin: d.coin,
    address,
    tokens: { operator: tokens.operator, viewer: tokens.viewer },
    wif: encodeWif(decodeWif(secrets.wif).privateKey, prefixes.wif, true),
    facts: (info) => {
      const paths = walletPaths(d.datadir, d.flavour, info.walletName);
      return { address, maturity, consolidate, wallet: paths[0] as string, alsoAt: paths.slice(1) };
    },
  };
}

/**
 * Where the loaded wallet's file is, relative to the volume's root, most likely first. komodod: wallet.dat
 * in the datadir. Bitcoin Core 0.21 (no -walletdir in the units): the wallet dir is `<datadir>/wallets`
 * where that directory exists, else the datadir; the unnamed wallet is `wallet.dat` there, a named one
 * `<name>/wallet.dat`.
 */
export function walletPaths(datadir: string, flavour: WalletFlavour, walletName: string | null): string[] {
  if (flavour === 'komodo') return [`${datadir}/wallet.dat`];
  const name = walletName ?? '';
  if (name.includes('/') || name === '.' || name === '..')
    throw new PermanentError(
      `the loaded wallet is named by a path (${JSON.stringify(name)}): reset it by hand, nothing changed`,
    );
  const file = name === '' ? 'wallet.dat' : `${name}/wallet.dat`;
  return [`${datadir}/wallets/${file}`, `${datadir}/${file}`];
}

function prefixesOf(coin: string, flavour: WalletFlavour): Readonly<NetworkPrefixes> {
  if (flavour === 'komodo') return KMD_PREFIXES;
  if (coin === 'LTC') return LTC_PREFIXES;
  if (coin === 'BTC') return BTC_PREFIXES;
  throw new PermanentError(`no address prefixes are known for ${coin}: its wallet reset is not built`);
}

function maturityOf(coin: string, flavour: WalletFlavour): number {
  // komodod without -ac_name: KMD's maturity (KMDCL's too).
  if (flavour === 'komodo') return coinbaseMaturity(parseKomodoArgs([]).chain);
  return (coin === 'BTC' ? BTC_CONSTANTS : LTC_CONSTANTS).coinbaseMaturity;
}
