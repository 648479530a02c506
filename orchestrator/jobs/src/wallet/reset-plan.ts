import { fromHex, KMD_PREFIXES, p2pkhAddress } from '@nn/chain-crypto';
import { coinbaseMaturity, entryToArgs, parseKomodoArgs } from '@nn/komodo-params';
import { type ChainSpec, PermanentError } from '@nn/orchestrator-core';
import type { ChainJobContext } from '../context.js';
import { inVolume } from '../unit/unit-files.js';
import { unitPaths } from '../unit/unit-paths.js';
import { MAX_INPUTS_PER_TX } from './self-send.js';
import type { WalletInfo, WalletRpc } from './wallet-rpc.js';

/** What a wallet reset learns before it changes anything, kept in the job's notes for every re-run. */
export interface ResetPlan {
  /** satoshis: spendable, and immature (coinbase not yet spendable) when the job began */
  readonly balance: number;
  readonly immature: number;
  /**
   * Where the new wallet's rescan of the notary key starts: the chain's coinbase maturity below the
   * height the job began at. Every output older than that was spendable, so the self-send took it; only
   * the self-send itself and younger coinbases (the notary mines) are above it.
   */
  readonly rescanFrom: number;
  readonly walletBytes: number | null;
  readonly address: string;
  /** wallet.dat and where it is set aside, relative to the data volume's root. */
  readonly wallet: string;
  readonly backup: string;
  /** Where else the wallet may be, tried in order when `wallet` is not there (each kept as `<path><suffix of backup>`). */
  readonly alsoAt?: readonly string[];
  /** Bitcoin Core's name of the loaded wallet, created again under it; null on komodod. */
  readonly walletName?: string | null;
}

/** The notary address of an assetchain (komodod's prefixes, which every assetchain shares). */
export function notaryAddress(pubkeyHex: string): string {
  return p2pkhAddress(fromHex(pubkeyHex), KMD_PREFIXES);
}

/** The chain's coinbase maturity, read the way komodod reads its command line. */
function maturityOf(spec: ChainSpec): number {
  return coinbaseMaturity(parseKomodoArgs(entryToArgs(spec.entry, { home: '/data' })).chain);
}

/** A sortable UTC stamp for the kept wallet's name: 20261204T190812Z. */
const stamp = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');

/** What the preflight needs of the unit being reset beyond its daemon's answers. */
export interface ResetFacts {
  /** The notary address the whole balance goes to. */
  readonly address: string;
  /** wallet.dat relative to the data volume's root. */
  readonly wallet: string;
  /** Other places the loaded wallet may be, in the order the daemon would have picked them. */
  readonly alsoAt?: readonly string[];
  /** The daemon's coinbase maturity: the rescan starts this far below the height the job began at. */
  readonly maturity: number;
  /** The command that brings a wallet's outputs under one transaction's inputs. */
  readonly consolidate: string;
}

/** An assetchain's facts: its datadir in its volume, its maturity from its command line. */
export function chainResetFacts(ctx: ChainJobContext, spec: ChainSpec, pubkey: string): ResetFacts {
  const { home } = ctx.deps.config;
  return {
    address: notaryAddress(pubkey),
    wallet: `${inVolume(unitPaths(spec, home, ctx.deps.config.kmd).datadir, home)}/wallet.dat`,
    maturity: maturityOf(spec),
    consolidate: `nnctl chain consolidate ${spec.id}`,
  };
}

/**
 * preflight: refuses, before any change, a reset that could not end whole — a daemon that is not
 * synced (its balance is not the chain's), an unconfirmed balance (it would be left behind), more
 * spendable outputs than one transaction can carry (consolidate first) — and records the plan.
 */
export async function planReset(
  rpc: WalletRpc,
  status: { synced: boolean; blocks: number | null; headers: number | null; walletBytes: number | null },
  factsOf: (info: WalletInfo) => ResetFacts,
): Promise<ResetPlan> {
  if (!status.synced || status.blocks === null)
    throw new PermanentError(
      `the daemon is not synced (blocks ${status.blocks ?? '?'} of ${status.headers ?? '?'}): a wallet reset needs a synced daemon`,
    );
  const info = await rpc.info();
  const facts = factsOf(info);
  if (info.unconfirmed > 0)
    throw new PermanentError(
      `the wallet has ${info.unconfirmed / 1e8} unconfirmed: wait until it confirms, then reset`,
    );
  const outputs = (await rpc.unspent(1)).length;
  if (outputs > MAX_INPUTS_PER_TX)
    throw new PermanentError(
      `the wallet has ${outputs} spendable outputs, more than one transaction carries (${MAX_INPUTS_PER_TX}): run ${facts.consolidate} first`,
    );
  return {
    balance: info.balance,
    immature: info.immature,
    rescanFrom: Math.max(0, status.blocks - facts.maturity),
    walletBytes: status.walletBytes,
    address: facts.address,
    wallet: facts.wallet,
    backup: `${facts.wallet}.${stamp(new Date())}.bak`,
    ...(facts.alsoAt?.length ? { alsoAt: facts.alsoAt } : {}),
    walletName: info.walletName,
  };
}
