import type { Logger } from 'pino';
import type { IguanaClient } from '../iguana/client.js';
import type { IguanaMetrics } from '../metrics.js';

export interface DriverOptions {
  readonly iguana: IguanaClient;
  readonly notaryPubkey: string;
  readonly myipaddr: string;
  readonly passphraseFile: string;
  readonly electedFile: string;
  /** The addnotary peers of the start-up sequence; absent: the elected file's seeds. */
  readonly addnotary?: readonly string[];
  readonly home: string;
  readonly pollIntervalMs: number;
  readonly maxBodyBytes: number;
  readonly statusCacheMs: number;
  readonly stateFile: string | undefined;
  readonly metrics: IguanaMetrics;
  readonly log: Logger;
  /** For tests: the clock (ms). */
  readonly now?: () => number;
}
