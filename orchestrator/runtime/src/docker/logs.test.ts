import { describe, expect, it } from 'vitest';
import { FrameReader } from './logs.js';

const frame = (kind: number, text: string) => {
  const payload = Buffer.from(text, 'utf8');
  const header = Buffer.alloc(8);
  header[0] = kind;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
};

describe("FrameReader (Docker's multiplexed log stream)", () => {
  it('splits frames into stdout and stderr pieces, whatever the chunk boundaries', () => {
    const bytes = Buffer.concat([frame(1, 'started\n'), frame(2, 'warn: ½ full\n'), frame(1, 'ok')]);
    for (const cut of [1, 3, 8, 9, 15, 20, bytes.length - 1]) {
      const r = new FrameReader();
      const out = [...r.push(bytes.subarray(0, cut)), ...r.push(bytes.subarray(cut))];
      expect(out, `cut at ${cut}`).toEqual([
        { stream: 'stdout', text: 'started\n' },
        { stream: 'stderr', text: 'warn: ½ full\n' },
        { stream: 'stdout', text: 'ok' },
      ]);
    }
  });

  it('holds an incomplete frame back, and drops stdin and empty frames', () => {
    const r = new FrameReader();
    const whole = frame(1, 'line\n');
    expect([...r.push(whole.subarray(0, 10))]).toEqual([]);
    expect([...r.push(Buffer.concat([whole.subarray(10), frame(0, 'in'), frame(2, '')]))]).toEqual([
      { stream: 'stdout', text: 'line\n' },
    ]);
  });
});
