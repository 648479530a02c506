import { eventually } from '@nn/testkit';

export { eventually };

/** GET url, status or null when nothing answers (bounded, so a black-holed address cannot hang a test). */
export async function httpStatus(url: string, token?: string): Promise<number | null> {
  try {
    const res = await fetch(url, {
      signal: AbortSignal.timeout(3000),
      ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}),
    });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return null;
  }
}

/**
 * Waits until the unit's daemon answers RPC through its sidecar (`/v1/status` says rpc "ok"). Stops
 * before that are not graceful with every daemon: a process that installs its SIGTERM handler late
 * ignores the signal as PID 1 and is killed at the end of the stop timeout.
 */
export async function daemonAnswers(endpoint: string | null, token: string, ms = 60_000): Promise<void> {
  await eventually(
    async () => {
      const res = await fetch(`${endpoint}/v1/status`, {
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(3000),
      });
      const body = (await res.json()) as { rpc?: string };
      return res.status === 200 && body.rpc === 'ok' ? true : undefined;
    },
    ms,
    `the daemon behind ${endpoint}`,
  );
}
