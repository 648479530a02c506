import { parseOrThrow } from '@nn/orchestrator-core';
import { currentSeasonPlan, ensureSeasonImages, type JobQueue, type SeasonPlan } from '@nn/orchestrator-jobs';
import type { StateStore } from '@nn/orchestrator-state';
import type { Runtime } from '@nn/runtime';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { API_ROUTES } from '../routes.js';
import { type SeasonPlanView, seasonPlanSchema, seasonRequestSchema } from './season-schemas.js';

// A season change: the plan (what --dry-run shows) and its one season.apply job. Both check the whole
// season against the desired state first; bad input is a 400 naming the field, and nothing is queued.

export interface SeasonRoutesOptions {
  /** The node's notary pubkey (the jobs config's), to check the season's elected list against. */
  readonly notaryPubkey?: string | undefined;
  /**
   * Where the season's images are looked for before the job is queued. An API started without one
   * queues the job all the same; the job's own first step looks for them before any change.
   */
  readonly runtime?: Runtime | undefined;
}

/** The plan as the API shows it: the node units' next desired state (not in the schema) stays the job's. */
const view = (plan: SeasonPlan): SeasonPlanView => seasonPlanSchema.parse(plan);

export function registerSeasonRoutes(
  app: FastifyInstance,
  options: SeasonRoutesOptions & { readonly state: StateStore; readonly queue: JobQueue },
  actor: (req: FastifyRequest) => string,
): void {
  const R = API_ROUTES;
  const plan = (req: FastifyRequest) => {
    const body = parseOrThrow(seasonRequestSchema, req.body ?? {});
    return { body, planned: currentSeasonPlan(options.state, body.network, options.notaryPubkey) };
  };

  app.post(R.planSeason.path, async (req, reply) =>
    reply.status(R.planSeason.status).send(view(await plan(req).planned)),
  );

  app.post(R.applySeason.path, async (req, reply) => {
    const { body, planned } = plan(req);
    const season = await planned;
    if (options.runtime) await ensureSeasonImages(options.runtime, options.state, season);
    const jobId = await options.queue.applySeason({
      network: body.network,
      keepData: body.keepData === true,
      requestedBy: actor(req),
    });
    return reply.status(R.applySeason.status).send({ jobId, name: 'season.apply', plan: view(season) });
  });
}
