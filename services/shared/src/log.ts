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

/** JSON lines with secrets censored (tested: a password never appears at any level). */
export function createLogger(component: string, opts: LoggerOptions = {}): Logger {
  const options = {
    level: opts.level ?? process.env.NN_LOG_LEVEL ?? 'info',
    base: { component, ...opts.base },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
  return opts.destination ? pino(options, opts.destination) : pino(options);
}
