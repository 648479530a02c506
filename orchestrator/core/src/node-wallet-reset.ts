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

export const nodeWalletTargetSchema = z.enum(NODE_WALLET_TARGETS, {
  error: `must be ${NODE_WALLET_TARGETS_HELP.replace(/ \([^)]*\)/g, '')}`,
});
