import { parseOrThrow } from '@nn/orchestrator-core';
import {
  describeNodeUpgrade,
  ensurePlanImages,
  type JobQueue,
  nodeUpgradePlanOf,
} from '@nn/orchestrator-jobs';
import type { StateStore } from '@nn/orchestrator-state';
import type { Runtime } from '@nn/runtime';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../http/api-error.js';
import { API_ROUTES } from '../routes.js';
import { nodeUpgradeRequestSchema } from './upgrade-schemas.js';

// The whole-node upgrade: its plan (--dry-run: nothing changes, no image is looked at) and its one
// node.upgrade job. The job is queued only after the plan holds and every image of it is on the node
// it will run on (sent there from another node if one has it): a target this node does not run, an
// unknown chain or an image no node has is a 4xx naming `images.<target>`, and nothing is queued.

export interface UpgradeRoutesOptions {
  readonly state: StateStore;
  readonly queue: JobQueue;
  /** Without one the upgrade itself is refused (503): its images cannot be checked. */
  readonly runtime?: Runtime;
}

export function registerUpgradeRoutes(
  app: FastifyInstance,
  options: UpgradeRoutesOptions,
  actor: (req: FastifyRequest) => string,
): void {
  const R = API_ROUTES;
  const planOf = async (req: FastifyRequest) => {
    const body = parseOrThrow(nodeUpgradeRequestSchema, req.body ?? {});
    const plan = await nodeUpgradePlanOf(options.state, body.images);
    return { body, plan, steps: describeNodeUpgrade(plan) };
  };

  app.post(R.planNodeUpgrade.path, async (req, reply) => {
    const { plan, steps } = await planOf(req);
    return reply.status(R.planNodeUpgrade.status).send({ plan, steps });
  });

  app.post(R.upgradeNode.path, async (req, reply) => {
    const { body, plan, steps } = await planOf(req);
    if (!options.runtime)
      throw new ApiError(
        503,
        'unavailable',
        'this API process has no container runtime to check the images on',
      );
    await ensurePlanImages(options.runtime, plan);
    const jobId = await options.queue.upgradeNode(body.images, actor(req));
    return reply.status(R.upgradeNode.status).send({ jobId, name: 'node.upgrade', plan, steps });
  });
}
