import { readFileSync } from 'node:fs';
import { parseSince, SINCE_FORMAT } from '@nn/orchestrator-api/routes';
import { type Command, Option } from 'commander';
import { CommandContext } from '../context.js';
import { entryFromParams } from '../entry-params.js';
import { CliError, type CliIo, EXIT } from '../io.js';
import { table } from '../output/table.js';

const collect = (value: string, previous: string[]) => [...previous, value];

function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new CliError(
      `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
      EXIT.usage,
    );
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new CliError(`${path} is not JSON: ${(err as Error).message}`, EXIT.usage);
  }
}

/** The entry of `chain add`: from --file (one assetchains.json entry) or from NAME and --param. */
function entryOf(name: string | undefined, opts: { file?: string; param: string[] }): unknown {
  if (opts.file === undefined) return entryFromParams(name, opts.param);
  if (opts.param.length > 0) throw new CliError('give either --file or --param, not both', EXIT.usage);
  const entry = readJsonFile(opts.file);
  if (Array.isArray(entry))
    throw new CliError(`${opts.file} holds a list: use nnctl chain import ${opts.file}`, EXIT.usage);
  if (typeof entry !== 'object' || entry === null)
    throw new CliError(`${opts.file} must hold one assetchains.json entry (an object)`, EXIT.usage);
  const acName = (entry as Record<string, unknown>).ac_name;
  if (name !== undefined && acName !== name)
    throw new CliError(`${opts.file} is the entry of ${String(acName)}, not ${name}`, EXIT.usage);
  return entry;
}

const waitOption = () => new Option('--no-wait', 'return once the job is queued (print its id)');

export function registerChainCommands(program: Command, io: CliIo): void {
  const chain = program
    .command('chain')
    .description('add, import, list, remove, restart and upgrade assetchains, and their wallet chores');

  chain
    .command('add')
    .description('add one assetchain (assetchains.json entry) and wait until it is ready')
    .argument('[name]', 'ac_name of the chain')
    .option(
      '--param <key=value>',
      'an assetchains.json key (repeatable; addnode adds to the list)',
      collect,
      [],
    )
    .option('--file <entry.json>', 'one assetchains.json entry as a JSON file')
    .option('--node <node>', 'the node to place it on (default: placement chooses)')
    .option('--image <image>', 'the daemon image (default: the profile image)')
    .addOption(waitOption())
    .action(async (name: string | undefined, opts, cmd: Command) => {
      const ctx = CommandContext.of(io, cmd);
      const entry = entryOf(name, opts);
      const accepted = await ctx.client().call('addChain', {
        body: {
          entry,
          ...(opts.node === undefined ? {} : { node: opts.node }),
          ...(opts.image === undefined ? {} : { image: opts.image }),
        },
      });
      await ctx.finish([accepted], opts.wait, true);
    });

  chain
    .command('import')
    .description('add every chain of an assetchains.json file (all or nothing) and wait for them')
    .argument('<file>', "an assetchains.json file (dPoW's format)")
    .option('--node <node>', 'place every chain on this node')
    .option('--image <image>', 'the daemon image for every chain')
    .addOption(waitOption())
    .action(async (file: string, opts, cmd: Command) => {
      const ctx = CommandContext.of(io, cmd);
      const entries = readJsonFile(file);
      const body =
        opts.node === undefined && opts.image === undefined
          ? entries
          : {
              entries,
              ...(opts.node === undefined ? {} : { node: opts.node }),
              ...(opts.image === undefined ? {} : { image: opts.image }),
            };
      const { jobs } = await ctx.client().call('importChains', { body });
      if (!ctx.json) ctx.note(`queued ${jobs.length} chain(s)`);
      await ctx.finish(jobs, opts.wait, false);
    });

  chain
    .command('ls')
    .description('list the chains')
    .action(async (_opts, cmd: Command) => {
      const ctx = CommandContext.of(io, cmd);
      const reply = await ctx.client().call('listChains');
      ctx.print(reply, () =>
        reply.chains.length === 0
          ? 'no chains\n'
          : table(
              ['ID', 'AC_NAME', 'STATUS', 'NODE', 'P2P', 'RPC', 'IMAGE'],
              reply.chains.map((c) => [
                c.id,
                c.acName,
                c.statusReason ? `${c.status} (${c.statusReason})` : c.status,
                c.node,
                c.ports.p2p,
                c.ports.rpc,
                c.image,
              ]),
            ),
      );
    });

  chain
    .command('rm')
    .description('remove a chain (graceful stop), deleting its data unless --keep-data')
    .argument('<id>', 'chain id (nnctl chain ls)')
    .option('--keep-data', 'keep the data volume (blocks, wallet.dat)', false)
    .addOption(waitOption())
    .action(async (id: string, opts, cmd: Command) => {
      const ctx = CommandContext.of(io, cmd);
      const accepted = await ctx.client().call('removeChain', {
        params: { id },
        query: { keepData: opts.keepData ? 'true' : undefined },
      });
      await ctx.finish([accepted], opts.wait, true);
    });

  chain
    .command('restart')
    .description('restart a chain unit')
    .argument('<id>', 'chain id (nnctl chain ls)')
    .option('--reason <text>', 'why (kept on the job)')
    .addOption(waitOption())
    .action(async (id: string, opts, cmd: Command) => {
      const ctx = CommandContext.of(io, cmd);
      const accepted = await ctx.client().call('restartChain', {
        params: { id },
        body: opts.reason === undefined ? {} : { reason: opts.reason },
      });
      await ctx.finish([accepted], opts.wait, true);
    });

  chain
    .command('upgrade')
    .description('move a chain to another daemon image (stop first, health-gated, rolled back on failure)')
    .argument('<id>', 'chain id (nnctl chain ls)')
    .requiredOption('--image <image>', 'the daemon image to move to')
    .addOption(waitOption())
    .action(async (id: string, opts, cmd: Command) => {
      const ctx = CommandContext.of(io, cmd);
      const accepted = await ctx
        .client()
        .call('upgradeChain', { params: { id }, body: { image: opts.image } });
      await ctx.finish([accepted], opts.wait, true);
    });

  chain
    .command('wallet-reset')
    .description(
      "reset a chain's wallet.dat: the whole balance to the notary address, the old wallet kept beside a fresh one",
    )
    .argument('<id>', 'chain id (nnctl chain ls)')
    .addOption(waitOption())
    .action(async (id: string, opts, cmd: Command) => {
      const ctx = CommandContext.of(io, cmd);
      const accepted = await ctx.client().call('walletReset', { params: { id }, body: {} });
      await ctx.finish([accepted], opts.wait, true);
    });

  chain
    .command('consolidate')
    .description("merge a chain wallet's non-notary outputs into one (notary-size P2PK outputs stay)")
    .argument('<id>', 'chain id (nnctl chain ls)')
    .addOption(waitOption())
    .action(async (id: string, opts, cmd: Command) => {
      const ctx = CommandContext.of(io, cmd);
      const accepted = await ctx.client().call('consolidateChain', { params: { id }, body: {} });
      await ctx.finish([accepted], opts.wait, true);
    });

  chain
    .command('logs')
    .description("print a chain unit's daemon log (or its sidecar's), following it with --follow")
    .argument('<id>', 'chain id (nnctl chain ls)')
    .option('-f, --follow', 'keep printing new lines until interrupted', false)
    .option('--since <duration|time>', `only lines since then: ${SINCE_FORMAT}`)
    .option('--tail <lines>', 'only the last N lines (before following)')
    .option('--sidecar', "the sidecar's log instead of the daemon's", false)
    .action(async (id: string, opts, cmd: Command) => {
      const ctx = CommandContext.of(io, cmd);
      if (opts.since !== undefined && parseSince(opts.since) === undefined)
        throw new CliError(`--since ${opts.since}: must be ${SINCE_FORMAT}`, EXIT.usage);
      if (opts.tail !== undefined && !/^\d{1,6}$/.test(opts.tail))
        throw new CliError(`--tail ${opts.tail}: must be a whole number of lines`, EXIT.usage);
      // Ctrl-C ends a followed log as the end of the stream, not as an error.
      const abort = new AbortController();
      const stop = () => abort.abort();
      process.once('SIGINT', stop);
      try {
        const text = await ctx.client().stream('chainLogs', {
          params: { id },
          query: {
            follow: opts.follow ? 'true' : undefined,
            since: opts.since,
            tail: opts.tail,
            container: opts.sidecar ? 'sidecar' : undefined,
          },
          signal: abort.signal,
        });
        for await (const piece of text) io.stdout.write(piece);
      } finally {
        process.removeListener('SIGINT', stop);
      }
    });
}
