import type {
  ChainSummary,
  LiveChainStatus,
  LiveStatusBody,
  NodeView,
  RepairView,
} from '@nn/orchestrator-api/schemas';
import type { Command } from 'commander';
import type { ApiClient } from '../client.js';
import { CommandContext } from '../context.js';
import type { CliIo } from '../io.js';
import { table } from '../output/table.js';

// `nnctl status`: the API, the nodes and one row per chain (the node's own KMD and LTC first): the desired
// state from the chain summaries joined with what each unit's sidecar last reported (GET /v1/status, kept
// fresh by the workers) and Iguana's view of the coin.

export interface StatusRow {
  readonly chain: string;
  readonly node: string | undefined;
  readonly status: string;
  readonly p2p: number | undefined;
  readonly image: string | undefined;
  readonly height: number | null;
  readonly synced: boolean | null;
  readonly connections: number | null;
  readonly notarized: number | null;
  readonly lag: number | null;
  readonly notaryUtxos: number | null;
  /** Spendable wallet balance in coins (mature coins only, as the daemon counts them). */
  readonly balance: number | null;
  /** Size of wallet.dat in bytes (a reset shrinks it). */
  readonly walletBytes: number | null;
  /**
   * `off` where the daemon says dPoW has ended (komodod v0.9.2 after its sunset), else Iguana's dPoW
   * status of the coin (active, irregular, inactive, unregistered) or null when unknown.
   */
  readonly dpow: string | null;
  /** Height of the chain's latest sync checkpoint (komodod v0.9.2), null without one. */
  readonly checkpoint: number | null;
  /** While it is being repaired or has failed: why, what was tried, how often, the next try. */
  readonly repair?: RepairView;
}

export interface StatusReport {
  readonly api: { readonly url: string; readonly ok: boolean; readonly redis: 'up' | 'down' };
  readonly nodes: ReadonlyArray<{ name: string; schedulable: boolean; chains: number; memoryUsed: string }>;
  readonly chains: readonly StatusRow[];
  readonly summary: Readonly<Record<string, number>>;
  /** The node's own units being brought back (by role), with why and what was tried. */
  readonly nodeUnits?: Readonly<Record<string, RepairView>>;
}

const dash = (v: number | string | null | undefined) => (v === null || v === undefined ? '-' : v);
const STATUS_COLUMNS: ReadonlyArray<[string, (r: StatusRow) => string | number | undefined]> = [
  ['CHAIN', (r) => r.chain],
  ['NODE', (r) => dash(r.node)],
  ['HEIGHT', (r) => dash(r.height)],
  ['SYNCED', (r) => (r.synced === null ? '-' : r.synced ? 'yes' : 'no')],
  ['PEERS', (r) => dash(r.connections)],
  ['NOTARIZED', (r) => dash(r.notarized)],
  ['LAG', (r) => dash(r.lag)],
  ['UTXOS', (r) => dash(r.notaryUtxos)],
  ['BALANCE', (r) => dash(r.balance)],
  ['WALLET', (r) => (r.walletBytes === null ? '-' : bytesText(r.walletBytes))],
  ['DPOW', (r) => dash(r.dpow)],
  ['CHECKPOINT', (r) => dash(r.checkpoint)],
  ['STATUS', (r) => r.status],
];

/** 9.8 MB, 412 kB, 96 B: wallet sizes as an operator compares them with the 10 MB reset threshold. */
function bytesText(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  if (n >= 1e3) return `${Math.round(n / 1e3)} kB`;
  return `${n} B`;
}

const percent = (used: number, total: number) => `${Math.round((100 * used) / Math.max(total, 1))}%`;

function liveColumns(l: LiveChainStatus | null | undefined) {
  return {
    height: l?.blocks ?? null,
    synced: l?.synced ?? null,
    connections: l?.connections ?? null,
    notarized: l?.notarized ?? null,
    lag: l?.notarizedLag ?? null,
    notaryUtxos: l?.notaryUtxos ?? null,
    balance: l?.balance ?? null,
    walletBytes: l?.walletBytes ?? null,
    checkpoint: l?.checkpoint?.height ?? null,
  };
}

/** dPoW's state for a row: off when the daemon says so (no Iguana then), else Iguana's view of the coin. */
function dpowOf(l: LiveChainStatus | null | undefined, iguana: string | null): string | null {
  return l?.dpowActive === false ? 'off' : iguana;
}

function rowOf(c: ChainSummary, live: LiveStatusBody | null): StatusRow {
  const coin = live?.iguana?.coins.find((x) => x.name === c.iguanaName);
  return {
    chain: c.id,
    node: c.node,
    status: c.statusReason ? `${c.status}: ${c.statusReason}` : c.status,
    p2p: c.ports.p2p,
    image: c.image,
    ...liveColumns(live?.chains[c.id]),
    dpow: dpowOf(
      live?.chains[c.id],
      coin ? (coin.registered === false ? 'unregistered' : (coin.status ?? null)) : null,
    ),
    ...(c.repair ? { repair: c.repair } : {}),
  };
}

/** One line of "why and what was tried": `CCL: chain.add waits for iguana, try 3, next 12:00:05: <error>`. */
export function repairLine(subject: string, r: RepairView): string {
  const what = r.waitingFor ? `${r.action} waits for ${r.waitingFor}` : `${r.action} failed`;
  const next = r.nextRetryAt ? `, next try ${r.nextRetryAt.replace(/\.\d+Z$/, 'Z')}` : '';
  return `${subject}: ${what}, ${r.attempts} ${r.attempts === 1 ? 'try' : 'tries'} since ${r.since.replace(/\.\d+Z$/, 'Z')}${next}: ${r.lastError}`;
}

/**
 * The row of one of the node's own chains, KMD (the main chain) or LTC (the destination): not a chain of
 * the desired state but the node's own unit, its balance and wallet.dat size what a wallet reset changes.
 */
function nodeChainRow(
  chain: 'KMD' | 'LTC',
  status: LiveChainStatus | null | undefined,
  live: LiveStatusBody | null,
): StatusRow | undefined {
  if (!status) return undefined;
  const coin = live?.iguana?.coins.find((x) => x.name === chain);
  return {
    chain,
    node: undefined,
    status: 'node unit',
    p2p: undefined,
    image: undefined,
    ...liveColumns(status),
    dpow: dpowOf(status, coin?.status ?? null),
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
  const [nodes, chains, live] = await Promise.all([
    client.call('listNodes'),
    client.call('listChains'),
    client.call('liveStatus'),
  ]);
  const summary: Record<string, number> = {};
  for (const c of chains.chains) summary[c.status] = (summary[c.status] ?? 0) + 1;
  const own = [nodeChainRow('KMD', live.kmd, live), nodeChainRow('LTC', live.ltc, live)].filter(
    (r): r is StatusRow => r !== undefined,
  );
  return {
    api: { url: client.baseUrl, ...health },
    nodes: nodes.nodes.map(nodeOf),
    chains: [...own, ...chains.chains.map((c) => rowOf(c, live))],
    summary,
    ...(live.nodeUnits ? { nodeUnits: live.nodeUnits } : {}),
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
  const repairs = [
    ...Object.entries(report.nodeUnits ?? {}).map(([role, r]) => repairLine(`node unit ${role}`, r)),
    ...report.chains.flatMap((row) => (row.repair ? [repairLine(row.chain, row.repair)] : [])),
  ];
  if (repairs.length > 0) parts.push(`repairs:\n${repairs.map((l) => `  ${l}\n`).join('')}`);
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
