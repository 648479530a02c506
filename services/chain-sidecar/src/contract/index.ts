// @nn/chain-sidecar/contract: what a client of the sidecar needs (routes, reply schemas, the config
// schema) and nothing else: zod only, so the orchestrator imports it without Fastify or the RPC client.
export {
  type BridgeConfig,
  bridgeSchema,
  type SidecarConfig,
  type SidecarConfigInput,
  sidecarConfigSchema,
} from './config.js';
export {
  type ChainStatus,
  chainStatusSchema,
  GatewayCode,
  type GatewayError,
  gatewayErrorSchema,
  type Health,
  healthSchema,
  type JsonRpcReply,
  type Readiness,
  readinessSchema,
  rpcReplySchema,
} from './replies.js';
export { SIDECAR_ROUTES } from './routes.js';
