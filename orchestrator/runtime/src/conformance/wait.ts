/** Polls `probe` until it returns a value (not undefined), or fails after `ms` naming `what`. */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  ms: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown = null;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

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
