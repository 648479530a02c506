import { afterEach, beforeEach } from 'vitest';
import { createStateStore, type StateStore } from '../state-store.js';
import { type TestRedis, testRedis } from './redis.js';

export interface TestState {
  /** This test's Redis connection and key prefix. */
  readonly t: TestRedis;
  /** A state store under that prefix. */
  readonly state: StateStore;
}

/** A fresh prefix and state store for every test of the file, its keys deleted after each test. */
export function useTestState(): TestState {
  let current: TestState | undefined;
  beforeEach(() => {
    const t = testRedis();
    current = { t, state: createStateStore(t.redis, { prefix: t.prefix }) };
  });
  afterEach(async () => {
    await current?.t.cleanup();
    current = undefined;
  });
  const now = (): TestState => {
    if (!current) throw new Error('the test state exists only inside a test');
    return current;
  };
  return {
    get t() {
      return now().t;
    },
    get state() {
      return now().state;
    },
  };
}
