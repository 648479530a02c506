import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, trackProcess } from '@nn/testkit';
import { Redis } from 'ioredis';

// A private redis-server for tests that kill or restart Redis: a free port, its own data dir, AOF on with
// fsync on every write (so a SIGKILL loses nothing that was acknowledged). Stopped by its pid only.

export class RedisServerProcess {
  private child: ChildProcess | undefined;

  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  static async create(): Promise<RedisServerProcess> {
    const dir = await mkdtemp(join(tmpdir(), 'nn-redis-'));
    return new RedisServerProcess(dir, await freePort());
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts redis-server on this dir and port and waits until it answers PING. */
  async start(): Promise<void> {
    const args = [
      '--port',
      String(this.port),
      '--bind',
      '127.0.0.1',
      '--dir',
      this.dir,
      '--appendonly',
      'yes',
    ];
    args.push('--appendfsync', 'always', '--save', '', '--daemonize', 'no', '--protected-mode', 'yes');
    const child = trackProcess(spawn('redis-server', args, { stdio: 'ignore' }));
    this.child = child;
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
      const probe = new Redis(this.url, {
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      });
      probe.on('error', () => {}); // refused while starting: expected, the deadline reports a real failure
      try {
        await probe.connect();
        if ((await probe.ping()) === 'PONG') return;
      } catch {
        // not up yet
      } finally {
        probe.disconnect();
      }
      if (Date.now() > deadline) throw new Error('redis-server did not start within 10 s');
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** SIGKILL by pid (a crash: no shutdown save), then waits for the exit. */
  async kill(): Promise<void> {
    const child = this.child;
    if (child?.pid === undefined || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(child.pid, 'SIGKILL');
    await exited;
    this.child = undefined;
  }

  /** Kills the server (if running) and removes its data dir. */
  async destroy(): Promise<void> {
    await this.kill();
    await rm(this.dir, { recursive: true, force: true });
  }
}
