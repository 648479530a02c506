import type { Logger } from 'pino';

/**
 * Resolves after SIGTERM or SIGINT once `close` has finished: a service's graceful stop. Handlers are
 * `once`, so a second signal during a slow close falls back to Node's default (the process ends).
 */
export function closeOnSignal(log: Logger, close: () => Promise<void>): Promise<void> {
  return new Promise<void>((resolve) => {
    const onSignal = (signal: string) => {
      log.info({ signal }, 'stopping');
      void close().finally(resolve);
    };
    process.once('SIGTERM', () => onSignal('SIGTERM'));
    process.once('SIGINT', () => onSignal('SIGINT'));
  });
}

/** Runs a program's main and exits with its code; an unexpected error exits 1 with `<name>: <message>`. */
export function runProgram(name: string, main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`${name}: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
