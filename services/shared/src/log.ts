import { type DestinationStream, type Logger, pino } from 'pino';

/**
 * Paths pino censors wherever they appear in a log object. Secrets never belong in logs, but a caller
 * that passes a config, an error with request options or HTTP headers must not leak them by accident.
 */
export const REDACTED_PATHS = [
  'password',
  'rpcpassword',
  'passphrase',
  'token',
  'tokens',
  'wif',
  'privkey',
  'authorization',
  'Authorization',
  '*.password',
  '*.rpcpassword',
  '*.passphrase',
  '*.token',
  '*.tokens',
  '*.wif',
  '*.privkey',
  '*.authorization',
  '*.Authorization',
  'headers.authorization',
  'req.headers.authorization',
  '*.*.password',
  '*.*.token',
];

export interface LoggerOptions {
  readonly level?: string;
  /** For tests: where lines go (default stdout). */
  readonly destination?: DestinationStream;
  readonly base?: Record<string, unknown>;
}

/**
 * JSON lines with secrets censored (tested: a password never appears at any level), written to stdout
 * synchronously, as Node writes to a pipe anyway. Not pino's default (asynchronous, flushed at exit):
 * when stdout's reader is gone, that exit flush retries the queued lines forever (sonic-boom's flushSync
 * loops on EPIPE) and a stopped daemon never exits. A synchronous write meets EPIPE at once, and pino
 * then stops logging instead.
 */
export function createLogger(component: string, opts: LoggerOptions = {}): Logger {
  const options = {
    level: opts.level ?? process.env.NN_LOG_LEVEL ?? 'info',
    base: { component, ...opts.base },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
  return pino(options, opts.destination ?? pino.destination({ dest: 1, sync: true }));
}
