/** Where a command writes and what it knows about its terminal; tests pass buffers. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown; isTTY?: boolean };
  readonly stderr: { write(text: string): unknown; isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Exit codes: scripts can tell a refused request from an unreachable API. */
export const EXIT = {
  ok: 0,
  /** The API refused the request, or the job failed. */
  failed: 1,
  /** Bad command line or local input (a missing file, a bad --param). */
  usage: 2,
  /** The API could not be reached, or a wait timed out. */
  unavailable: 3,
} as const;

/** An error that ends the command with a message and an exit code. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number,
    /** Machine-readable body for --json (the API's error body when there is one). */
    readonly body?: unknown,
  ) {
    super(message);
  }
}
