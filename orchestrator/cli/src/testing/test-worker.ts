import { JOB_STEPS, type JobName } from '@nn/orchestrator-core';
import type { StateStore } from '@nn/orchestrator-state';
import { UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';

// A small real BullMQ worker for the CLI tests: it walks each job through its JOB_STEPS with progress, as
// orchestrator/jobs' workers do, and moves the chain's status. Chains whose id starts with `fail` fail at
// the images step with a reason, so the CLI's failure path runs against a real failed job.

export interface TestWorker {
  close(): Promise<void>;
}

export function startTestWorker(options: {
  redisUrl: string;
  queueName: string;
  prefix: string;
  state: StateStore;
  stepDelayMs?: number;
}): TestWorker {
  const connection = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  const delay = options.stepDelayMs ?? 20;
  const worker = new Worker(
    options.queueName,
    async (job) => {
      const name = job.name as JobName;
      const chainId = String(job.data.chainId);
      const steps: readonly string[] = JOB_STEPS[name];
      for (const [i, step] of steps.entries()) {
        await job.updateProgress({ step, index: i + 1, total: steps.length, message: `${step} ${chainId}` });
        if (step === 'images' && chainId.startsWith('fail'))
          throw new UnrecoverableError(`images: image nn/${chainId}:1 is missing`);
        await new Promise((r) => setTimeout(r, delay));
      }
      if (name === 'chain.add') await options.state.chains.mutate(chainId, () => ({ status: 'ready' }));
      if (name === 'chain.remove') await options.state.chains.delete(chainId);
      return { chainId };
    },
    { connection, prefix: options.prefix, concurrency: 4 },
  );
  return {
    async close() {
      await worker.close();
      connection.disconnect();
    },
  };
}
