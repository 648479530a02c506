/**
 * Requests per minute per key (a bearer token, or the caller's address without one), in fixed
 * one-minute windows, one budget across the whole API.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  take(key: string): boolean {
    const now = this.now();
    let w = this.windows.get(key);
    if (!w || now - w.start >= 60_000) {
      // Unknown keys (wrong tokens, many addresses) must not grow the map without bound.
      if (!w && this.windows.size >= 10_000) {
        for (const [k, old] of this.windows) if (now - old.start >= 60_000) this.windows.delete(k);
        if (this.windows.size >= 10_000) this.windows.clear();
      }
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    w.count++;
    return w.count <= this.perMinute;
  }
}
