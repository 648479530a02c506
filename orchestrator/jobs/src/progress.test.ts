import { JOB_STEPS, type JobProgress } from '@nn/orchestrator-core';
import { describe, expect, it } from 'vitest';
import { StepProgress } from './progress.js';

describe('StepProgress', () => {
  it('reports {step, index, total, message} counted over the job’s steps', async () => {
    const seen: JobProgress[] = [];
    const p = new StepProgress({ updateProgress: async (x) => void seen.push(x) }, 'chain.add');
    await p.enter('validate');
    await p.enter('wait-ready', 'daemon warming up: Loading block index…');
    expect(seen).toEqual([
      { step: 'validate', index: 1, total: JOB_STEPS['chain.add'].length },
      {
        step: 'wait-ready',
        index: JOB_STEPS['chain.add'].indexOf('wait-ready') + 1,
        total: 11,
        message: 'daemon warming up: Loading block index?',
      },
    ]);
    expect(p.step).toBe('wait-ready');
    await expect(p.enter('observe' as never)).rejects.toThrow(/not a step of chain.add/);
  });
});
