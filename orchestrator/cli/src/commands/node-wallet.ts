import { NODE_WALLET_TARGETS_HELP, parseNodeWalletTarget } from '@nn/orchestrator-core';
import { type Command, Option } from 'commander';
import { CommandContext, reasonOf } from '../context.js';
import { CliError, type CliIo, EXIT } from '../io.js';

// `nnctl node wallet-reset|consolidate main|kmd|kmdcl|destination|ltc`: the chores of the node's own
// wallets, in `nnctl upgrade`'s target words. What the API refuses (409: no such chain, not synced) exits 1.

/** One node wallet chore: its command, its route, and how its finished result reads. */
interface Chore {
  readonly command: string;
  readonly description: string;
  readonly route: 'resetNodeWallet' | 'consolidateNodeWallet';
  readonly job: 'node.wallet-reset' | 'node.consolidate';
  done(result: Record<string, unknown>): string;
}

const CHORES: readonly Chore[] = [
  {
    command: 'wallet-reset',
    description:
      "reset the wallet.dat of the node's main chain (KMD, KMDCL) or destination chain (LTC): Iguana stopped, the whole balance to the notary address, the old wallet kept beside a fresh one, Iguana started again",
    route: 'resetNodeWallet',
    job: 'node.wallet-reset',
    done: (r) =>
      `${String(r.balanceBefore)} → ${String(r.balanceAfter)}, old wallet kept at ${String(r.walletBackup)}`,
  },
  {
    command: 'consolidate',
    description:
      "merge the outputs of the node's main (KMD, KMDCL) or destination (LTC) wallet into one to the notary address, Iguana's notary UTXOs left alone; nothing is stopped",
    route: 'consolidateNodeWallet',
    job: 'node.consolidate',
    done: (r) =>
      `${String(r.merged)} outputs merged in ${Array.isArray(r.transactions) ? r.transactions.length : 0} transactions, ${String(r.notaryUtxosKept)} notary UTXOs kept`,
  },
];

export function registerNodeWalletCommands(node: Command, io: CliIo): void {
  for (const chore of CHORES) registerChore(node, io, chore);
}

function registerChore(node: Command, io: CliIo, chore: Chore): void {
  node
    .command(chore.command)
    .description(chore.description)
    .argument('<target>', NODE_WALLET_TARGETS_HELP)
    .addOption(new Option('--no-wait', 'return once the job is queued (print its id)'))
    .action(async (word: string, opts: { wait: boolean }, cmd: Command) => {
      const ctx = CommandContext.of(io, cmd);
      const target = parseNodeWalletTarget(word);
      if (typeof target !== 'string') throw new CliError(`target: ${target.problem}`, EXIT.usage);
      const accepted = await ctx.client().call(chore.route, { body: { target } });
      if (!opts.wait) {
        ctx.print(accepted, () => `queued ${chore.job} of ${target} (job ${accepted.jobId})\n`);
        return;
      }
      const [job] = await ctx.waitFor([accepted.jobId]);
      if (job?.state !== 'completed')
        throw new CliError(`${chore.job} failed: ${job ? reasonOf(job) : 'no such job'}`, EXIT.failed);
      const result = (job.result ?? {}) as Record<string, unknown>;
      ctx.print(job, () => `✓ ${chore.job} ${job.id} completed: ${chore.done(result)}\n`);
    });
}
