import { createLogger, type LoggerOptions } from '@nn/shared';
import type { Logger } from 'pino';

/**
 * deviguana's logger: @nn/shared's pino with its redaction. Nothing secret is ever passed to it (the
 * passphrase and WIF stay inside api/methods.ts and wallet.ts); the redaction is the second line.
 */
export function deviguanaLogger(opts: LoggerOptions = {}): Logger {
  return createLogger('deviguana', { level: opts.level ?? process.env.DEVIGUANA_LOG_LEVEL, ...opts });
}
