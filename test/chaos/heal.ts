import type { ChaosEngine } from './engine.js';
import type { ChaosNode } from './node.js';

// What "healed" means for every case: `nnctl status` (as the operator reads it) shows every chain of the
// node, KMD included, ready (KMD: the node's own unit) with a height, and its `notarized` above what it
// was before the fault. A case that does not get there within its bound fails with the picture it saw.

export interface StatusRow {
  readonly chain: string;
  readonly status: string;
  readonly height: number | null;
  readonly notarized: number | null;
  readonly dpow: string | null;
}

export async function statusRows(node: ChaosNode): Promise<StatusRow[]> {
  const r = await node.nnctl(['--json', 'status'], 30_000);
  if (r.code !== 0) throw new Error(`nnctl status exited ${r.code}: ${r.stderr.trim().slice(0, 300)}`);
  return (JSON.parse(r.stdout) as { chains: StatusRow[] }).chains;
}

const isReady = (r: StatusRow) => r.status === 'ready' || r.status === 'node unit';

/** Per chain, its `notarized` now; waits until every chain in `expect` is ready and notarising. */
export async function notarising(
  node: ChaosNode,
  expect: readonly string[],
  timeoutMs: number,
): Promise<Map<string, number>> {
  return waitForRows(node, timeoutMs, 'every chain ready and notarising', (rows) => {
    const byChain = new Map(rows.map((r) => [r.chain.toLowerCase(), r]));
    const ok = expect.every((c) => {
      const r = byChain.get(c);
      return r !== undefined && isReady(r) && typeof r.height === 'number' && (r.notarized ?? 0) > 0;
    });
    return ok ? new Map(rows.map((r) => [r.chain.toLowerCase(), r.notarized ?? 0])) : undefined;
  });
}

/**
 * Until every chain in `before` (and in `also.notarising`, chains the case added) is ready with a height
 * and a `notarized` above its value in `before` (0 for added ones), and every chain in `also.readyOnly`
 * is ready with a height; returns the time it took.
 */
export async function healed(
  node: ChaosNode,
  before: ReadonlyMap<string, number>,
  boundMs: number,
  also: { readonly notarising: readonly string[]; readonly readyOnly?: readonly string[] } = {
    notarising: [],
  },
): Promise<number> {
  const started = Date.now();
  const wanted = new Map(before);
  for (const c of also.notarising) if (!wanted.has(c)) wanted.set(c, 0);
  const readyOnly = also.readyOnly ?? [];
  await waitForRows(
    node,
    boundMs,
    `every chain ready and notarized above ${JSON.stringify([...wanted])}${readyOnly.length ? `, and ${readyOnly.join(', ')} ready` : ''}`,
    (rows) => {
      const byChain = new Map(rows.map((r) => [r.chain.toLowerCase(), r]));
      const up = (r: StatusRow | undefined): r is StatusRow =>
        !!r && isReady(r) && typeof r.height === 'number';
      for (const [chain, was] of wanted) {
        const r = byChain.get(chain);
        if (!up(r) || (r.notarized ?? 0) <= was) return undefined;
      }
      return readyOnly.every((c) => up(byChain.get(c))) ? true : undefined;
    },
  );
  return Date.now() - started;
}

/** Polls the status until `done` returns a value; fails after `timeoutMs` with the last picture. */
async function waitForRows<T>(
  node: ChaosNode,
  timeoutMs: number,
  what: string,
  done: (rows: StatusRow[]) => T | undefined,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  for (;;) {
    try {
      const rows = await statusRows(node);
      const v = done(rows);
      if (v !== undefined) return v;
      last = rows
        .map((r) => `${r.chain} ${r.status} h=${r.height} n=${r.notarized} dpow=${r.dpow}`)
        .join('; ');
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    if (Date.now() > deadline)
      throw new HealError(`not healed within ${Math.round(timeoutMs / 1000)} s (${what}); status: ${last}`);
    await new Promise((r) => setTimeout(r, 2_000));
  }
}

export class HealError extends Error {}

/** The picture a failed case leaves in its error: containers, jobs and the orchestrator's last lines. */
export async function picture(engines: ChaosEngine, node: ChaosNode, i = 1): Promise<string> {
  const parts: string[] = [];
  try {
    const cs = await engines.docker(i).listContainers({ all: true });
    parts.push(
      `containers:\n${cs
        .map((c) => `  ${c.Names[0]?.replace(/^\//, '')} ${c.Status}`)
        .sort()
        .join('\n')}`,
    );
  } catch (err) {
    parts.push(`containers: engine e${i} does not answer (${String(err)})`);
  }
  const jobs = await node.nnctl(['jobs'], 30_000).catch(() => undefined);
  parts.push(`nnctl jobs (head):\n${jobs?.stdout.split('\n').slice(0, 14).join('\n') ?? '-'}`);
  try {
    const logs = await engines
      .docker(i)
      .getContainer(`${node.name}-orchestrator`)
      .logs({ stdout: true, stderr: true, tail: 15, follow: false });
    parts.push(`orchestrator log (tail):\n${demux(logs).slice(-4000)}`);
  } catch {
    parts.push('orchestrator log: -');
  }
  return parts.join('\n');
}

function demux(buf: Buffer): string {
  const out: string[] = [];
  for (let at = 0; at + 8 <= buf.length; ) {
    const size = buf.readUInt32BE(at + 4);
    out.push(buf.subarray(at + 8, at + 8 + size).toString('utf8'));
    at += 8 + size;
  }
  return out.join('');
}
