import type { JobViewBody } from '@nn/orchestrator-api/schemas';
import type { Command } from 'commander';
import { CommandContext, reasonOf } from '../context.js';
import { CliError, type CliIo, EXIT } from '../io.js';

// `nnctl node drain|undrain`: the drain is refused by the API (409, exit 1) before any change when a chain
// would have nowhere to go; --wait follows the node.drain job and then every chain.move it queued.

interface DrainResultView {
  readonly moves?: ReadonlyArray<{ chainId?: unknown; jobId?: unknown; to?: unknown }>;
}

/** The chain.move job ids a finished node.drain reports (its result is the job's, read as it comes). */
function moveJobsOf(job: JobViewBody): Array<{ chainId: string; jobId: string }> {
  const moves = (job.result as DrainResultView | undefined)?.moves ?? [];
  return moves.flatMap((m) =>
    typeof m.chainId === 'string' && typeof m.jobId === 'string'
      ? [{ chainId: m.chainId, jobId: m.jobId }]
      : [],
  );
}

async function waitForDrain(ctx: CommandContext, drainJobId: string): Promise<void> {
  const [drain] = await ctx.waitFor([drainJobId]);
  if (drain?.state !== 'completed')
    throw new CliError(`node.drain failed: ${drain ? reasonOf(drain) : 'no such job'}`, EXIT.failed);
  const moves = moveJobsOf(drain);
  const jobs = moves.length ? await ctx.waitFor(moves.map((m) => m.jobId)) : [];
  ctx.print({ drain, moves: jobs }, () =>
    [
      `✓ node.drain ${drain.id} completed: ${moves.length} chain(s) moved\n`,
      ...jobs.map((j) =>
        j.state === 'completed'
          ? `✓ ${j.chainId ?? j.id} moved\n`
          : `✗ ${j.chainId ?? j.id} chain.move failed: ${reasonOf(j)}\n`,
      ),
    ].join(''),
  );
  const failed = jobs.filter((j) => j.state !== 'completed');
  if (failed.length > 0)
    throw new CliError(
      failed.map((j) => `${j.chainId ?? j.id} chain.move failed: ${reasonOf(j)}`).join('\n'),
      EXIT.failed,
      ctx.json ? null : undefined,
    );
}

export function registerDrainCommands(node: Command, io: CliIo): void {
  node
    .command('drain')
    .description(
      'empty a node: unschedulable, each chain moved to a node with room (stop-first, its data volume streamed there), registered with Iguana again',
    )
    .argument('<node>', 'node name (nnctl status lists the nodes)')
    .option(
      '--resync',
      'move chains on fresh volumes (a fresh sync, the notary key imported) instead of streaming their data',
    )
    .option('--wait', 'wait for the drain and every chain move, exit 1 if any failed')
    .action(async (name: string, opts: { resync?: boolean; wait?: boolean }, cmd: Command) => {
      const ctx = CommandContext.of(io, cmd);
      const accepted = await ctx
        .client()
        .call('drainNode', { params: { name }, body: opts.resync ? { resync: true } : {} });
      if (opts.wait) return waitForDrain(ctx, accepted.jobId);
      ctx.print(accepted, () =>
        [
          `queued node.drain of ${accepted.node} (${accepted.mode}, job ${accepted.jobId})\n`,
          ...accepted.moves.map((m) => `  ${m.chainId} → ${m.to}\n`),
        ].join(''),
      );
    });

  node
    .command('undrain')
    .description('make a drained or lost node schedulable again (its chains stay where they are)')
    .argument('<node>', 'node name')
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      const ctx = CommandContext.of(io, cmd);
      const reply = await ctx.client().call('undrainNode', { params: { name }, body: {} });
      ctx.print(
        reply,
        () => `node ${reply.node} is schedulable${reply.changed ? '' : ' (it was already)'}\n`,
      );
    });
}
