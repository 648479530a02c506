import type { SeasonPlanView } from '@nn/orchestrator-api/routes';
import type { Command } from 'commander';
import { CommandContext } from '../context.js';
import { CliError, type CliIo, EXIT } from '../io.js';

// `nnctl season apply FILE`: a new season (elected file, seeds, ports, the chain list) from a network
// file, as one season.apply job. The file is checked here first (its own path and field in the
// message), then again by the orchestrator against the desired state.

/** The season's network file (a shipped name or a path), checked with the network schema. */
async function readSeason(nameOrPath: string): Promise<Record<string, unknown>> {
  const { loadNetwork, NetworkFileError } = await import('@nn/networks');
  try {
    return loadNetwork(nameOrPath).network as unknown as Record<string, unknown>;
  } catch (err) {
    if (err instanceof NetworkFileError) throw new CliError(err.message, EXIT.usage);
    throw err;
  }
}

/** The plan as an operator reads it: one line per change. */
export function renderPlan(plan: SeasonPlanView): string {
  const lines = [
    `season of ${plan.network} (assetchain image ${plan.chainImage}${plan.standIns ? ', stand-ins' : ''})`,
  ];
  for (const c of plan.remove) lines.push(`  - remove  ${c.id} (${c.acName})`);
  for (const c of plan.add) lines.push(`  + add     ${c.id} (${c.acName}, p2p ${c.p2p}, rpc ${c.rpc})`);
  for (const c of plan.upgrade) lines.push(`  ~ upgrade ${c.id}: ${c.from} -> ${c.to}`);
  for (const c of plan.iguana) lines.push(`  ~ iguana  ${c.field}: ${c.from} -> ${c.to}`);
  if (plan.keep.length > 0) lines.push(`  = keep    ${plan.keep.join(', ')}`);
  lines.push(
    plan.restartIguana
      ? '  then Iguana restarts once and every chain is registered again'
      : '  Iguana stays as it is',
  );
  const changes = plan.remove.length + plan.add.length + plan.upgrade.length + plan.iguana.length;
  if (changes === 0) lines.push('  (nothing changes)');
  return `${lines.join('\n')}\n`;
}

export function registerSeasonCommands(program: Command, io: CliIo): void {
  const season = program
    .command('season')
    .description('apply a new season (elected notaries, seeds, ports, chains)');

  season
    .command('apply')
    .description(
      "apply a season from a network file: chains added and removed, the others upgraded to its image, Iguana's elected file and seeds updated and Iguana restarted once",
    )
    .argument(
      '<file>',
      'the season as a network file (networks/<name>.json format), or a shipped network name',
    )
    .option('--dry-run', 'show the plan and change nothing', false)
    .option('--keep-data', 'keep the data volumes of the chains it removes', false)
    .option('--wait', 'wait for the season.apply job and show its steps', false)
    .action(
      async (file: string, opts: { dryRun: boolean; keepData: boolean; wait: boolean }, cmd: Command) => {
        const ctx = CommandContext.of(io, cmd);
        const network = await readSeason(file);
        const body = { network, ...(opts.keepData ? { keepData: true } : {}) };
        if (opts.dryRun) {
          const plan = await ctx.client().call('planSeason', { body });
          ctx.print(plan, () => renderPlan(plan));
          return;
        }
        const accepted = await ctx.client().call('applySeason', { body });
        if (!ctx.json) ctx.note(renderPlan(accepted.plan).trimEnd());
        if (!opts.wait) {
          ctx.print(accepted, () => `queued season.apply (job ${accepted.jobId})\n`);
          return;
        }
        const [job] = await ctx.waitFor([accepted.jobId]);
        ctx.print(job, () => `${job?.state === 'completed' ? '✓' : '✗'} season.apply ${job?.state}\n`);
        if (job?.state !== 'completed')
          throw new CliError(
            `season.apply failed: ${job?.error?.message ?? job?.state ?? 'unknown'}`,
            EXIT.failed,
          );
      },
    );
}
