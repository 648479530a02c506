import { type Logger, pino } from 'pino';

/**
 * devchain's logger: JSON lines on stdout (the container log). Credentials never reach it: the
 * paths below are censored wherever a caller passes them, and no code logs the conf's contents.
 */
export function createLogger(name: string, level = process.env.DEVCHAIN_LOG_LEVEL ?? 'info'): Logger {
  return pino({
    level,
    base: { chain: name },
    redact: {
      paths: [
        'password',
        'rpcpassword',
        '*.password',
        '*.rpcpassword',
        'rpc.password',
        'cfg.rpc.password',
        'authorization',
        '*.authorization',
        'wif',
        '*.wif',
      ],
      censor: '[redacted]',
    },
  });
}
