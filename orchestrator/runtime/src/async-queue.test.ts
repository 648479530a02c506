import { describe, expect, it } from 'vitest';
import { AsyncQueue } from './async-queue.js';

describe('AsyncQueue', () => {
  it('delivers items pushed before and while the consumer waits, then ends on close', async () => {
    const q = new AsyncQueue<number>();
    q.push(1);
    const got: number[] = [];
    const reader = (async () => {
      for await (const n of q) got.push(n);
    })();
    await new Promise((r) => setTimeout(r, 5));
    q.push(2);
    q.close();
    q.push(3);
    await reader;
    expect(got).toEqual([1, 2]);
  });
});
