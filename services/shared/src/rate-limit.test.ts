import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limit.js';

describe('RateLimiter', () => {
  it('allows perMinute requests per key in a window, then refuses until the next window', () => {
    let now = 1_000_000;
    const rl = new RateLimiter(3, () => now);
    expect([rl.take('a'), rl.take('a'), rl.take('a')]).toEqual([undefined, undefined, undefined]);
    // Refused, with the seconds until the window resets (for Retry-After).
    expect(rl.take('a')).toBe(60);
    expect(rl.take('b')).toBeUndefined();
    now += 59_999;
    expect(rl.take('a')).toBeGreaterThan(0);
    now += 1;
    expect(rl.take('a')).toBeUndefined();
  });

  it('keeps working when a flood of distinct keys arrives', () => {
    let now = 0;
    const rl = new RateLimiter(1, () => now);
    for (let i = 0; i < 25_000; i++) rl.take(`k${i}`);
    now += 60_000;
    expect(rl.take('k1')).toBeUndefined();
    expect(rl.take('k1')).toBeGreaterThan(0);
  });
});
