import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProcessTracker } from '../../test/kit/src/index.js';

// The real images' HEALTHCHECK, run as Docker runs it: against a process that looks like the daemon in
// /proc (its name and command line) and a CLI standing in for kmdclassic-cli/komodo-cli. What matters for a
// notary node: -28 (warm-up, a rescan of hours) counts as healthy, and no secret flag reaches the CLI.

const script = join(import.meta.dirname, 'daemon-healthcheck.sh');
// A name no other process on a shared machine has, under /proc/PID/comm's 15 characters.
const daemonName = `nnhc${process.pid.toString(36)}`.slice(0, 15);
const tracker = new ProcessTracker();
let dir = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'nn-healthcheck-'));
  // The fake daemon: a shell blocked in the `read` builtin (no child process), so its comm is its own
  // file name and its command line carries the flags below until the test stops it.
  writeFileSync(join(dir, daemonName), '#!/bin/sh\nread -r _\n');
  // The fake CLI records its argv and answers as FAKE_CLI says.
  writeFileSync(
    join(dir, 'fake-cli'),
    [
      '#!/bin/sh',
      'printf "%s\\n" "$@" > "$FAKE_ARGS"',
      'case "$FAKE_CLI" in',
      'ok) echo 4771600 ;;',
      'warmup) echo "error: {\\"code\\":-28,\\"message\\":\\"Rescanning...\\"}" >&2; echo "error code: -28" >&2; exit 1 ;;',
      '*) echo "error: couldn\'t connect to server" >&2; exit 1 ;;',
      'esac',
      '',
    ].join('\n'),
  );
  chmodSync(join(dir, daemonName), 0o755);
  chmodSync(join(dir, 'fake-cli'), 0o755);
  tracker.spawn(
    join(dir, daemonName),
    ['-ac_name=PIRATE', '-datadir=/data/.kmdclassic/PIRATE', '-pubkey=02abc', '-rpcpassword=secret', '-gen'],
    { stdio: ['pipe', 'ignore', 'ignore'] },
  );
});

afterAll(async () => {
  await tracker.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function check(mode: string, env: Record<string, string> = {}, name = daemonName) {
  const run = spawnSync('sh', [script, name, join(dir, 'fake-cli')], {
    encoding: 'utf8',
    env: { ...process.env, FAKE_CLI: mode, FAKE_ARGS: join(dir, 'args'), ...env },
  });
  return run.status;
}

describe('daemon-healthcheck', () => {
  it('is healthy when the RPC answers, and passes the CLI only the chain flags', async () => {
    // The daemon's /proc entry appears once the exec is done: the first check may see the shell starting.
    await expect.poll(() => check('ok'), { timeout: 10_000 }).toBe(0);
    const args = readFileSync(join(dir, 'args'), 'utf8').trim().split('\n');
    expect(args).toEqual(['-ac_name=PIRATE', '-datadir=/data/.kmdclassic/PIRATE', 'getblockcount']);
  });

  it('is healthy during -28 (warm-up, rescan), unhealthy then only with HEALTHCHECK_WARMUP_OK=0', async () => {
    await expect.poll(() => check('ok'), { timeout: 10_000 }).toBe(0);
    expect(check('warmup')).toBe(0);
    expect(check('warmup', { HEALTHCHECK_WARMUP_OK: '0' })).toBe(1);
  });

  it('is unhealthy when the RPC does not answer or no such daemon runs', async () => {
    await expect.poll(() => check('ok'), { timeout: 10_000 }).toBe(0);
    expect(check('refused')).toBe(1);
    expect(check('ok', {}, `${daemonName.slice(0, 13)}zz`)).toBe(1);
  });
});
