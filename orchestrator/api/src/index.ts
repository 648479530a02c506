export { RateLimiter } from '@nn/shared';
export { ApiKeys, type ApiKeysInput, type Caller, presentedKey, roleAllows } from './auth/api-keys.js';
export { ChainCommands, type ChainCommandsDeps } from './chains/chain-commands.js';
export { type ApiConfig, apiConfigFromEnv, apiConfigSchema } from './config.js';
export { ApiError, errorReply } from './http/api-error.js';
export { buildOpenApi } from './http/openapi.js';
export { type ApiOptions, buildApi } from './http/server.js';
export {
  type EnqueueOptions,
  JobQueue,
  type JobQueueOptions,
  type ListableJobState,
} from './jobs/job-queue.js';
export { API_ROUTES, DASHBOARD_PATH, type Role, type RouteDef, type RouteName, routePath } from './routes.js';
export * from './schemas.js';
export { type RunningApi, startApi } from './start.js';
