import { JOB_STEPS, type JobName, type JobProgress, jobProgressSchema } from '@nn/orchestrator-core';

/** The part of a BullMQ job progress reporting needs (a Job, or a fake in tests). */
export interface ProgressSink {
  updateProgress(progress: JobProgress): Promise<void>;
}

/** Milliseconds spent in each step of one attempt, in the order the steps were first entered. */
export type StepTimings = Readonly<Record<string, number>>;

/**
 * Per-step progress of one job: `{ step, index, total, message }` with index counted from 1 over the
 * job's JOB_STEPS. Messages are short operator texts, never secrets (the schema keeps them printable).
 * It also clocks the steps of this attempt (time from entering a step to entering the next), so a job's
 * result can say where its time went.
 */
export class StepProgress {
  private current: JobProgress | undefined;
  private readonly spent = new Map<string, number>();
  private since = performance.now();
  private readonly laps = new Map<string, number>();
  private lapSince = performance.now();

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
    this.clock(step);
    this.current = progress;
    this.log?.info({ ...progress }, 'job step');
    await this.job.updateProgress(progress);
  }

  /**
   * Whole milliseconds per step so far, the current step up to now. A step entered twice (a message
   * update) is one step; one left and entered again later adds up.
   */
  timings(): StepTimings {
    const out = new Map(this.spent);
    const step = this.current?.step;
    if (step !== undefined) out.set(step, (out.get(step) ?? 0) + (performance.now() - this.since));
    return Object.fromEntries([...out].map(([s, ms]) => [s, Math.round(ms)]));
  }

  /**
   * A named point inside the current step (the runtime's deploy steps, the first readiness answer):
   * the time since the step's start or its previous lap, kept as `<step>/<point>`.
   */
  lap(point: string): void {
    const now = performance.now();
    const key = `${this.current?.step ?? '-'}/${point}`;
    this.laps.set(key, (this.laps.get(key) ?? 0) + (now - this.lapSince));
    this.lapSince = now;
  }

  /** Whole milliseconds per lap, in the order first seen. */
  lapTimings(): StepTimings {
    return Object.fromEntries([...this.laps].map(([k, ms]) => [k, Math.round(ms)]));
  }

  private clock(next: string): void {
    const step = this.current?.step;
    if (step === next) return;
    const now = performance.now();
    if (step !== undefined) this.spent.set(step, (this.spent.get(step) ?? 0) + (now - this.since));
    this.since = now;
    this.lapSince = now;
  }
}

function printable(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?').slice(0, 200);
}
