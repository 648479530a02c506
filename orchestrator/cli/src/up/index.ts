// `nnctl up`'s control-plane containers, for the end-to-end tests that check them on the real engine.
export { CONTROL_LOGS, CONTROL_RESTART, CONTROL_ROLE, localDocker } from './control-containers.js';
export { ORCHESTRATOR_IMAGE, orchestratorContainerOf } from './ensure-orchestrator.js';
export {
  ensureRedisContainer,
  REDIS_IMAGE,
  redisContainerOf,
  redisVolumeOf,
  removeRedisContainer,
} from './ensure-redis.js';
