import type { ChainStatus } from '@nn/chain-sidecar/contract';
import type { CoinStatus } from '@nn/iguana-sidecar/contract';
import { buildChainSpec, JOB_STEPS } from '@nn/orchestrator-core';
import { TEST_REDIS_URL } from '@nn/testkit';
import { UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { type ApiHarness, season8Entries, TEST_IMAGE } from './harness.js';

// A node's state as the status page shows it, in the harness's real Redis and BullMQ queue: chains in
// several states with the live statuses their sidecars would have reported, Iguana's coins, one job
// active at a step, one waiting, one failed. Used by the page's Chromium test and by the script that
// takes docs/status-page.png.

export interface SeededNode {
  /** The chain ids, in the fixture's order: ready and synced, ready and synced, syncing, failed. */
  readonly chainIds: readonly string[];
  /** The error of the failed job, as the page must show it. */
  readonly failure: string;
  /** Ends the job held active and closes the worker. */
  close(): Promise<void>;
}

const MINUTE = 60;

/** A chain sidecar's status (the fields of the contract this page reads; the API reads them partially). */
function chainStatus(acName: string, over: Partial<ChainStatus>): Partial<ChainStatus> {
  return {
    chain: acName,
    flavour: 'komodo',
    rpc: 'ok',
    rpcMessage: null,
    blocks: 1_200_000,
    headers: 1_200_000,
    synced: true,
    connections: 8,
    notarized: 1_199_990,
    notarizedLag: 10,
    balance: 41.2,
    notaryUtxos: 46,
    walletBytes: 2_400_000,
    version: 3_010_050,
    dpowActive: true,
    checkpoint: null,
    at: Date.now() - 3_000,
    ...over,
  };
}

function coin(name: string, over: Partial<CoinStatus>): CoinStatus {
  const now = Math.floor(Date.now() / 1000);
  return {
    name,
    kind: 'assetchain',
    role: 'source',
    runtime: true,
    registered: true,
    dpowActive: true,
    bridgePort: 17_771,
    chain: 'ok',
    blocks: 1_200_000,
    lastNotarisedHeight: 1_199_990,
    lastNotarisedTime: now - 9 * MINUTE,
    secondsSinceNotarisation: 9 * MINUTE,
    notaryUtxos: 46,
    status: 'active',
    lastError: null,
    ...over,
  };
}

/** How long a seeded live status lives: longer than any test or screenshot run. */
const LIVE_TTL_MS = 10 * 60_000;

export async function seedNode(
  h: ApiHarness,
  options: { failure?: string; statusReason?: string } = {},
): Promise<SeededNode> {
  const failure =
    options.failure ?? 'images: image nn/komodod:0.9.1 is not on node-a and no node can send it';
  const entries = season8Entries();
  const picked = [entries[0], entries[1], entries[4], entries[5], entries[6]];
  const records = [];
  for (const entry of picked)
    records.push(await h.state.chains.create(buildChainSpec({ entry }, { image: TEST_IMAGE })));
  const [a, b, syncing, failed, held] = records;
  if (!a || !b || !syncing || !failed || !held) throw new Error('seedNode: the fixture has too few chains');
  for (const r of [a, b]) await h.state.chains.mutate(r.spec.id, () => ({ status: 'ready' }));
  await h.state.chains.mutate(syncing.spec.id, () => ({ status: 'syncing' }));
  await h.state.chains.mutate(failed.spec.id, () => ({
    status: 'failed',
    statusReason: options.statusReason ?? failure,
  }));
  await h.state.chains.mutate(held.spec.id, () => ({ status: 'provisioning' }));

  const now = Math.floor(Date.now() / 1000);
  await h.state.live.put(
    { base: 'kmd' },
    chainStatus('KMD', {
      blocks: 4_702_113,
      headers: 4_702_113,
      notarized: 4_702_101,
      notarizedLag: 12,
      balance: 18.03,
      notaryUtxos: 61,
      walletBytes: 14_800_000,
    }),
    LIVE_TTL_MS,
  );
  await h.state.live.put(
    { chain: a.spec.id },
    chainStatus(a.spec.identity.acName, { blocks: 5_250_210, headers: 5_250_210, notarized: 5_250_200 }),
    LIVE_TTL_MS,
  );
  await h.state.live.put(
    { chain: b.spec.id },
    chainStatus(b.spec.identity.acName, {
      blocks: 3_310_498,
      headers: 3_310_498,
      notarized: 3_310_480,
      notarizedLag: 18,
      notaryUtxos: 0,
    }),
    LIVE_TTL_MS,
  );
  await h.state.live.put(
    { chain: syncing.spec.id },
    chainStatus(syncing.spec.identity.acName, {
      blocks: 812_345,
      headers: 1_021_877,
      synced: false,
      connections: 3,
      notarized: 0,
      notarizedLag: null,
      notaryUtxos: null,
    }),
    LIVE_TTL_MS,
  );
  await h.state.live.put(
    { base: 'iguana' },
    {
      iguana: {
        port: 7776,
        up: true,
        sequenceDone: true,
        lastSequenceAt: now,
        restartsDetected: 0,
        lastError: null,
      },
      coins: [
        coin('KMD', { kind: 'kmd', lastNotarisedHeight: 4_702_101, lastNotarisedTime: now - 4 * MINUTE }),
        coin('LTC', {
          kind: 'ltc',
          role: 'destination',
          lastNotarisedHeight: 2_871_004,
          lastNotarisedTime: now - 4 * MINUTE,
          status: null,
        }),
        coin(a.spec.identity.iguanaName, { lastNotarisedHeight: 5_250_200 }),
        coin(b.spec.identity.iguanaName, {
          lastNotarisedHeight: 3_310_480,
          lastNotarisedTime: now - 3 * 3600,
          status: 'irregular',
        }),
        coin(syncing.spec.identity.iguanaName, {
          registered: false,
          lastNotarisedHeight: null,
          lastNotarisedTime: null,
          status: null,
        }),
      ],
      removed: [],
    },
    LIVE_TTL_MS,
  );

  // A real worker on the harness's queue: it fails the failed chain's add at its images step and holds
  // the held chain's add at wait-ready; one job at a time, so the restart queued last stays waiting.
  const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const settled = new Set<string>();
  let signal: () => void = () => {};
  const both = new Promise<void>((resolve) => {
    signal = () => {
      if (settled.has('failed') && settled.has('active')) resolve();
    };
  });
  const worker = new Worker(
    h.queue.name,
    async (job) => {
      const steps: readonly string[] = JOB_STEPS['chain.add'];
      const at = (step: string) => ({ step, index: steps.indexOf(step) + 1, total: steps.length });
      if (job.data.chainId === failed.spec.id) {
        await job.updateProgress(at('images'));
        settled.add('failed');
        signal();
        throw new UnrecoverableError(failure);
      }
      await job.updateProgress({
        ...at('wait-ready'),
        message: 'waiting for RPC (warm-up: Loading block index...)',
      });
      settled.add('active');
      signal();
      await released;
    },
    { connection, prefix: h.queuePrefix, concurrency: 1 },
  );
  await h.queue.addChain(failed.spec.id);
  await h.queue.addChain(held.spec.id);
  await both;
  await h.queue.restartChain(a.spec.id, { reason: 'operator restart' });
  return {
    chainIds: records.map((r) => r.spec.id),
    failure,
    async close() {
      release();
      await worker.close();
      connection.disconnect();
    },
  };
}
