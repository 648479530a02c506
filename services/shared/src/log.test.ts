import { spawn } from 'node:child_process';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createLogger } from './log.js';

function capture(): { stream: Writable; text: () => string } {
  let out = '';
  const stream = new Writable({
    write(chunk, _enc, done) {
      out += chunk.toString();
      done();
    },
  });
  return { stream, text: () => out };
}

describe('createLogger', () => {
  it('censors secrets at every level, in nested objects and headers', () => {
    const sink = capture();
    const log = createLogger('test', { level: 'trace', destination: sink.stream });
    const secret = 'pass0123456789abcdef';
    for (const level of ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const) {
      log[level](
        {
          password: secret,
          rpc: { rpcpassword: secret },
          headers: { authorization: `Bearer ${secret}` },
          token: secret,
          cfg: { rpc: { password: secret } },
        },
        'config',
      );
    }
    expect(sink.text()).not.toContain(secret);
    expect(sink.text().match(/\[redacted\]/g)?.length).toBeGreaterThanOrEqual(30);
  });
});

describe('createLogger on a broken stdout', () => {
  it('lets the process exit when whoever read its stdout is gone (no endless retry of the last line)', async () => {
    const script = fileURLToPath(new URL('./testing/log-then-exit.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      await new Promise<void>((resolve, reject) => {
        child.stderr.on('data', (c: Buffer) => {
          if (c.toString().includes('ready')) resolve();
        });
        child.once('exit', () => reject(new Error('exited before it was ready')));
      });
      // The reader goes away: every later write to the pipe fails with EPIPE.
      child.stdout.destroy();
      await new Promise((r) => setTimeout(r, 300));
      child.kill('SIGTERM');
      const code = await new Promise<number | null>((resolve) => {
        const timer = setTimeout(() => resolve(-1), 10_000);
        child.once('exit', (c) => {
          clearTimeout(timer);
          resolve(c);
        });
      });
      expect(code).toBe(0);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});
