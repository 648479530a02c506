import type { JobViewBody } from '@nn/orchestrator-api/schemas';
import type { Command } from 'commander';
import { CommandContext, reasonOf } from '../context.js';
import { CliError, type CliIo, EXIT } from '../io.js';
import { table } from '../output/table.js';

const stepOf = (j: JobViewBody) =>
  j.progress ? `${j.progress.index}/${j.progress.total} ${j.progress.step}` : undefined;

export function registerJobCommands(program: Command, io: CliIo): void {
  program
    .command('jobs')
    .description('recent jobs, newest first')
    .option('--state <state>', 'only jobs in this state (waiting, active, completed, failed, delayed, ...)')
    .option('--chain <id>', 'only jobs of this chain')
    .option('--limit <n>', 'at most this many (1-200)', '50')
    .action(async (opts, cmd: Command) => {
      const ctx = CommandContext.of(io, cmd);
      const reply = await ctx.client().call('listJobs', {
        query: { state: opts.state, chain: opts.chain, limit: opts.limit },
      });
      ctx.print(reply, () =>
        reply.jobs.length === 0
          ? 'no jobs\n'
          : table(
              ['ID', 'JOB', 'CHAIN', 'STATE', 'STEP', 'CREATED', 'ERROR'],
              reply.jobs.map((j) => [
                j.id,
                j.name,
                j.chainId ?? undefined,
                j.state,
                stepOf(j),
                j.createdAt,
                j.error?.message.slice(0, 80),
              ]),
            ),
      );
    });

  program
    .command('job')
    .description('one job: state, step, progress, error')
    .argument('<id>', 'job id (nnctl jobs)')
    .option('--wait', 'follow the job until it ends (exit 1 if it fails)', false)
    .action(async (id: string, opts, cmd: Command) => {
      const ctx = CommandContext.of(io, cmd);
      const job = opts.wait
        ? ((await ctx.waitFor([id]))[0] as JobViewBody)
        : await ctx.client().call('getJob', { params: { id } });
      ctx.print(job, () =>
        table(
          ['FIELD', 'VALUE'],
          [
            ['id', job.id],
            ['job', job.name],
            ['chain', job.chainId ?? undefined],
            ['state', job.state],
            ['step', stepOf(job)],
            ['message', job.progress?.message],
            ['attempts', `${job.attemptsMade}/${job.attempts}`],
            ['created', job.createdAt],
            ['finished', job.finishedAt ?? undefined],
            ['error', job.error?.message],
          ],
        ),
      );
      if (opts.wait && job.state !== 'completed')
        throw new CliError(
          `${job.chainId ?? job.id} ${job.name} failed: ${reasonOf(job)}`,
          EXIT.failed,
          null,
        );
    });
}
