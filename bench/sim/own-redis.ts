// BENCH-ONLY: a redis-server of the bench's own on a free loopback port, so its memory counts nothing
// but the simulation's keys (the shared Redis on 6379 holds every other session's), and FLUSHALL between
// sizes touches no one else. Stopped by its own pid at the end.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Redis } from '../../orchestrator/jobs/src/testing/deps.js';
import { freePort } from '../../test/kit/src/index.js';

export interface OwnRedis {
  readonly url: string;
  /** INFO memory's used_memory, in bytes. */
  usedMemory(): Promise<number>;
  flush(): Promise<void>;
  stop(): Promise<void>;
}

export async function startOwnRedis(): Promise<OwnRedis> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const url = `redis://127.0.0.1:${port}`;
  const admin = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  admin.on('error', () => undefined); // connection refused while it starts; the loop below retries
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await admin.connect();
      await admin.ping();
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`redis-server on ${port} did not start`);
      admin.disconnect();
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url,
    async usedMemory() {
      const m = /used_memory:(\d+)/.exec(await admin.info('memory'));
      return Number(m?.[1] ?? 0);
    },
    async flush() {
      await admin.flushall();
    },
    async stop() {
      admin.disconnect();
      const pid = child.pid;
      // Only the process this module started, checked by its command line before the signal.
      if (pid && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(`${port}`)) child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(undefined) : child.once('exit', r)));
    },
  };
}
