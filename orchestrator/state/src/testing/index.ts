// Test helpers of the state store for other packages' tests (`@nn/orchestrator-state/testing`).

export { nodeInput, season8Entries, specOf, TEST_IMAGE } from './fixtures.js';
export { TEST_REDIS_URL, type TestRedis, testRedis } from './redis.js';
export { RedisServerProcess } from './redis-server.js';
