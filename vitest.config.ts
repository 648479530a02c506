import { defineConfig } from 'vitest/config';

// Two projects: unit tests sit next to the code they test; end-to-end tests (real Docker engine,
// real Redis, real processes) live under test/ and get longer time-outs.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['services/*/src/**/*.test.ts', 'orchestrator/*/src/**/*.test.ts'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/**/*.test.ts'],
          globalSetup: ['test/setup/images.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          // The e2e suites share one Docker engine and build images: run files one at a time.
          fileParallelism: false,
        },
      },
    ],
  },
});
