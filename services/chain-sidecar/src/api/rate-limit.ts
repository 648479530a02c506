/**
 * Requests per minute per key (a bearer token, or the caller's address when it has none), in fixed
 * one-minute windows. One instance serves every route, so a token has one budget across the API.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one request; false when the key is over its budget for this window. */
  take(key: string): boolean {
    const now = this.now();
    let w = this.windows.get(key);
    if (!w || now - w.start >= 60_000) {
      // Unknown keys (wrong tokens, many addresses) must not grow the map without bound.
      if (!w && this.windows.size >= 10_000) this.prune(now);
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    w.count++;
    return w.count <= this.perMinute;
  }

  private prune(now: number): void {
    for (const [k, w] of this.windows) if (now - w.start >= 60_000) this.windows.delete(k);
    if (this.windows.size >= 10_000) this.windows.clear();
  }
}
