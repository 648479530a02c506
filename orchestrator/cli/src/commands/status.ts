import type { ChainSummary, NodeView } from '@nn/orchestrator-api/schemas';
import type { Command } from 'commander';
import type { ApiClient } from '../client.js';
import { CommandContext } from '../context.js';
import type { CliIo } from '../io.js';
import { table } from '../output/table.js';

// `nnctl status`: the API, the nodes and one row per chain. The row is built from the chain's summary
// today; `nnctl up` (issue 6) adds the live columns (height, synced, connections, notarized, lag, notary
// UTXOs) by extending StatusRow and STATUS_COLUMNS from the sidecars' /v1/status.

export interface StatusRow {
  readonly chain: string;
  readonly node: string | undefined;
  readonly status: string;
  readonly p2p: number;
  readonly image: string;
}

export interface StatusReport {
  readonly api: { readonly url: string; readonly ok: boolean; readonly redis: 'up' | 'down' };
  readonly nodes: ReadonlyArray<{ name: string; schedulable: boolean; chains: number; memoryUsed: string }>;
  readonly chains: readonly StatusRow[];
  readonly summary: Readonly<Record<string, number>>;
}

const STATUS_COLUMNS: ReadonlyArray<[string, (r: StatusRow) => string | number | undefined]> = [
  ['CHAIN', (r) => r.chain],
  ['NODE', (r) => r.node],
  ['STATUS', (r) => r.status],
  ['P2P', (r) => r.p2p],
  ['IMAGE', (r) => r.image],
];

const percent = (used: number, total: number) => `${Math.round((100 * used) / Math.max(total, 1))}%`;

function rowOf(c: ChainSummary): StatusRow {
  return {
    chain: c.id,
    node: c.node,
    status: c.statusReason ? `${c.status}: ${c.statusReason}` : c.status,
    p2p: c.ports.p2p,
    image: c.image,
  };
}

function nodeOf(n: NodeView) {
  return {
    name: n.name,
    schedulable: n.schedulable,
    chains: n.usage.chains,
    memoryUsed: percent(n.usage.memoryBytes, n.capacity.memoryBytes),
  };
}

export async function collectStatus(client: ApiClient): Promise<StatusReport> {
  const health = await client.call('healthz');
  const [nodes, chains] = await Promise.all([client.call('listNodes'), client.call('listChains')]);
  const summary: Record<string, number> = {};
  for (const c of chains.chains) summary[c.status] = (summary[c.status] ?? 0) + 1;
  return {
    api: { url: client.baseUrl, ...health },
    nodes: nodes.nodes.map(nodeOf),
    chains: chains.chains.map(rowOf),
    summary,
  };
}

export function renderStatus(report: StatusReport): string {
  const parts = [
    `API ${report.api.url}: ${report.api.ok ? 'up' : 'down'}, Redis ${report.api.redis}\n`,
    report.nodes.length === 0
      ? 'no nodes registered\n'
      : table(
          ['NODE', 'SCHEDULABLE', 'CHAINS', 'MEMORY'],
          report.nodes.map((n) => [n.name, n.schedulable ? 'yes' : 'no', n.chains, n.memoryUsed]),
        ),
    report.chains.length === 0
      ? 'no chains\n'
      : table(
          STATUS_COLUMNS.map(([h]) => h),
          report.chains.map((r) => STATUS_COLUMNS.map(([, get]) => get(r))),
        ),
  ];
  const counts = Object.entries(report.summary).map(([s, n]) => `${n} ${s}`);
  if (counts.length > 0) parts.push(`${counts.join(', ')}\n`);
  return parts.join('\n');
}

export function registerStatusCommand(program: Command, io: CliIo): void {
  program
    .command('status')
    .description('the API, the nodes and every chain at a glance')
    .action(async (_opts, cmd: Command) => {
      const ctx = CommandContext.of(io, cmd);
      const report = await collectStatus(ctx.client());
      ctx.print(report, () => renderStatus(report));
    });
}
