import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { callRpc, type RpcOutcome, type RpcTarget, rpcTargetFor } from '@nn/devchain';
import { REPO_ROOT, startProcess } from '@nn/testkit';

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
  /** Resolves once the RPC port answers at all (a -28 warm-up reply counts). */
  waitListening(timeoutMs?: number): Promise<void>;
  /** URL and credentials of its RPC, read from its flags and conf as komodo-cli does. */
  target(): RpcTarget;
  /** POSTs `body` verbatim with basic auth and returns the HTTP status and the raw text. */
  post(body: string): Promise<RawReply>;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  kill(signal: NodeJS.Signals): Promise<number | null>;
}

export interface RawReply {
  readonly status: number;
  readonly text: string;
  /** The parsed body when it is JSON, else undefined. */
  readonly json:
    | { result: unknown; error: { code: number; message: string } | null; id: unknown }
    | undefined;
}

export async function postRaw(target: RpcTarget, body: string): Promise<RawReply> {
  const res = await fetch(target.url, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${Buffer.from(`${target.user}:${target.password}`).toString('base64')}`,
      'Content-Type': 'application/json',
    },
    body,
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  let json: RawReply['json'];
  try {
    json = JSON.parse(text) as RawReply['json'];
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json };
}

/** Writes an operator-made conf file (key=value lines), creating its folder, mode 600 as komodod wants. */
export function writeConf(
  path: string,
  values: Record<string, string | number | ReadonlyArray<string | number>>,
): void {
  mkdirSync(dirname(path), { recursive: true });
  const lines: string[] = [];
  for (const [k, v] of Object.entries(values)) {
    for (const one of Array.isArray(v) ? v : [v]) lines.push(`${k}=${String(one)}`);
  }
  writeFileSync(path, `${lines.join('\n')}\n`, { mode: 0o600 });
}

export function tempHome(prefix = 'devchain-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeHome(home: string): void {
  rmSync(home, { recursive: true, force: true });
}

/**
 * Runs devchain with the given flags and waits for nothing; see waitReady. `program` runs it through a
 * link of that name (e.g. `kmdclassicd.ts` inside home), as the image's entry points do.
 */
export function startDevchain(args: readonly string[], home: string, program?: string): DevchainProcess {
  let main = MAIN;
  if (program) {
    main = join(home, program);
    symlinkSync(MAIN, main);
  }
  const started = startProcess(process.execPath, ['--import', 'tsx', main, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, HOME: home, DEVCHAIN_LOG_LEVEL: 'debug' },
  });
  const { proc, output } = started;
  const target = () => rpcTargetFor(args, home, program);
  const rpc = async (method: string, params: unknown[] = []) => callRpc(target(), method, params, 10_000);
  const self: DevchainProcess = {
    home,
    args,
    proc,
    output,
    rpc,
    async call<T>(method: string, params: unknown[] = []) {
      const r = await rpc(method, params);
      if (r.error) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
      return r.result as T;
    },
    async waitReady(timeoutMs = 30_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        if (proc.exitCode !== null) throw new Error(`devchain exited (${proc.exitCode}):\n${output()}`);
        try {
          const r = await rpc('getblockcount');
          if (!r.error) return;
        } catch {
          // not listening yet, or conf not written yet
        }
        if (Date.now() > until) throw new Error(`devchain not ready after ${timeoutMs} ms:\n${output()}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async waitListening(timeoutMs = 30_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        if (proc.exitCode !== null) throw new Error(`devchain exited (${proc.exitCode}):\n${output()}`);
        try {
          await postRaw(target(), '{"method":"getblockcount","params":[],"id":0}');
          return;
        } catch {
          // not listening yet, or conf not written yet
        }
        if (Date.now() > until)
          throw new Error(`devchain RPC not listening after ${timeoutMs} ms:\n${output()}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    target,
    post: (body) => postRaw(target(), body),
    exited: started.exited,
    kill: started.kill,
  };
  return self;
}

/**
 * Tracks the processes and temporary HOMEs a test creates, so afterEach can SIGKILL and delete all
 * of them whether the test passed or failed.
 */
export class DevchainPool {
  private readonly procs: DevchainProcess[] = [];
  private readonly homes: string[] = [];

  home(prefix = 'devchain-'): string {
    const h = tempHome(prefix);
    this.homes.push(h);
    return h;
  }

  start(args: readonly string[], home: string = this.home()): DevchainProcess {
    if (!this.homes.includes(home)) this.homes.push(home);
    const p = startDevchain(args, home);
    this.procs.push(p);
    return p;
  }

  async cleanup(): Promise<void> {
    for (const p of this.procs.splice(0)) await p.kill('SIGKILL');
    for (const h of this.homes.splice(0)) removeHome(h);
  }
}
