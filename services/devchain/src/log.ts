import { createLogger as sharedLogger } from '@nn/shared';
import type { Logger } from 'pino';

/**
 * devchain's logger: @nn/shared's JSON lines with its secret redaction, tagged with the chain's name.
 * Nothing logs the conf's contents; the redaction is the second line of defence.
 */
export function createLogger(name: string, level = process.env.DEVCHAIN_LOG_LEVEL ?? 'info'): Logger {
  return sharedLogger('devchain', { level, base: { chain: name } });
}
