import type { Logger } from 'pino';
import { DaemonRpcError, type DaemonRpc, DaemonUnreachable } from './daemon/rpc.js';

/**
 * A daemon's graceful stop: its `stop` RPC, then wait until its RPC no longer answers (the process
 * has exited; in a unit the sidecar cannot see the daemon's pid), bounded by `timeoutSec`. Never a
 * kill: komodod must flush its state. Returns whether the daemon was seen to stop in time.
 */
export async function stopDaemon(rpc: DaemonRpc, timeoutSec: number, log: Logger): Promise<boolean> {
  try {
    const reply = await rpc.call<string>('stop');
    log.info({ reply }, 'daemon stop requested');
  } catch (err) {
    if (err instanceof DaemonUnreachable) {
      log.info('daemon already stopped');
      return true;
    }
    // -28: komodod refuses `stop` during warm-up too; keep asking until it takes it or the time is up.
    if (!(err instanceof DaemonRpcError)) throw err;
    log.warn({ code: err.code }, 'daemon refused stop; retrying');
  }
  const deadline = Date.now() + timeoutSec * 1000;
  while (Date.now() < deadline) {
    try {
      await rpc.call('getblockcount');
    } catch (err) {
      if (err instanceof DaemonUnreachable) return true;
      if (err instanceof DaemonRpcError && err.code === -28) {
        await rpc.call('stop').catch(() => undefined);
      }
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  log.error({ timeoutSec }, 'daemon did not stop in time');
  return false;
}
