import { ConflictError, NotFoundError, parseOrThrow } from '@nn/orchestrator-core';
import { currentDrainPlan, type JobQueue, strandedReason, uncordon } from '@nn/orchestrator-jobs';
import type { StateStore } from '@nn/orchestrator-state';
import type { Runtime } from '@nn/runtime';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { API_ROUTES } from '../routes.js';
import { emptyBodySchema } from '../schemas.js';
import { type DrainAccepted, drainNodeBodySchema, nodeNameParamsSchema } from './node-schemas.js';

// Drain and undrain. A drain is checked whole before anything is queued: a node that is not registered
// is a 404, a chain with nowhere to go or an engine that does not answer a 409 with the reason, and
// nothing changes (the cordon is the job's first change).

export interface NodeRoutesOptions {
  readonly state: StateStore;
  readonly queue: JobQueue;
  readonly redis: Redis;
  readonly runtime?: Runtime | undefined;
}

async function checkDrain(options: NodeRoutesOptions, node: string): Promise<DrainAccepted['moves']> {
  if ((await options.state.nodes.find(node)) === undefined) throw new NotFoundError('name', 'node', node);
  const plan = await currentDrainPlan(options.state, options.runtime, node);
  if (plan.stranded.length > 0)
    throw new ConflictError('name', `cannot drain ${node}: ${strandedReason(plan)}`.slice(0, 2000));
  if (options.runtime) {
    const info = (await options.runtime.nodes()).find((n) => n.name === node);
    if (!info?.reachable)
      throw new ConflictError(
        'name',
        `cannot drain ${node}: its engine does not answer (a lost node's chains move by themselves after the jobs config's nodeLostGraceMs)`,
      );
  }
  return [...plan.moves];
}

export function registerNodeRoutes(
  app: FastifyInstance,
  options: NodeRoutesOptions,
  actor: (req: FastifyRequest) => string,
): void {
  const R = API_ROUTES;
  app.post(R.drainNode.path, async (req, reply) => {
    const { name } = parseOrThrow(nodeNameParamsSchema, req.params);
    const body = parseOrThrow(drainNodeBodySchema, req.body ?? {});
    const moves = await checkDrain(options, name);
    const asked = body.resync === true ? 'resync' : 'transfer';
    const jobId = await options.queue.drainNode(name, asked, actor(req));
    // A drain of the node already waiting or running is the one that goes on, in its own mode.
    const queued: unknown = (await options.queue.queue.getJob(jobId))?.data?.mode;
    const mode = queued === 'resync' || queued === 'transfer' ? queued : asked;
    const accepted: DrainAccepted = { jobId, name: 'node.drain', node: name, mode, moves };
    return reply.status(R.drainNode.status).send(accepted);
  });

  app.post(R.undrainNode.path, async (req, reply) => {
    const { name } = parseOrThrow(nodeNameParamsSchema, req.params);
    parseOrThrow(emptyBodySchema, req.body ?? {});
    if ((await options.state.nodes.find(name)) === undefined) throw new NotFoundError('name', 'node', name);
    const changed = await uncordon(options.redis, options.state, name);
    return reply.status(R.undrainNode.status).send({ node: name, schedulable: true, changed });
  });
}
