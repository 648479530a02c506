import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { callRpc, type RpcOutcome, rpcTargetFor } from '@nn/devchain';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const MAIN = join(REPO_ROOT, 'services', 'devchain', 'src', 'main.ts');

/** A devchain process started from source (through tsx), in its own temporary HOME. */
export interface DevchainProcess {
  readonly home: string;
  readonly args: readonly string[];
  readonly proc: ChildProcess;
  readonly output: () => string;
  rpc(method: string, params?: unknown[]): Promise<RpcOutcome>;
  /** The result, or throws with the RPC error. */
  call<T = unknown>(method: string, params?: unknown[]): Promise<T>;
  waitReady(timeoutMs?: number): Promise<void>;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  kill(signal: NodeJS.Signals): Promise<number | null>;
}

export function tempHome(prefix = 'devchain-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeHome(home: string): void {
  rmSync(home, { recursive: true, force: true });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Runs devchain with the given flags and waits for nothing; see waitReady. */
export function startDevchain(args: readonly string[], home: string): DevchainProcess {
  let out = '';
  const proc = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, HOME: home, DEVCHAIN_LOG_LEVEL: 'debug' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  proc.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const rpc = async (method: string, params: unknown[] = []) => callRpc(rpcTargetFor(args, home), method, params, 10_000);
  const self: DevchainProcess = {
    home,
    args,
    proc,
    output: () => out,
    rpc,
    async call<T>(method: string, params: unknown[] = []) {
      const r = await rpc(method, params);
      if (r.error) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
      return r.result as T;
    },
    async waitReady(timeoutMs = 30_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        if (proc.exitCode !== null) throw new Error(`devchain exited (${proc.exitCode}):\n${out}`);
        try {
          const r = await rpc('getblockcount');
          if (!r.error) return;
        } catch {
          // not listening yet, or conf not written yet
        }
        if (Date.now() > until) throw new Error(`devchain not ready after ${timeoutMs} ms:\n${out}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    exited,
    async kill(signal) {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return exited;
    },
  };
  return self;
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const until = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
