import { defineConfig } from 'vitest/config';

// `pnpm test:chaos`: issue 15's chaos suite (test/chaos), on engines and a Redis of its own, one case after
// the other on one devnet node. Its own run, after `pnpm test`: it takes longer than the rest's budget
// allows (see README, "Chaos suite"). The same global set-up as the e2e tests (run id, the clean-up of a
// killed run, the images).
export default defineConfig({
  test: {
    name: 'chaos',
    include: ['test/chaos/**/*.test.ts'],
    globalSetup: ['test/setup/run.ts', 'test/setup/images.ts'],
    setupFiles: ['test/setup/worker.ts'],
    testTimeout: 900_000,
    hookTimeout: 600_000,
    fileParallelism: false,
  },
});
