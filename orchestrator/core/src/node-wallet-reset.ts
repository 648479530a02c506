import { z } from 'zod';

// What a wallet reset of the node's own units may name, in the grammar of `nnctl upgrade`'s targets:
//   main          the main chain's daemon (KMD, or KMDCL on Komodo Classic)   aliases: kmd, kmdcl
//   destination   the dPoW destination chain's daemon (LTC)                   aliases: ltc
// An assetchain's wallet is reset with `nnctl chain wallet-reset ID` (chain.wallet-reset).

export const NODE_WALLET_TARGETS = ['main', 'destination'] as const;
export type NodeWalletTarget = (typeof NODE_WALLET_TARGETS)[number];

const ALIASES: Readonly<Record<string, NodeWalletTarget>> = {
  main: 'main',
  kmd: 'main',
  kmdcl: 'main',
  destination: 'destination',
  ltc: 'destination',
};

export const NODE_WALLET_TARGETS_HELP = 'main (kmd, kmdcl) or destination (ltc)';

/** The target a word names (case-insensitive), or a reason it names none. */
export function parseNodeWalletTarget(word: string): NodeWalletTarget | { readonly problem: string } {
  return ALIASES[word.toLowerCase()] ?? { problem: `not a node wallet: use ${NODE_WALLET_TARGETS_HELP}` };
}

/**
 * The targets whose reset is built. litecoind 0.21 keeps its wallet in wallets/ (or the datadir),
 * rescans from a timestamp, not a height, and signs with signrawtransactionwithwallet: not built yet.
 */
export const BUILT_NODE_WALLET_TARGETS: ReadonlySet<NodeWalletTarget> = new Set(['main']);

export const nodeWalletTargetSchema = z.enum(NODE_WALLET_TARGETS, {
  error: `must be ${NODE_WALLET_TARGETS_HELP.replace(/ \([^)]*\)/g, '')}`,
});
