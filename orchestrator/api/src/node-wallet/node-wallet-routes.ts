import { BUILT_NODE_WALLET_TARGETS, ConflictError, parseOrThrow } from '@nn/orchestrator-core';
import { type JobQueue, readDesiredUnits } from '@nn/orchestrator-jobs';
import type { StateStore } from '@nn/orchestrator-state';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { API_ROUTES } from '../routes.js';
import { nodeWalletResetRequestSchema } from './node-wallet-schemas.js';

// The wallet reset of the node's own daemons: one node.wallet-reset job. Refused before anything is
// queued (409, naming `target`) when the target is not built yet, the node runs no such unit, or the
// unit's last live status says its daemon is not synced; the job's own preflight asks the daemon again
// (synced, nothing unconfirmed, outputs countable) before any change.

export interface NodeWalletRoutesOptions {
  readonly state: StateStore;
  readonly queue: JobQueue;
}

export function registerNodeWalletRoutes(
  app: FastifyInstance,
  options: NodeWalletRoutesOptions,
  actor: (req: FastifyRequest) => string,
): void {
  const R = API_ROUTES;
  app.post(R.resetNodeWallet.path, async (req, reply) => {
    const { target } = parseOrThrow(nodeWalletResetRequestSchema, req.body ?? {});
    if (!BUILT_NODE_WALLET_TARGETS.has(target))
      throw new ConflictError(
        'target',
        `the ${target} chain's wallet reset is not built yet (litecoind's own wallet rules): nothing queued`,
      );
    const desired = await readDesiredUnits(options.state);
    if (!desired)
      throw new ConflictError('target', 'the node units are not recorded (run nnctl up): nothing to reset');
    const [live] = await options.state.live.getMany([{ base: 'kmd' }]);
    if (live && live.synced === false)
      throw new ConflictError(
        'target',
        `the ${target} chain is not synced: a wallet reset needs a synced daemon`,
      );
    const jobId = await options.queue.resetNodeWallet(target, actor(req));
    return reply.status(R.resetNodeWallet.status).send({ jobId, name: 'node.wallet-reset', target });
  });
}
