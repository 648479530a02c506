import { defineConfig } from 'vitest/config';

// Two projects: unit tests sit next to the code they test; end-to-end tests (real Docker engine,
// real Redis, real processes) live under test/ and get longer time-outs. Both start with
// test/setup/run.ts: the run's id and prefixes, and the removal of what an earlier, killed run left.
/**
 * End-to-end files that take a notary node's fixed host ports: a whole node brought up by `nnctl up` or
 * compose publishes its chains' real p2p ports (KMD 7770, CCL 20848, ...), and ccl-first-start runs
 * komodod's CCL line on the host. Two of them at once would fight over those ports, so they run one at a
 * time, after the rest (sequence.groupOrder), never beside another file.
 */
const HOST_PORT_FILES = [
  'test/devchain/ccl-first-start.test.ts',
  'test/docker/devnet.test.ts',
  'test/docker/networks-stand-ins.test.ts',
  'test/monitoring/prometheus.test.ts',
  'test/compose/compose.test.ts',
  'test/hygiene/killed-run.test.ts',
];
/**
 * The killed-run test's inner run sets this: its two files (crash-safety beside a devnet, the most a
 * killed run can leave) must run side by side, and nothing else runs beside that test.
 */
const ONE_GROUP = process.env.NN_TEST_ONE_GROUP === '1';
const E2E = {
  globalSetup: ['test/setup/run.ts', 'test/setup/images.ts'],
  setupFiles: ['test/setup/worker.ts'],
  testTimeout: 300_000,
  hookTimeout: 300_000,
};

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
            // The Helm chart's render tests run the helm binary only: no engine, no services.
            'test/helm/**/*.test.ts',
          ],
          globalSetup: ['test/setup/run.ts'],
          setupFiles: ['test/setup/worker.ts'],
          testTimeout: 30_000,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/**/*.test.ts'],
          // The test kit's own tests are unit tests; test/kubernetes/cluster-* need a real cluster and run
          // only through `pnpm test:kubernetes` (vitest.kubernetes.config.ts).
          exclude: [
            'test/kit/**',
            // The Helm chart's tests are unit tests (see the unit project).
            'test/helm/**',
            '**/node_modules/**',
            'test/kubernetes/cluster-*.test.ts',
            // The chaos suite is its own run: `pnpm test:chaos` (vitest.chaos.config.ts).
            'test/chaos/**',
            ...(ONE_GROUP ? [] : HOST_PORT_FILES),
          ],
          ...E2E,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'e2e-host',
          include: HOST_PORT_FILES,
          ...E2E,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
