// A program that logs like every service does and, on SIGTERM, logs once more and exits: the log
// test runs it with its stdout reader gone, as when the process that started a daemon has died.
import { createLogger } from '../log.js';

const log = createLogger('log-then-exit');
log.info('started');
process.once('SIGTERM', () => {
  // Several lines at once, as a daemon's stop writes: one goes out, the others wait in the logger's buffer.
  log.info({ signal: 'SIGTERM' }, 'stopping');
  log.info('closing the RPC server');
  log.info('closing the chain files');
  log.info('stopped');
  process.exit(0);
});
process.stderr.write('ready\n');
// Alive until the signal, writing nothing meanwhile: the stopping line is the first write to meet EPIPE.
setInterval(() => undefined, 1_000);
