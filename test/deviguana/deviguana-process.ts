// Runs deviguana from source (through tsx) and talks to its API over raw TCP, since Iguana's reply
// headers ("Content-Length :") are refused by Node's strict HTTP parser.
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT, type StartedProcess, startProcess } from '@nn/testkit';

const MAIN = join(REPO_ROOT, 'services', 'deviguana', 'src', 'main.ts');
const TSX = pathToFileURL(createRequire(join(REPO_ROOT, 'package.json')).resolve('tsx/esm')).href;

export type DeviguanaProcess = StartedProcess;

/** Starts deviguana with `args` in `cwd` (where `deviguana notary` looks for ./elected). */
export function startDeviguana(args: readonly string[], cwd: string): DeviguanaProcess {
  return startProcess(process.execPath, ['--import', TSX, MAIN, ...args], {
    cwd,
    env: { ...process.env, DEVIGUANA_LOG_LEVEL: 'debug' },
  });
}

export interface ApiReply {
  readonly raw: string;
  readonly body: string;
  /** The parsed body (an object for every reply but arrays; then cast). */
  readonly json: Record<string, unknown>;
}

/** Sends raw bytes to 127.0.0.1:port and reads until the server closes (one request per connection). */
export function rawExchange(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    let out = '';
    socket.setTimeout(60_000, () => socket.destroy(new Error('API timed out')));
    socket.on('data', (d: Buffer) => {
      out += d.toString('utf8');
    });
    socket.on('end', () => resolve(out));
    socket.on('error', reject);
  });
}

/** POSTs a JSON body the way the dPoW scripts' curl does. */
export async function api(port: number, body: unknown): Promise<ApiReply> {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const raw = await rawExchange(
    port,
    `POST / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
  );
  const start = raw.indexOf('\r\n\r\n');
  const bodyText = start < 0 ? raw : raw.slice(start + 4);
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(bodyText) as Record<string, unknown>;
  } catch {
    // not JSON: callers look at raw/body
  }
  return { raw, body: bodyText, json };
}

export async function waitForApi(port: number, dv: DeviguanaProcess, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (dv.proc.exitCode !== null) throw new Error(`deviguana exited (${dv.proc.exitCode}):\n${dv.output()}`);
    try {
      await api(port, { agent: 'SuperNET', method: 'help' });
      return;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`deviguana API not up after ${timeoutMs} ms:\n${dv.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
