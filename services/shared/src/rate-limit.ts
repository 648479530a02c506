/**
 * Requests per minute per key (a token or API key, or the caller's address without one), in fixed
 * one-minute windows. One instance serves every route of an API, so a key has one budget across it.
 * Shared by the chain sidecar, the Iguana sidecar and the orchestrator's API.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one request; the seconds until the window resets when over budget, else undefined. */
  take(key: string): number | undefined {
    const now = this.now();
    let w = this.windows.get(key);
    if (!w || now - w.start >= 60_000) {
      // Many distinct callers (wrong keys, many addresses) must not grow the map without bound.
      if (!w && this.windows.size >= 10_000) this.prune(now);
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    w.count++;
    return w.count <= this.perMinute ? undefined : Math.max(1, Math.ceil((w.start + 60_000 - now) / 1000));
  }

  private prune(now: number): void {
    for (const [k, w] of this.windows) if (now - w.start >= 60_000) this.windows.delete(k);
    if (this.windows.size >= 10_000) this.windows.clear();
  }
}
