import { defineConfig } from 'vitest/config';

// pnpm test:kubernetes: the Runtime conformance suite and a chain.add against the real cluster of
// NN_KUBECONFIG (test/kubernetes/cluster-*.test.ts, which pnpm test leaves out). One file at a time:
// its units share the cluster's namespace and host ports.
export default defineConfig({
  test: {
    name: 'kubernetes',
    include: ['test/kubernetes/cluster-*.test.ts'],
    globalSetup: ['test/setup/run.ts'],
    setupFiles: ['test/setup/worker.ts'],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    fileParallelism: false,
  },
});
