/** dockerode rejects with an Error carrying the engine's HTTP status and JSON reply. */
export function statusOf(err: unknown): number | null {
  if (typeof err === 'object' && err !== null && 'statusCode' in err) {
    const s = (err as { statusCode: unknown }).statusCode;
    return typeof s === 'number' ? s : null;
  }
  return null;
}

export const isNotFound = (err: unknown): boolean => statusOf(err) === 404;
export const isConflict = (err: unknown): boolean => statusOf(err) === 409;
/** 304: already started / already stopped. */
export const isNotModified = (err: unknown): boolean => statusOf(err) === 304;

/**
 * The port a failed start could not bind, from the engine's message. Docker 20.10 says either
 * "Bind for 10.0.0.2:20001 failed: port is already allocated" (another container) or
 * "listen tcp4 10.0.0.2:20001: bind: address already in use" (any other process, via the userland proxy).
 */
export function portConflictOf(err: unknown): number | null {
  const text = err instanceof Error ? err.message : String(err);
  const m =
    /Bind for [^\s]*:(\d+) failed: port is already allocated/.exec(text) ??
    /listen (?:tcp|udp)[46]? [^\s]*:(\d+): bind: address already in use/.exec(text);
  return m?.[1] ? Number(m[1]) : null;
}
