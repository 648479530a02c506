import { closeOnSignal, createLogger, runProgram } from '@nn/shared';
import { Command, CommanderError } from 'commander';
import { loadOrchestratorConfig, ROLES, type Role } from './config.js';
import { startOrchestrator } from './start.js';

/** `nn-orchestrator --config FILE [--role api,worker]`; exit 2 for a bad command line or config. */
export function runOrchestratorCli(argv: readonly string[]): void {
  runProgram('nn-orchestrator', async () => {
    const program = new Command('nn-orchestrator')
      .description('The notary node orchestrator: HTTP API and job workers over Redis and Docker.')
      .requiredOption(
        '--config <file>',
        'the config file (JSON; NN_* variables override its fields; see orchestrator/app/README.md)',
      )
      .option(
        '--role <roles>',
        `what to run, comma-separated: ${ROLES.join(', ')} (default: the config's roles)`,
      )
      .exitOverride();
    try {
      program.parse([...argv], { from: 'user' });
    } catch (err) {
      if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
      throw err;
    }
    const opts = program.opts<{ config: string; role?: string }>();
    let config: ReturnType<typeof loadOrchestratorConfig>;
    try {
      config = loadOrchestratorConfig(opts.config, process.env);
      if (opts.role !== undefined) {
        const roles = opts.role.split(',').map((r) => r.trim());
        const bad = roles.find((r) => !(ROLES as readonly string[]).includes(r));
        if (bad !== undefined || roles.length === 0)
          throw new Error(`--role: "${bad ?? ''}" is not one of ${ROLES.join(', ')}`);
        config = { ...config, roles: roles as Role[] };
        if (config.roles.includes('api') && !config.api)
          throw new Error('--role api: the config has no "api" section');
      }
    } catch (err) {
      process.stderr.write(`nn-orchestrator: ${err instanceof Error ? err.message : String(err)}\n`);
      return 2;
    }
    const log = createLogger('orchestrator', { level: config.logLevel });
    const running = await startOrchestrator(config, log);
    log.info({ roles: config.roles, api: running.apiUrl ?? null }, 'orchestrator running');
    await closeOnSignal(log, () => running.close());
    return 0;
  });
}
