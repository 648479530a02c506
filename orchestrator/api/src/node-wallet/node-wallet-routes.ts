import { ConflictError, parseOrThrow } from '@nn/orchestrator-core';
import { type JobQueue, readDesiredUnits } from '@nn/orchestrator-jobs';
import type { StateStore } from '@nn/orchestrator-state';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { API_ROUTES } from '../routes.js';
import { nodeWalletResetRequestSchema } from './node-wallet-schemas.js';

// The wallet reset of the node's own daemons: one node.wallet-reset job. Refused before anything is
// queued (409, naming `target`) when the node units are not recorded, the node runs no such unit (a
// node without a destination chain), or the main chain's last live status says it is not synced; the job's own preflight asks the daemon again
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
    const desired = await readDesiredUnits(options.state);
    if (!desired)
      throw new ConflictError('target', 'the node units are not recorded (run nnctl up): nothing to reset');
    if (target === 'destination' && !desired.layout.daemons.destination)
      throw new ConflictError('target', 'this node runs no destination chain: nothing to reset');
    // Only the main chain has a live status; the destination's sync is asked by the job's preflight.
    const [live] = target === 'main' ? await options.state.live.getMany([{ base: 'kmd' }]) : [];
    if (live && live.synced === false)
      throw new ConflictError(
        'target',
        `the ${target} chain is not synced: a wallet reset needs a synced daemon`,
      );
    const jobId = await options.queue.resetNodeWallet(target, actor(req));
    // One node wallet reset at a time (both stop Iguana): while one of the other target waits or runs,
    // the queue hands back its id, and that is not what was asked for.
    const other = target === 'main' ? 'destination' : 'main';
    if (jobId.startsWith(`node-wallet-reset-${other}-`))
      throw new ConflictError(
        'target',
        `a node.wallet-reset of the ${other} chain is queued or running (job ${jobId}): ask again when it ends`,
      );
    return reply.status(R.resetNodeWallet.status).send({ jobId, name: 'node.wallet-reset', target });
  });
}
