// @nn/iguana-sidecar/contract: what a client of the Iguana sidecar needs (routes, body and reply
// schemas, the config schema) and nothing else: zod and the assetchain entry schema only, so the
// orchestrator imports it without Fastify.
export {
  type AssetchainCoinInput,
  type CoinConfig,
  type CoinInput,
  coinName,
  coinSchema,
  type IguanaSidecarConfig,
  type IguanaSidecarConfigInput,
  iguanaSidecarConfigSchema,
} from './config.js';
export {
  type Activity,
  type AddCoinReply,
  activitySchema,
  addCoinReplySchema,
  type CoinStatus,
  coinStatusSchema,
  type ErrorBody,
  errorBodySchema,
  type Health,
  healthSchema,
  type IguanaState,
  type IguanaStatus,
  iguanaStateSchema,
  iguanaStatusSchema,
  type Readiness,
  type RemoveCoinReply,
  type RemovedCoin,
  readinessSchema,
  removeCoinReplySchema,
  removedCoinSchema,
  type SplitBody,
  type SplitReply,
  splitBodySchema,
  splitReplySchema,
} from './replies.js';
export { IGUANA_SIDECAR_ROUTES } from './routes.js';
