import type { Logger } from 'pino';
import { type DaemonRpc, DaemonRpcError, DaemonUnreachable } from './daemon/rpc.js';

/**
 * A daemon's graceful stop: its `stop` RPC, then wait until its RPC port is closed (the process has
 * exited; in a unit the sidecar cannot see the daemon's pid), bounded by `timeoutSec`. Never a kill:
 * komodod must flush its state. Returns whether the daemon was seen to stop in time.
 *
 * `stop` is repeated until the daemon takes it: komodod and Bitcoin Core answer -28 to every method,
 * `stop` included, during warm-up. After it, komodod answers HTTP 503 to new requests while it shuts
 * down: that is still running, only a refused connection is "exited".
 */
export async function stopDaemon(rpc: DaemonRpc, timeoutSec: number, log: Logger): Promise<boolean> {
  const deadline = Date.now() + timeoutSec * 1000;
  let accepted = false;
  for (;;) {
    try {
      if (accepted) {
        await rpc.call('getblockcount');
      } else {
        const reply = await rpc.call<string>('stop');
        accepted = true;
        log.info({ reply }, 'daemon stop requested');
      }
    } catch (err) {
      if (err instanceof DaemonUnreachable && err.kind === 'refused') {
        log.info(accepted ? 'daemon stopped' : 'daemon already stopped');
        return true;
      }
      if (err instanceof DaemonUnreachable && err.httpStatus === 503) {
        accepted = true;
      } else if (err instanceof DaemonRpcError) {
        if (!accepted) log.warn({ code: err.code }, 'daemon refused stop; retrying');
      } else if (!(err instanceof DaemonUnreachable)) {
        throw err;
      }
    }
    if (Date.now() >= deadline) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  log.error({ timeoutSec }, 'daemon did not stop in time');
  return false;
}
