import { Command, CommanderError, Option } from 'commander';
import { registerChainCommands } from './commands/chain.js';
import { registerCompletionCommand } from './commands/completion.js';
import { registerJobCommands } from './commands/jobs.js';
import { registerNodeCommands } from './commands/node.js';
import { registerSeasonCommands } from './commands/season.js';
import { registerStatusCommand } from './commands/status.js';
import { registerUpgradeCommand } from './commands/upgrade.js';
import { DEFAULT_API_URL } from './context.js';
import { CliError, type CliIo, EXIT } from './io.js';
import { NNCTL_VERSION } from './version.js';

// nnctl's command tree. Each group registers itself (chain, jobs, status, up/down). Global options are
// on the root so every command sees them (commander's optsWithGlobals).

export function buildProgram(io: CliIo): Command {
  const program = new Command('nnctl')
    .description(
      'Control plane for Komodo notary nodes: chains, jobs and status through the orchestrator API.',
    )
    .option('--api <url>', `orchestrator API URL (default: NN_API_URL or ${DEFAULT_API_URL})`)
    .option('--key-file <path>', 'API key file, mode 600 (default: NN_API_KEY_FILE)')
    .option('--json', 'machine-readable JSON on stdout (progress and notes go to stderr)')
    .option('--timeout <seconds>', 'how long a command waits for its jobs', '3600')
    .addOption(new Option('--poll-interval <ms>', 'job polling interval').default('500').hideHelp())
    .version(NNCTL_VERSION, '-V, --version', 'print nnctl’s version')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });
  registerChainCommands(program, io);
  registerJobCommands(program, io);
  registerStatusCommand(program, io);
  registerNodeCommands(program, io);
  registerUpgradeCommand(program, io);
  registerSeasonCommands(program, io);
  registerCompletionCommand(program, io);
  // Subcommands inherit the root's output and exit behaviour.
  for (const cmd of program.commands) cmd.exitOverride().showHelpAfterError();
  return program;
}

/** Runs nnctl with `args` (without node and script); resolves to the exit code. */
export async function runCli(args: readonly string[], io: CliIo): Promise<number> {
  const program = buildProgram(io);
  const json = args.includes('--json');
  try {
    await program.parseAsync([...args], { from: 'user' });
    return EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version end with code 0; any other commander error is a usage error.
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (err instanceof CliError) {
      if (json && err.body !== null)
        io.stdout.write(
          `${JSON.stringify(err.body ?? { error: { code: 'cli', message: err.message } }, null, 2)}\n`,
        );
      io.stderr.write(`nnctl: ${err.message}\n`);
      return err.exitCode;
    }
    io.stderr.write(`nnctl: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT.failed;
  }
}
