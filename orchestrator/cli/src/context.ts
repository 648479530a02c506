import { existsSync } from 'node:fs';
import type { AcceptedJob, JobViewBody } from '@nn/orchestrator-api/schemas';
import type { Command } from 'commander';
import { ApiClient } from './client.js';
import { CliError, type CliIo, EXIT } from './io.js';
import { readKeyFile } from './key-file.js';
import { type ProgressDisplay, plainProgress, ttyProgress } from './output/progress.js';
import { nnRoot, nodeHome } from './up/node-home.js';
import { waitForJobs } from './wait.js';

export const DEFAULT_API_URL = 'http://127.0.0.1:7780';

/**
 * NN_API_KEY_FILE (empty: no key), else the keys file of the devnet `nnctl up` made, if there is one, so
 * `nnctl status` works right after `nnctl up` without flags.
 */
function keyFileFromEnv(env: Readonly<Record<string, string | undefined>>): string | undefined {
  if (env.NN_API_KEY_FILE !== undefined) return env.NN_API_KEY_FILE || undefined;
  const upKeys = nodeHome(nnRoot(env), 'devnet').keysFile;
  return existsSync(upKeys) ? upKeys : undefined;
}

/** The global options every command sees (root program options). */
export interface GlobalOptions {
  readonly api?: string;
  readonly keyFile?: string;
  readonly json?: boolean;
  readonly timeout: string;
  readonly pollInterval: string;
}

/** What a command's action works with: the client, output that respects --json, job waiting. */
export class CommandContext {
  readonly json: boolean;
  private apiClient: ApiClient | undefined;

  constructor(
    readonly io: CliIo,
    private readonly globals: GlobalOptions,
  ) {
    this.json = globals.json === true;
    for (const [name, value] of [
      ['--timeout', globals.timeout],
      ['--poll-interval', globals.pollInterval],
    ] as const)
      if (!/^[1-9]\d{0,8}$/.test(value))
        throw new CliError(`${name} ${value}: must be a whole number`, EXIT.usage);
  }

  static of(io: CliIo, command: Command): CommandContext {
    return new CommandContext(io, command.optsWithGlobals<GlobalOptions>());
  }

  client(): ApiClient {
    if (this.apiClient) return this.apiClient;
    const baseUrl = this.globals.api ?? this.io.env.NN_API_URL ?? DEFAULT_API_URL;
    if (!/^https?:\/\/[^\s/]+/.test(baseUrl))
      throw new CliError(`--api ${baseUrl}: not an http(s) URL`, EXIT.usage);
    const keyFile = this.globals.keyFile ?? keyFileFromEnv(this.io.env);
    this.apiClient = new ApiClient({ baseUrl, key: keyFile ? readKeyFile(keyFile) : undefined });
    return this.apiClient;
  }

  /** Machine output (JSON) with --json, else the human text; both on stdout. */
  print(value: unknown, human: () => string): void {
    this.io.stdout.write(this.json ? `${JSON.stringify(value, null, 2)}\n` : human());
  }

  /** A note for people: on stderr, so stdout stays machine-readable. */
  note(text: string): void {
    this.io.stderr.write(`${text}\n`);
  }

  private progress(): ProgressDisplay {
    const write = (text: string) => this.io.stderr.write(text);
    return this.io.stderr.isTTY ? ttyProgress(write) : plainProgress(write);
  }

  /**
   * After a mutation: with --no-wait, print what was queued; otherwise wait for every job with a progress
   * display and fail (exit 1, every reason) when any job failed.
   */
  async finish(accepted: readonly AcceptedJob[], wait: boolean, single: boolean): Promise<void> {
    if (!wait) {
      this.print(single ? accepted[0] : { jobs: accepted }, () =>
        accepted.map((a) => `queued ${a.name} for ${a.chainId} (job ${a.jobId})\n`).join(''),
      );
      return;
    }
    const jobs = await this.waitFor(accepted.map((a) => a.jobId));
    this.print(single ? jobs[0] : { jobs }, () => jobs.map(outcomeLine).join(''));
    const failed = jobs.filter((j) => j.state !== 'completed');
    if (failed.length > 0)
      throw new CliError(
        failed.map((j) => `${j.chainId ?? j.id} ${j.name} failed: ${reasonOf(j)}`).join('\n'),
        EXIT.failed,
        this.json ? null : undefined,
      );
  }

  waitFor(jobIds: readonly string[], client: ApiClient = this.client()): Promise<JobViewBody[]> {
    return waitForJobs(client, jobIds, this.progress(), {
      intervalMs: Number(this.globals.pollInterval),
      timeoutMs: Number(this.globals.timeout) * 1000,
      unavailableMs: 120_000,
    });
  }
}

export function reasonOf(job: JobViewBody): string {
  if (job.state === 'unknown') return 'the job is gone from the queue';
  return job.error?.message ?? `ended ${job.state}`;
}

function outcomeLine(job: JobViewBody): string {
  const who = `${job.chainId ?? job.id} ${job.name}`;
  return job.state === 'completed' ? `✓ ${who} completed\n` : `✗ ${who} failed: ${reasonOf(job)}\n`;
}
