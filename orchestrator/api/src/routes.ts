import { addChainRequestSchema } from '@nn/orchestrator-core';
import type { z } from 'zod';
import {
  nodeConsolidateAcceptedSchema,
  nodeConsolidateRequestSchema,
  nodeWalletResetAcceptedSchema,
  nodeWalletResetRequestSchema,
} from './node-wallet/node-wallet-schemas.js';
import {
  drainAcceptedSchema,
  drainNodeBodySchema,
  nodeNameParamsSchema,
  undrainReplySchema,
} from './nodes/node-schemas.js';
import {
  acceptedJobSchema,
  chainDetailSchema,
  chainIdParamsSchema,
  chainListSchema,
  emptyBodySchema,
  healthSchema,
  importAcceptedSchema,
  importChainsRequestSchema,
  jobIdParamsSchema,
  jobListSchema,
  jobViewSchema,
  listJobsQuerySchema,
  liveStatusSchema,
  nodeListSchema,
  removeChainQuerySchema,
  restartChainBodySchema,
  upgradeChainBodySchema,
} from './schemas.js';
import { seasonAcceptedSchema, seasonPlanSchema, seasonRequestSchema } from './season/season-schemas.js';
import { chainLogsQuerySchema, sdTargetsSchema } from './units/unit-schemas.js';
import {
  nodeUpgradeAcceptedSchema,
  nodeUpgradePlanReplySchema,
  nodeUpgradeRequestSchema,
} from './upgrade/upgrade-schemas.js';

export type { SeasonPlanView } from './season/season-schemas.js';

// --since as the API reads it, for nnctl to check before it asks.
export { parseSince, SINCE_FORMAT } from './units/since.js';

// The API's route table, shared by the server (which registers exactly these), the OpenAPI document and
// nnctl's client, so a path, a method or a role is written once. This module and schemas.ts import only
// zod and core: the CLI can load them without Fastify or BullMQ.

export type Role = 'viewer' | 'operator';

export interface RouteDef {
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** Fastify syntax (`/v1/chains/:id`). */
  readonly path: string;
  /** The least role that may call it; false for public routes. */
  readonly auth: false | Role;
  readonly summary: string;
  /** The status of a successful reply. */
  readonly status: number;
  readonly params?: z.ZodObject;
  readonly query?: z.ZodObject;
  readonly body?: z.ZodType;
  /** The JSON reply; absent for routes that answer with text (metrics) or HTML (dashboard). */
  readonly response?: z.ZodType;
  readonly contentType?: string;
}

export const API_ROUTES = {
  addChain: {
    method: 'POST',
    path: '/v1/chains',
    auth: 'operator',
    summary: 'Add one assetchain (an assetchains.json entry, optional node and image); queues chain.add.',
    status: 202,
    body: addChainRequestSchema,
    response: acceptedJobSchema,
  },
  importChains: {
    method: 'POST',
    path: '/v1/chains/import',
    auth: 'operator',
    summary: 'Add every chain of an assetchains.json array, all or nothing; one chain.add job per chain.',
    status: 202,
    body: importChainsRequestSchema,
    response: importAcceptedSchema,
  },
  listChains: {
    method: 'GET',
    path: '/v1/chains',
    auth: 'viewer',
    summary: 'Every chain in the desired state.',
    status: 200,
    response: chainListSchema,
  },
  getChain: {
    method: 'GET',
    path: '/v1/chains/:id',
    auth: 'viewer',
    summary: 'One chain: its entry, status, ports and placement.',
    status: 200,
    params: chainIdParamsSchema,
    response: chainDetailSchema,
  },
  removeChain: {
    method: 'DELETE',
    path: '/v1/chains/:id',
    auth: 'operator',
    summary: 'Remove a chain (graceful stop; ?keepData=true keeps its data volume); queues chain.remove.',
    status: 202,
    params: chainIdParamsSchema,
    query: removeChainQuerySchema,
    response: acceptedJobSchema,
  },
  restartChain: {
    method: 'POST',
    path: '/v1/chains/:id/restart',
    auth: 'operator',
    summary: 'Restart a chain unit; queues chain.restart.',
    status: 202,
    params: chainIdParamsSchema,
    body: restartChainBodySchema,
    response: acceptedJobSchema,
  },
  walletReset: {
    method: 'POST',
    path: '/v1/chains/:id/wallet-reset',
    auth: 'operator',
    summary:
      "Reset a chain's wallet.dat: the whole balance to the notary address, the old wallet kept beside a fresh one; queues chain.wallet-reset (409 unless the chain is ready and synced).",
    status: 202,
    params: chainIdParamsSchema,
    body: emptyBodySchema,
    response: acceptedJobSchema,
  },
  consolidateChain: {
    method: 'POST',
    path: '/v1/chains/:id/consolidate',
    auth: 'operator',
    summary:
      "Merge the non-notary outputs of a chain's wallet into one, leaving the notary-size P2PK ones; queues chain.consolidate (409 unless ready).",
    status: 202,
    params: chainIdParamsSchema,
    body: emptyBodySchema,
    response: acceptedJobSchema,
  },
  upgradeChain: {
    method: 'POST',
    path: '/v1/chains/:id/upgrade',
    auth: 'operator',
    summary:
      'Move a chain to another daemon image: stop first, health-gated, rolled back if it never gets ready; queues chain.upgrade.',
    status: 202,
    params: chainIdParamsSchema,
    body: upgradeChainBodySchema,
    response: acceptedJobSchema,
  },
  planNodeUpgrade: {
    method: 'POST',
    path: '/v1/node/upgrade/plan',
    auth: 'operator',
    summary:
      'The plan of a whole-node upgrade (nnctl upgrade --dry-run): images as target → image (destination, main, iguana, assetchains, chain:<id>); changes nothing and looks at no image. 400/404/409 naming images.<target> for an unknown target, a unit this node does not run, an unknown or unplaced chain, nothing to change.',
    status: 200,
    body: nodeUpgradeRequestSchema,
    response: nodeUpgradePlanReplySchema,
  },
  upgradeNode: {
    method: 'POST',
    path: '/v1/node/upgrade',
    auth: 'operator',
    summary:
      'Upgrade the whole node as one node.upgrade job in the dPoW update order: Iguana stopped, each daemon one at a time (stop first, health-gated, rolled back on failure), stale UTXOs unlocked, Iguana last, the chains registered again. Refused as the plan is, and 400 naming images.<target> when no node has an image; nothing queued then. Asked again while one runs: that job.',
    status: 202,
    body: nodeUpgradeRequestSchema,
    response: nodeUpgradeAcceptedSchema,
  },
  resetNodeWallet: {
    method: 'POST',
    path: '/v1/node/wallet-reset',
    auth: 'operator',
    summary:
      "Reset the wallet.dat of one of the node's own daemons as one node.wallet-reset job: target main (KMD, KMDCL) or destination (LTC, by litecoind's wallet rules). Iguana stopped, the whole balance to the notary address, the old wallet kept beside a fresh one, the key imported, the wallet split, Iguana started and the chains registered again. 409 naming target when the node units are not recorded, the node runs no such chain, or the main chain is not synced; nothing queued then. Asked again while one runs: that job.",
    status: 202,
    body: nodeWalletResetRequestSchema,
    response: nodeWalletResetAcceptedSchema,
  },
  consolidateNodeWallet: {
    method: 'POST',
    path: '/v1/node/consolidate',
    auth: 'operator',
    summary:
      "Merge the outputs of one of the node's own wallets as one node.consolidate job: target main (KMD, KMDCL) or destination (LTC). Every confirmed output but the notary-size P2PK ones (Iguana's) goes into one output to the notary address, in transactions under the daemon's size limit; nothing is stopped. What a wallet reset asks for first when one transaction cannot carry the wallet. 409 naming target when the node units are not recorded or the node runs no such chain; nothing queued then. Asked again while one runs: that job.",
    status: 202,
    body: nodeConsolidateRequestSchema,
    response: nodeConsolidateAcceptedSchema,
  },
  chainLogs: {
    method: 'GET',
    path: '/v1/chains/:id/logs',
    auth: 'operator',
    summary:
      "A chain unit's daemon log (?container=sidecar: its sidecar's) as text, streamed; ?follow=true keeps it open, ?since=10m|<time>, ?tail=N.",
    status: 200,
    params: chainIdParamsSchema,
    query: chainLogsQuerySchema,
    contentType: 'text/plain',
  },
  planSeason: {
    method: 'POST',
    path: '/v1/season/plan',
    auth: 'operator',
    summary:
      "A season change's plan (nnctl season apply --dry-run): the season's network file against the desired state (chains added, removed, upgraded; Iguana's elected file, seeds and ports); changes nothing. 400 naming the field for a file that fails the schema, an elected list without this node's pubkey, a port clash.",
    status: 200,
    body: seasonRequestSchema,
    response: seasonPlanSchema,
  },
  applySeason: {
    method: 'POST',
    path: '/v1/season',
    auth: 'operator',
    summary:
      'Apply a season change as one season.apply job: removed chains (chain.remove), added ones (chain.add), upgraded ones (chain.upgrade), then Iguana restarted once with the new elected file and seeds, and every chain registered again. Refused (400) as /v1/season/plan refuses, nothing queued.',
    status: 202,
    body: seasonRequestSchema,
    response: seasonAcceptedSchema,
  },
  listJobs: {
    method: 'GET',
    path: '/v1/jobs',
    auth: 'viewer',
    summary: 'Recent jobs across every queue, newest first.',
    status: 200,
    query: listJobsQuerySchema,
    response: jobListSchema,
  },
  getJob: {
    method: 'GET',
    path: '/v1/jobs/:id',
    auth: 'viewer',
    summary: 'One job: state, current step, progress and error.',
    status: 200,
    params: jobIdParamsSchema,
    response: jobViewSchema,
  },
  listNodes: {
    method: 'GET',
    path: '/v1/nodes',
    auth: 'viewer',
    summary: 'The node inventory with capacity and what is reserved on each.',
    status: 200,
    response: nodeListSchema,
  },
  drainNode: {
    method: 'POST',
    path: '/v1/nodes/:name/drain',
    auth: 'operator',
    summary:
      "Empty a node: it becomes unschedulable and each chain on it moves to another node with room, stop-first, its data volume streamed there (resync: a fresh volume and sync), then registered with Iguana again; queues node.drain, which queues one chain.move per chain. 409 with the reason, nothing changed, when a chain would have nowhere to go or the node's engine does not answer.",
    status: 202,
    params: nodeNameParamsSchema,
    body: drainNodeBodySchema,
    response: drainAcceptedSchema,
  },
  undrainNode: {
    method: 'POST',
    path: '/v1/nodes/:name/undrain',
    auth: 'operator',
    summary:
      'Make a drained or lost node schedulable again (its chains stay where they are: placement uses it for new ones).',
    status: 200,
    params: nodeNameParamsSchema,
    body: emptyBodySchema,
    response: undrainReplySchema,
  },
  prometheusTargets: {
    method: 'GET',
    path: '/v1/prometheus/targets',
    auth: 'viewer',
    summary:
      "Prometheus HTTP service discovery (http_sd_configs): every unit's metrics target (each chain's sidecar, the node's LTC, KMD and Iguana sidecars) and this API, labelled chain, node, role, network.",
    status: 200,
    response: sdTargetsSchema,
  },
  liveStatus: {
    method: 'GET',
    path: '/v1/status',
    auth: 'viewer',
    summary:
      'What each unit last reported (each chain, the main chain as kmd, the destination as ltc): height, sync, peers, notarisations, notary UTXOs, balance, wallet.dat size; Iguana’s coins.',
    status: 200,
    response: liveStatusSchema,
  },
  statusPage: {
    method: 'GET',
    path: '/status',
    auth: false,
    summary:
      'The status page (HTML): asks for a viewer key and shows what the viewer routes return; the page itself holds no data.',
    status: 200,
    contentType: 'text/html',
  },
  statusPageScript: {
    method: 'GET',
    path: '/status/page.js',
    auth: false,
    summary: 'The status page’s script.',
    status: 200,
    contentType: 'text/javascript',
  },
  statusPageStyle: {
    method: 'GET',
    path: '/status/page.css',
    auth: false,
    summary: 'The status page’s style sheet.',
    status: 200,
    contentType: 'text/css',
  },
  healthz: {
    method: 'GET',
    path: '/healthz',
    auth: false,
    summary: 'The API process is up (and whether it reaches Redis).',
    status: 200,
    response: healthSchema,
  },
  metrics: {
    method: 'GET',
    path: '/metrics',
    auth: false,
    summary: 'Prometheus metrics.',
    status: 200,
    contentType: 'text/plain',
  },
  openapi: {
    method: 'GET',
    path: '/openapi.json',
    auth: false,
    summary: 'This document.',
    status: 200,
    contentType: 'application/json',
  },
} as const satisfies Record<string, RouteDef>;

export type RouteName = keyof typeof API_ROUTES;

/** Where the queue dashboard lives; each role gets its own board below it. */
export const DASHBOARD_PATH = '/admin/queues';

type ParamsOf<R> = R extends { params: z.ZodObject } ? z.input<R['params']> : undefined;

/** The URL path of a route with its parameters filled in (encoded, so an id can never add a segment). */
export function routePath<N extends RouteName>(name: N, params?: ParamsOf<(typeof API_ROUTES)[N]>): string {
  const values = (params ?? {}) as Record<string, string>;
  return API_ROUTES[name].path.replace(/:([A-Za-z]+)/g, (_m, key: string) => {
    const value = values[key];
    if (value === undefined) throw new TypeError(`route ${name} needs the ${key} parameter`);
    return encodeURIComponent(value);
  });
}
