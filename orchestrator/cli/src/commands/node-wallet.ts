import { NODE_WALLET_TARGETS_HELP, parseNodeWalletTarget } from '@nn/orchestrator-core';
import { type Command, Option } from 'commander';
import { CommandContext, reasonOf } from '../context.js';
import { CliError, type CliIo, EXIT } from '../io.js';

// `nnctl node wallet-reset|consolidate main|kmd|kmdcl|destination|ltc`: the chores of the node's own
// wallets, in `nnctl upgrade`'s target words. What the API refuses (409: no such chain, not synced) exits 1.

interface ResetResultView {
  readonly walletBackup?: unknown;
  readonly balanceBefore?: unknown;
  readonly balanceAfter?: unknown;
}

export function registerNodeWalletCommands(node: Command, io: CliIo): void {
  node
    .command('wallet-reset')
    .description(
      "reset the wallet.dat of the node's main chain (KMD, KMDCL) or destination chain (LTC): Iguana stopped, the whole balance to the notary address, the old wallet kept beside a fresh one, Iguana started again",
    )
    .argument('<target>', NODE_WALLET_TARGETS_HELP)
    .addOption(new Option('--no-wait', 'return once the job is queued (print its id)'))
    .action(async (word: string, opts: { wait: boolean }, cmd: Command) => {
      const ctx = CommandContext.of(io, cmd);
      const target = parseNodeWalletTarget(word);
      if (typeof target !== 'string') throw new CliError(`target: ${target.problem}`, EXIT.usage);
      const accepted = await ctx.client().call('resetNodeWallet', { body: { target } });
      if (!opts.wait) {
        ctx.print(accepted, () => `queued node.wallet-reset of ${target} (job ${accepted.jobId})\n`);
        return;
      }
      const [job] = await ctx.waitFor([accepted.jobId]);
      if (job?.state !== 'completed')
        throw new CliError(`node.wallet-reset failed: ${job ? reasonOf(job) : 'no such job'}`, EXIT.failed);
      const r = (job.result ?? {}) as ResetResultView;
      ctx.print(
        job,
        () =>
          `✓ node.wallet-reset ${job.id} completed: ${String(r.balanceBefore)} → ${String(r.balanceAfter)}, old wallet kept at ${String(r.walletBackup)}\n`,
      );
    });
  node
    .command('consolidate')
    .description(
      "merge the outputs of the node's main (KMD, KMDCL) or destination (LTC) wallet into one to the notary address, Iguana's notary UTXOs left alone; nothing is stopped",
    )
    .argument('<target>', NODE_WALLET_TARGETS_HELP)
    .addOption(new Option('--no-wait', 'return once the job is queued (print its id)'))
    .action(async (word: string, opts: { wait: boolean }, cmd: Command) => {
      const ctx = CommandContext.of(io, cmd);
      const target = parseNodeWalletTarget(word);
      if (typeof target !== 'string') throw new CliError(`target: ${target.problem}`, EXIT.usage);
      const accepted = await ctx.client().call('consolidateNodeWallet', { body: { target } });
      if (!opts.wait) {
        ctx.print(accepted, () => `queued node.consolidate of ${target} (job ${accepted.jobId})\n`);
        return;
      }
      const [job] = await ctx.waitFor([accepted.jobId]);
      if (job?.state !== 'completed')
        throw new CliError(`node.consolidate failed: ${job ? reasonOf(job) : 'no such job'}`, EXIT.failed);
      const r = (job.result ?? {}) as {
        merged?: unknown;
        transactions?: unknown[];
        notaryUtxosKept?: unknown;
      };
      ctx.print(
        job,
        () =>
          `✓ node.consolidate ${job.id} completed: ${String(r.merged)} outputs merged in ${r.transactions?.length ?? 0} transactions, ${String(r.notaryUtxosKept)} notary UTXOs kept\n`,
      );
    });
}
