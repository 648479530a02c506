import { canonicalTargetKey, NODE_UPGRADE_TARGETS_HELP, parseUpgradeTarget } from '@nn/orchestrator-core';
import { type Command, Option } from 'commander';
import { CommandContext, reasonOf } from '../context.js';
import { CliError, type CliIo, EXIT } from '../io.js';

// nnctl upgrade: the whole node moved to new daemon images as one node.upgrade job, in the order of
// the dPoW update notes. Images come from --image TARGET=IMAGE (repeatable) and/or a network file's
// images (--network); an --image wins over the file for its target.

const collect = (value: string, previous: string[]) => [...previous, value];

/** --image values as the API's images, aliases resolved; a bad or repeated target is a usage error. */
export function imagesFromFlags(values: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const value of values) {
    const eq = value.indexOf('=');
    if (eq <= 0 || eq === value.length - 1)
      throw new CliError(`--image ${value}: must be TARGET=IMAGE (${NODE_UPGRADE_TARGETS_HELP})`, EXIT.usage);
    const target = parseUpgradeTarget(value.slice(0, eq));
    if ('problem' in target) throw new CliError(`--image ${value}: ${target.problem}`, EXIT.usage);
    const key = canonicalTargetKey(target);
    if (out[key] !== undefined) throw new CliError(`--image ${value}: ${key} is given twice`, EXIT.usage);
    out[key] = value.slice(eq + 1);
  }
  return out;
}

/**
 * The images a network file names for the node's daemons and its assetchains (its stand-ins with
 * --stand-ins). Loaded only here: plain API commands must not pull in node-units (lazy-load.test.ts).
 */
export async function imagesFromNetwork(
  file: string,
  standIns: boolean,
  cwd?: string,
): Promise<Record<string, string>> {
  const { loadNetwork, NetworkFileError } = await import('@nn/networks');
  const { profileOf } = await import('@nn/node-units');
  let profile: ReturnType<typeof profileOf>;
  try {
    profile = profileOf(loadNetwork(file, cwd === undefined ? {} : { cwd }), { standIns });
  } catch (err) {
    if (err instanceof NetworkFileError) throw new CliError(err.message, EXIT.usage);
    throw err;
  }
  const { images } = profile;
  return {
    ...(images.ltcDaemon ? { destination: images.ltcDaemon } : {}),
    main: images.kmdDaemon,
    ...(images.iguanaDaemon ? { iguana: images.iguanaDaemon } : {}),
    assetchains: profile.chainImage,
  };
}

export function registerUpgradeCommand(program: Command, io: CliIo): void {
  program
    .command('upgrade')
    .description(
      'upgrade the whole node: Iguana stopped, each daemon in turn (stop first, health-gated, rolled back on failure), Iguana last, the chains registered again',
    )
    .option(
      '--image <target=image>',
      `a daemon's new image; targets: ${NODE_UPGRADE_TARGETS_HELP} (repeatable)`,
      collect,
      [],
    )
    .option('--network <name|file>', "the images of a network file (its daemons' and its assetchains')")
    .option('--stand-ins', "with --network: the file's stand-in images", false)
    .option('--dry-run', 'print the plan and change nothing', false)
    .addOption(new Option('--wait', 'wait for the job (the default)'))
    .addOption(new Option('--no-wait', 'return once the job is queued (print its id)'))
    .action(async (opts, cmd: Command) => {
      const ctx = CommandContext.of(io, cmd);
      const images = {
        ...(opts.network === undefined ? {} : await imagesFromNetwork(opts.network, opts.standIns === true)),
        ...imagesFromFlags(opts.image),
      };
      if (opts.network === undefined && opts.standIns === true)
        throw new CliError('--stand-ins goes with --network', EXIT.usage);
      if (Object.keys(images).length === 0)
        throw new CliError('give at least one --image TARGET=IMAGE, or --network FILE', EXIT.usage);
      const client = ctx.client();
      if (opts.dryRun === true) {
        const plan = await client.call('planNodeUpgrade', { body: { images } });
        ctx.print(
          plan,
          () => `${plan.steps.map((s, i) => `${i + 1}. ${s}\n`).join('')}(dry run: nothing changed)\n`,
        );
        return;
      }
      const accepted = await client.call('upgradeNode', { body: { images } });
      if (!ctx.json) ctx.note(accepted.steps.map((s, i) => `${i + 1}. ${s}`).join('\n'));
      if (opts.wait === false) {
        ctx.print(accepted, () => `queued node.upgrade (job ${accepted.jobId})\n`);
        return;
      }
      const [job] = await ctx.waitFor([accepted.jobId]);
      if (!job) throw new CliError(`job ${accepted.jobId} is gone`, EXIT.failed);
      ctx.print(job, () => (job.state === 'completed' ? `✓ node.upgrade completed (job ${job.id})\n` : ''));
      if (job.state !== 'completed')
        throw new CliError(`node.upgrade failed: ${reasonOf(job)}`, EXIT.failed, ctx.json ? null : undefined);
    });
}
