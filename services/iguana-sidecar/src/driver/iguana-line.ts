import { type IguanaClient, type IguanaReply, iguanaError } from '../iguana/client.js';
import type { IguanaMetrics } from '../metrics.js';

/**
 * The one line to Iguana. Work that calls Iguana runs through `exclusive`, one piece at a time, so the
 * API's mutations never interleave with a supervision round; every call is counted by its outcome.
 */
export class IguanaLine {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly iguana: IguanaClient,
    private readonly metrics: IguanaMetrics,
  ) {}

  get port(): number {
    return this.iguana.port;
  }

  /** Runs `fn` after everything queued before it, whether that succeeded or failed. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Resolves when the work queued so far has ended. */
  async drain(): Promise<void> {
    await this.queue.catch(() => undefined);
  }

  async call(body: Record<string, unknown>, what: string): Promise<IguanaReply> {
    const method = String(body.method);
    try {
      const reply = await this.iguana.call(body, what);
      this.metrics.iguanaCalls.inc({ method, outcome: iguanaError(reply) === undefined ? 'ok' : 'error' });
      return reply;
    } catch (err) {
      this.metrics.iguanaCalls.inc({ method, outcome: 'unreachable' });
      throw err;
    }
  }
}
