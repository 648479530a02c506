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

  it('clocks each step once, re-entries with a message included, in the order first entered', async () => {
    const p = new StepProgress({ updateProgress: async () => undefined }, 'chain.add');
    expect(p.timings()).toEqual({});
    await p.enter('validate');
    await p.enter('place');
    await p.enter('place', 'on local');
    await p.enter('images');
    const t = p.timings();
    expect(Object.keys(t)).toEqual(['validate', 'place', 'images']);
    for (const ms of Object.values(t)) expect(Number.isInteger(ms) && ms >= 0).toBe(true);
  });

  it('keeps laps inside a step as <step>/<point>, adding up a point seen twice', async () => {
    const p = new StepProgress({ updateProgress: async () => undefined }, 'chain.add');
    await p.enter('create');
    p.lap('checked');
    p.lap('sidecar-created');
    await p.enter('wait-ready');
    p.lap('poll');
    p.lap('poll');
    const laps = p.lapTimings();
    expect(Object.keys(laps)).toEqual(['create/checked', 'create/sidecar-created', 'wait-ready/poll']);
    for (const ms of Object.values(laps)) expect(Number.isInteger(ms) && ms >= 0).toBe(true);
  });
});
