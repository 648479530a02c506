import { describe, expect, it } from 'vitest';
import { parseSince } from './since.js';

describe('parseSince', () => {
  const now = Date.parse('2026-12-03T12:00:00Z');

  it('reads durations back from now, as docker logs --since does', () => {
    expect(parseSince('90s', now)?.toISOString()).toBe('2026-12-03T11:58:30.000Z');
    expect(parseSince('10m', now)?.toISOString()).toBe('2026-12-03T11:50:00.000Z');
    expect(parseSince('1h30m', now)?.toISOString()).toBe('2026-12-03T10:30:00.000Z');
    expect(parseSince('2h0m5s', now)?.toISOString()).toBe('2026-12-03T09:59:55.000Z');
  });

  it('reads dates and times, with a zone or an offset', () => {
    expect(parseSince('2026-12-01', now)?.toISOString()).toBe('2026-12-01T00:00:00.000Z');
    expect(parseSince('2026-12-01T08:15:00Z', now)?.toISOString()).toBe('2026-12-01T08:15:00.000Z');
    expect(parseSince('2026-12-01T08:15:00.5+02:00', now)?.toISOString()).toBe('2026-12-01T06:15:00.500Z');
  });

  it('refuses anything else', () => {
    for (const bad of [
      '',
      'yesterday',
      '10',
      '10d',
      '1m1h',
      '-5m',
      '2026-13-45',
      '2026-12-01T25:00:00Z',
      '10m ',
    ])
      expect(parseSince(bad, now), bad).toBeUndefined();
  });
});
