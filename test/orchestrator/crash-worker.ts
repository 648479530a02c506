// A worker process for the crash-safety test: it runs the jobs of one queue and SIGKILLs itself at the
// checkpoint named by NN_CRASH_AT (`<step>|<point prefix>`, or `<step>|<point prefix>|<subject>` for one
// unit or chain of a node-level job, whose daemons pass the same steps one after another), the way a
// machine losing power would stop it: no finally blocks, no lease release, no lock release. The hook is this script's own; production
// workers are started without hooks.
import { createJobsRuntime } from '@nn/orchestrator-jobs';
import { DockerRuntime } from '@nn/runtime';
import { Redis } from 'ioredis';
import { pino } from 'pino';

interface CrashWorkerEnv {
  readonly redisUrl: string;
  readonly statePrefix: string;
  readonly network: string;
  readonly config: Record<string, unknown>;
  /** A DockerRuntime config of several engines (the cluster's crash tests); default the local engine. */
  readonly runtime?: Record<string, unknown>;
}

const spec = JSON.parse(process.env.NN_CRASH_WORKER ?? '{}') as CrashWorkerEnv;
const [crashStep, crashPoint, crashSubject] = (process.env.NN_CRASH_AT ?? '|').split('|') as [
  string,
  string,
  string | undefined,
];

const redis = new Redis(spec.redisUrl, { maxRetriesPerRequest: 1 });
const connection = new Redis(spec.redisUrl, { maxRetriesPerRequest: null });
await createJobsRuntime({
  config: spec.config,
  redis,
  statePrefix: spec.statePrefix,
  connection,
  runtime: new DockerRuntime(spec.runtime ?? { network: spec.network, requestTimeoutMs: 60_000 }),
  log: pino({ level: 'info' }),
  events: false,
  sweep: false,
  liveStatus: false,
  hooks: {
    at: ({ step, point, chainId }) => {
      if (step !== crashStep || !point.startsWith(crashPoint)) return;
      // The hook's chainId is the subject: a chain's id, or a node unit's name in node jobs.
      if (crashSubject === undefined || chainId === crashSubject) {
        process.stderr.write(`crashing at ${step} / ${point} (${chainId})\n`);
        process.kill(process.pid, 'SIGKILL');
      }
    },
  },
});
process.stderr.write('worker ready\n');
