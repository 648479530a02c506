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
  const signals = [AbortSignal.timeout(init.timeoutMs), ...(init.signal ? [init.signal] : [])];
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
    throw new TransientError(`${where}: no answer (${cause})`);
  }
  const text = await res.text();
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
