import { TransientError } from '@nn/orchestrator-core';

export interface HttpReply {
  readonly status: number;
  readonly body: unknown;
}

/**
 * One JSON request with a time limit. A connection failure or a time-out is a TransientError whose
 * message names the URL's origin and path only (never headers or body: they carry tokens and keys).
 */
export async function requestJson(
  url: string,
  init: { method: string; token?: string; body?: unknown; timeoutMs: number; signal?: AbortSignal },
): Promise<HttpReply> {
  // A timer of our own, not AbortSignal.timeout: that one does not keep the process alive, and Node 20's
  // fetch can wait forever on a connection that is accepted and closed at once (a published port whose
  // container is not listening yet), so a process with nothing else to do (`nnctl up` waiting for a
  // unit) exited with 13, its top-level await unsettled, instead of retrying after the time-out.
  const timeout = new AbortController();
  const timer = setTimeout(
    () => timeout.abort(new Error(`timed out after ${init.timeoutMs} ms`)),
    init.timeoutMs,
  );
  const signals = [timeout.signal, ...(init.signal ? [init.signal] : [])];
  const where = `${init.method} ${new URL(url).origin}${new URL(url).pathname}`;
  let res: Response;
  try {
    res = await fetch(url, {
      method: init.method,
      headers: {
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
      signal: AbortSignal.any(signals),
    });
  } catch (err) {
    const cause =
      err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
    clearTimeout(timer);
    throw new TransientError(`${where}: no answer (${cause})`);
  }
  // The body is read under the same time limit.
  const text = await res.text().finally(() => clearTimeout(timer));
  let body: unknown = text;
  try {
    body = text.length > 0 ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text (an HTML error page, a proxy's reply)
  }
  return { status: res.status, body };
}

/** A short printable extract of an error body for a reason text. */
export function errorText(body: unknown): string {
  if (body && typeof body === 'object') {
    const b = body as { error?: unknown; reason?: unknown; message?: unknown };
    const e = b.error;
    if (e && typeof e === 'object' && 'message' in e) return String((e as { message: unknown }).message);
    if (typeof e === 'string') return e;
    if (typeof b.reason === 'string') return b.reason;
    if (typeof b.message === 'string') return b.message;
  }
  return String(typeof body === 'string' ? body : JSON.stringify(body)).slice(0, 200);
}
