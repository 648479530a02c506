import { defineConfig } from 'vitest/config';

// Two projects: unit tests sit next to the code they test; end-to-end tests (real Docker engine,
// real Redis, real processes) live under test/ and get longer time-outs. Both start with
// test/setup/run.ts: the run's id and prefixes, and the removal of what an earlier, killed run left.
export default defineConfig({
  test: {
    // Two files at a time on these 2-core machines. The end-to-end files keep out of each other's way
    // (free ports, a random project name and ownership labels per file, one cluster subnet in one
    // file), and most of their time is spent waiting for blocks, so two in flight halve the run.
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'services/*/src/**/*.test.ts',
            'orchestrator/*/src/**/*.test.ts',
            'test/kit/src/**/*.test.ts',
            'tools/*/**/*.test.ts',
            'images/real/*.test.ts',
          ],
          globalSetup: ['test/setup/run.ts'],
          setupFiles: ['test/setup/worker.ts'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/**/*.test.ts'],
          // The test kit's own tests are unit tests.
          exclude: ['test/kit/**', '**/node_modules/**'],
          globalSetup: ['test/setup/run.ts', 'test/setup/images.ts'],
          setupFiles: ['test/setup/worker.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
