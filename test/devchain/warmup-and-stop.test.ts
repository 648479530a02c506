import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePorts } from '@nn/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { DevchainPool, startDevchain } from '../helpers/devchain-process.js';

// komodod's start-up and shut-down as seen from outside (komodod-rpc.md §2, §3): -28 with the current
// step for every method until loading is done, `stop` answering "<NAME> server stopping", a .lock
// in the data dir that keeps a second daemon out.
const pool = new DevchainPool();
afterEach(() => pool.cleanup());

// init.cpp's InitMessage texts that komodod shows as the -28 message.
const WARMUP_MESSAGES = [
  'RPC server started',
  'Verifying wallet...',
  'Loading block index...',
  'Rewinding blocks if needed...',
  'Verifying blocks...',
  'Loading wallet...',
  'Rescanning...',
  'Activating best chain...',
];

async function assetArgs(name: string, extra: string[] = []): Promise<string[]> {
  const { p2p, rpc } = await freePorts('p2p', 'rpc');
  return [`-ac_name=${name}`, '-ac_supply=1000', '-gen=0', `-port=${p2p}`, `-rpcport=${rpc}`, ...extra];
}

describe('devchain warm-up, stop and the data-dir lock', () => {
  it('answers -28 with HTTP 500 and a komodod warm-up message for every method, then 200', async () => {
    const node = pool.start(await assetArgs('WARMDEV', ['-devwarmup=2']));
    await node.waitListening();
    const seen = new Set<string>();
    for (const method of ['getinfo', 'help', 'nosuchmethod', 'stop', 'getblockcount']) {
      const reply = await node.post(JSON.stringify({ method, params: [], id: method }));
      expect(reply.status, method).toBe(500);
      expect(reply.json?.error?.code, method).toBe(-28);
      expect(reply.json?.id, method).toBe(method);
      expect(reply.json?.result, method).toBeNull();
      expect(WARMUP_MESSAGES, method).toContain(reply.json?.error?.message);
      seen.add(reply.json?.error?.message ?? '');
    }
    expect(seen.has('Loading block index...')).toBe(true);
    // A batch during warm-up: HTTP 200, each element -28.
    const batch = await node.post('[{"method":"getinfo","id":1},{"method":"help","id":2}]');
    expect(batch.status).toBe(200);
    expect(JSON.parse(batch.text)).toMatchObject([{ error: { code: -28 } }, { error: { code: -28 } }]);
    // `stop` during warm-up was refused (-28), so the process is still up.
    expect(node.proc.exitCode).toBeNull();

    await node.waitReady();
    const info = await node.post('{"method":"getinfo","params":[],"id":1}');
    expect(info.status).toBe(200);
    expect(info.json?.error).toBeNull();
    const help = await node.post('{"method":"help","params":[],"id":2}');
    expect(help.status).toBe(200);
    expect(help.json?.result).toMatch(/== Control ==/);
    const unknown = await node.post('{"method":"nosuchmethod","params":[],"id":3}');
    expect(unknown.status).toBe(404);
    expect(unknown.json?.error).toEqual({ code: -32601, message: 'Method not found' });
  });

  it('stops on `stop` with "<NAME> server stopping" and exit code 0, releasing the lock', async () => {
    const node = pool.start(await assetArgs('STOPDEV'));
    await node.waitReady();
    const lock = join(node.home, '.komodo', 'STOPDEV', '.lock');
    expect(existsSync(lock)).toBe(true);
    const reply = await node.rpc('stop');
    expect(reply).toMatchObject({ status: 200, result: 'STOPDEV server stopping', error: null });
    expect(await node.exited).toBe(0);
    expect(existsSync(lock)).toBe(false);
    await expect(node.rpc('getinfo')).rejects.toThrow();
  });

  it('counts `stop` with too many params as a wrong call (-1 with help), and keeps running', async () => {
    const node = pool.start(await assetArgs('STOPDEV'));
    await node.waitReady();
    const reply = await node.rpc('stop', [false, 'extra']);
    expect(reply.error?.code).toBe(-1);
    expect(reply.error?.message).toMatch(/^stop\n\nStop Komodo server\./);
    expect((await node.rpc('getblockcount')).error).toBeNull();
  });

  it('exits 0 on SIGTERM and leaves no .lock behind; the chain is intact on restart', async () => {
    const args = await assetArgs('TERMDEV');
    const node = pool.start(args);
    await node.waitReady();
    await node.call('generate', [3]);
    const best = await node.call<string>('getbestblockhash');
    const lock = join(node.home, '.komodo', 'TERMDEV', '.lock');
    expect(existsSync(lock)).toBe(true);
    expect(await node.kill('SIGTERM')).toBe(0);
    expect(existsSync(lock)).toBe(false);

    const again = pool.start(args, node.home);
    await again.waitReady();
    expect(await again.call<string>('getbestblockhash')).toBe(best);
  });

  it('refuses a second daemon on the same data dir with "Cannot obtain a lock" and exit 1', async () => {
    const args = await assetArgs('LOCKDEV');
    const first = pool.start(args);
    await first.waitReady();
    const before = await first.call<string>('getbestblockhash');

    // Same HOME, so same ~/.komodo/LOCKDEV data dir; other ports so only the lock can stop it.
    const { p2p, rpc } = await freePorts('p2p', 'rpc');
    const second = startDevchain(
      ['-ac_name=LOCKDEV', '-ac_supply=1000', '-gen=0', `-port=${p2p}`, `-rpcport=${rpc}`],
      first.home,
    );
    try {
      expect(await second.exited).toBe(1);
      expect(second.output()).toMatch(/Cannot obtain a lock on data directory .*LOCKDEV/);
    } finally {
      await second.kill('SIGKILL');
    }
    // The first one is unharmed and still holds its lock.
    expect(await first.call<string>('getbestblockhash')).toBe(before);
    expect(existsSync(join(first.home, '.komodo', 'LOCKDEV', '.lock'))).toBe(true);

    // After a clean stop the data dir is free again.
    expect(await first.call('stop')).toBe('LOCKDEV server stopping');
    expect(await first.exited).toBe(0);
    const third = pool.start(args, first.home);
    await third.waitReady();
  });
});
