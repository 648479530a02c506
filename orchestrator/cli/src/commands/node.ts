import type { Command } from 'commander';
import { ApiClient } from '../client.js';
import { CommandContext } from '../context.js';
import type { CliIo } from '../io.js';
import { readKeyFile } from '../key-file.js';
import { registerDrainCommands } from './node-drain.js';
import { registerNodeWalletCommands } from './node-wallet.js';
import { collectStatus, renderStatus } from './status.js';

// `nnctl up` and `nnctl down`: a whole notary node on the local Docker engine in one command. up/ is
// imported inside the two actions only: it pulls in dockerode, BullMQ and Fastify (the node units, the
// runtime, the orchestrator app), which a plain API command such as `nnctl chain ls` must not load.

export function registerNodeCommands(program: Command, io: CliIo): void {
  const node = program
    .command('node')
    .description("a node's chains: drain (move them all elsewhere), undrain; its own wallets: wallet-reset");
  registerDrainCommands(node, io);
  registerNodeWalletCommands(node, io);

  program
    .command('up')
    .description('bring up a whole notary node on the local Docker engine (devnet by default)')
    .option(
      '--network <name|path>',
      'a shipped network (devnet, kmdclassic, komodo, testnet-2024) or the path of a network file of your own',
      'devnet',
    )
    .option(
      '--stand-ins',
      "run the network's layout with the project's stand-in images in place of the real daemons",
    )
    .option('--name <name>', 'names its home dir (~/.nn/<name>), units and keys (default: the network)')
    .option(
      '--redis <url>',
      'use this Redis (default: one on 127.0.0.1:6379, else a redis-server of its own)',
    )
    .option('--redis-port <port>', 'port of the redis-server it starts when none answers', '6379')
    .option(
      '--api-port <port>',
      'the API port on 127.0.0.1; LTC, KMD, Iguana sidecars take the next three',
      '7780',
    )
    .option('--sidecar-ports <from-to>', 'host ports for the chains’ sidecars', '61000-61199')
    .option(
      '--install-service',
      'run the orchestrator as a host process under a systemd unit (Restart=always) instead of a container',
    )
    .action(
      async (
        raw: Record<string, string | undefined> & { standIns?: boolean; installService?: boolean },
        cmd: Command,
      ) => {
        const ctx = CommandContext.of(io, cmd);
        const [{ runUp }, { parseUpOptions }] = await Promise.all([
          import('../up/run-up.js'),
          import('../up/up-options.js'),
        ]);
        const summary = await runUp(ctx, parseUpOptions(raw));
        const status = await collectStatus(
          new ApiClient({ baseUrl: summary.apiUrl, key: readKeyFile(summary.keyFile) }),
        );
        ctx.print({ ...summary, status }, () =>
          [
            `\nnotary node "${summary.name}" (${summary.network}) is up`,
            `  API       ${summary.apiUrl}`,
            `  key file  ${summary.keyFile}   (nnctl reads it: --key-file or NN_API_KEY_FILE)`,
            `  home      ${summary.home}   (secrets in secrets/, mode 600)`,
            `  Redis     ${summary.redis.url}`,
            `  logs      ${summary.logs}`,
            '',
            renderStatus(status),
          ].join('\n'),
        );
      },
    );

  program
    .command('down')
    .description('stop and remove the node `up` made; data volumes and state stay unless --volumes')
    .option('--name <name>', 'the node (default: devnet)', 'devnet')
    .option('--volumes', 'also delete data volumes, the desired state and the node’s home with its secrets')
    .action(async (opts: { name: string; volumes?: boolean }, cmd: Command) => {
      const ctx = CommandContext.of(io, cmd);
      const { runDown } = await import('../up/run-down.js');
      const summary = await runDown(ctx, opts.name, opts.volumes === true);
      ctx.print(
        summary,
        () => `notary node "${summary.name}" is down${summary.volumesRemoved ? ' (volumes removed)' : ''}\n`,
      );
    });
}
