import { freePort } from '@nn/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { IguanaClient, IguanaUnreachable } from '../iguana/client.js';
import { helpRequest, splitfundsRequest } from '../iguana/requests.js';
import { IguanaMetrics } from '../metrics.js';
import { FakeIguana } from '../testing/fake-iguana.js';
import { IguanaLine } from './iguana-line.js';

let iguana: FakeIguana | undefined;
afterEach(async () => {
  await iguana?.stop();
  iguana = undefined;
});

function deferred(): { promise: Promise<void>; resolve: () => void; reject: (e: Error) => void } {
  let resolve = () => {};
  let reject: (e: Error) => void = () => {};
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

async function counts(metrics: IguanaMetrics): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const v of (await metrics.iguanaCalls.get()).values)
    out[`${v.labels.method} ${v.labels.outcome}`] = v.value;
  return out;
}

describe('IguanaLine', () => {
  it('runs queued work one piece at a time, in order, also after a piece failed', async () => {
    const line = new IguanaLine(new IguanaClient(1, 1000), new IguanaMetrics());
    const log: string[] = [];
    const [aStarted, bStarted, first, second] = [deferred(), deferred(), deferred(), deferred()];
    const a = line.exclusive(async () => {
      log.push('a starts');
      aStarted.resolve();
      await first.promise;
      log.push('a ends');
    });
    const b = line.exclusive(async () => {
      log.push('b starts');
      bStarted.resolve();
      await second.promise;
      throw new Error('b failed');
    });
    const c = line.exclusive(async () => {
      log.push('c runs');
      return 'c';
    });
    await aStarted.promise;
    // Every pending callback has run by the next macrotask: b still waits for a.
    await new Promise((r) => setImmediate(r));
    expect(log).toEqual(['a starts']);
    first.resolve();
    await a;
    await bStarted.promise;
    expect(log).toEqual(['a starts', 'a ends', 'b starts']);
    second.resolve();
    await expect(b).rejects.toThrow('b failed');
    await expect(c).resolves.toBe('c');
    await line.drain();
    expect(log).toEqual(['a starts', 'a ends', 'b starts', 'c runs']);
  });

  it('counts every call by method and outcome: ok, error (an `error` reply) and unreachable', async () => {
    iguana = await FakeIguana.start(0);
    const metrics = new IguanaMetrics();
    const line = new IguanaLine(new IguanaClient(iguana.port, 5_000), metrics);
    expect(line.port).toBe(iguana.port);
    expect(await line.call(helpRequest(), 'help')).not.toHaveProperty('error');
    iguana.splitFails = true;
    expect(await line.call(splitfundsRequest('KMD', 2), 'splitfunds KMD')).toHaveProperty('error');
    const down = new IguanaLine(new IguanaClient(await freePort(), 5_000), metrics);
    await expect(down.call(helpRequest(), 'help')).rejects.toBeInstanceOf(IguanaUnreachable);
    expect(await counts(metrics)).toEqual({
      'help ok': 1,
      'splitfunds error': 1,
      'help unreachable': 1,
    });
  });
});
