import type { JobViewBody } from '@nn/orchestrator-api/schemas';

// How a waiting command shows its jobs. On a terminal, one status line per job is redrawn in place and
// each finished step is kept above it (✓ place, ✓ images, ...); elsewhere (CI logs, pipes) a plain line is
// written whenever a job reaches a new step or state, and nothing is redrawn.

export interface ProgressDisplay {
  update(job: JobViewBody): void;
  /** Clears the live line (TTY) before the final result is printed. */
  end(): void;
}

const label = (job: JobViewBody) => `${job.chainId ?? job.id} ${job.name}`;
const stepText = (job: JobViewBody) =>
  job.progress ? `[${job.progress.index}/${job.progress.total}] ${job.progress.step}` : job.state;
const retryText = (job: JobViewBody) =>
  job.state === 'delayed' && job.error
    ? ` (retrying after attempt ${job.attemptsMade}/${job.attempts}: ${job.error.message})`
    : '';

export function plainProgress(write: (text: string) => void): ProgressDisplay {
  const last = new Map<string, string>();
  return {
    update(job) {
      const text = `${label(job)} ${stepText(job)}${job.progress?.message ? `: ${job.progress.message}` : ''}${retryText(job)}`;
      if (last.get(job.id) === text) return;
      last.set(job.id, text);
      write(`${text}\n`);
    },
    end() {},
  };
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export function ttyProgress(write: (text: string) => void): ProgressDisplay {
  const steps = new Map<string, string | undefined>();
  let frame = 0;
  let live = false;
  const clear = () => {
    if (live) write('\r\x1b[2K');
    live = false;
  };
  return {
    update(job) {
      clear();
      const previous = steps.get(job.id);
      const current = job.progress?.step;
      // A job moved on: its previous step is done, and stays on screen.
      if (previous !== undefined && previous !== current) write(`  ✓ ${job.chainId ?? job.id} ${previous}\n`);
      steps.set(job.id, current);
      frame = (frame + 1) % SPINNER.length;
      write(`${SPINNER[frame]} ${label(job)} ${stepText(job)}${retryText(job)}`);
      live = true;
    },
    end() {
      clear();
    },
  };
}
