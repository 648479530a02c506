import { describe, expect, it } from 'vitest';
import { eventually } from './eventually.js';

describe('eventually', () => {
  it('returns the first value that is not undefined, retrying checks that throw', async () => {
    let calls = 0;
    const v = await eventually(
      () => {
        calls += 1;
        if (calls === 1) throw new Error('not yet');
        return calls < 3 ? undefined : calls;
      },
      5_000,
      'three calls',
      1,
    );
    expect(v).toBe(3);
  });

  it('fails naming what it waited for and the last error', async () => {
    await expect(
      eventually(
        () => {
          throw new Error('refused');
        },
        50,
        'the port',
        5,
      ),
    ).rejects.toThrow('timed out waiting for the port: Error: refused');
  });
});
