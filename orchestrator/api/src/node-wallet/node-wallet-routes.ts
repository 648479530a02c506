import { ConflictError, type NodeWalletTarget, parseOrThrow } from '@nn/orchestrator-core';
import { type JobQueue, readDesiredUnits } from '@nn/orchestrator-jobs';
import type { StateStore } from '@nn/orchestrator-state';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { API_ROUTES } from '../routes.js';
import { nodeConsolidateRequestSchema, nodeWalletResetRequestSchema } from './node-wallet-schemas.js';

// The node's own wallets: a reset is one node.wallet-reset job, a consolidation one node.consolidate. Refused before anything is
// queued (409, naming `target`) when the node units are not recorded, the node runs no such unit (a
// node without a destination chain), or the chain's last live status says it is not synced; the job's own preflight asks the daemon again
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
    await requireTarget(options.state, target);
    const [live] = await options.state.live.getMany([{ base: target === 'main' ? 'kmd' : 'ltc' }]);
    if (live && live.synced === false)
      throw new ConflictError(
        'target',
        `the ${target} chain is not synced: a wallet reset needs a synced daemon`,
      );
    const jobId = await options.queue.resetNodeWallet(target, actor(req));
    refuseOtherTarget(jobId, 'node.wallet-reset', target);
    return reply.status(R.resetNodeWallet.status).send({ jobId, name: 'node.wallet-reset', target });
  });
  app.post(R.consolidateNodeWallet.path, async (req, reply) => {
    const { target } = parseOrThrow(nodeConsolidateRequestSchema, req.body ?? {});
    await requireTarget(options.state, target);
    const jobId = await options.queue.consolidateNodeWallet(target, actor(req));
    refuseOtherTarget(jobId, 'node.consolidate', target);
    return reply.status(R.consolidateNodeWallet.status).send({ jobId, name: 'node.consolidate', target });
  });
}

/**
 * One of each at a time (a reset stops Iguana; both spend): while the other target's job waits or runs,
 * the queue hands back its id (`node-wallet-reset-main-…`), and that is not what was asked for.
 */
function refuseOtherTarget(
  jobId: string,
  name: 'node.wallet-reset' | 'node.consolidate',
  target: NodeWalletTarget,
): void {
  const other = target === 'main' ? 'destination' : 'main';
  if (jobId.startsWith(`${name.replace('.', '-')}-${other}-`))
    throw new ConflictError(
      'target',
      `a ${name} of the ${other} chain is queued or running (job ${jobId}): ask again when it ends`,
    );
}

/** 409 naming target unless the node units are recorded and run the target's chain. */
async function requireTarget(state: StateStore, target: NodeWalletTarget): Promise<void> {
  const desired = await readDesiredUnits(state);
  if (!desired)
    throw new ConflictError('target', 'the node units are not recorded (run nnctl up): nothing to do');
  if (target === 'destination' && !desired.layout.daemons.destination)
    throw new ConflictError('target', 'this node runs no destination chain: nothing to do');
}
