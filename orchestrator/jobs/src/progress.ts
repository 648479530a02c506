import { JOB_STEPS, type JobName, type JobProgress, jobProgressSchema } from '@nn/orchestrator-core';

/** The part of a BullMQ job progress reporting needs (a Job, or a fake in tests). */
export interface ProgressSink {
  updateProgress(progress: JobProgress): Promise<void>;
}

/**
 * Per-step progress of one job: `{ step, index, total, message }` with index counted from 1 over the
 * job's JOB_STEPS. Messages are short operator texts, never secrets (the schema keeps them printable).
 */
export class StepProgress {
  private current: JobProgress | undefined;

  constructor(
    private readonly job: ProgressSink,
    private readonly name: JobName,
    private readonly log?: { info(obj: object, msg: string): void },
  ) {}

  get step(): string | undefined {
    return this.current?.step;
  }

  async enter(step: (typeof JOB_STEPS)[JobName][number], message?: string): Promise<void> {
    const steps: readonly string[] = JOB_STEPS[this.name];
    const index = steps.indexOf(step);
    if (index < 0) throw new Error(`${step} is not a step of ${this.name}`);
    const progress = jobProgressSchema.parse({
      step,
      index: index + 1,
      total: steps.length,
      ...(message === undefined ? {} : { message: printable(message) }),
    });
    this.current = progress;
    this.log?.info({ ...progress }, 'job step');
    await this.job.updateProgress(progress);
  }
}

function printable(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?').slice(0, 200);
}
