import type { JobViewBody } from '@nn/orchestrator-api/schemas';
import { describe, expect, it } from 'vitest';
import { plainProgress, ttyProgress } from './progress.js';

const job = (step: string | null, state = 'active', index = 1): JobViewBody => ({
  id: 'add-ccl-1',
  name: 'chain.add',
  state,
  chainId: 'ccl',
  step,
  progress: step === null ? null : { step, index, total: 11 },
  error: state === 'delayed' ? { message: 'create: engine down' } : null,
  attemptsMade: state === 'delayed' ? 1 : 0,
  attempts: 6,
  result: null,
  createdAt: '2025-01-01T00:00:00.000Z',
  finishedAt: null,
});

describe('progress displays', () => {
  it('plain: one line per new step or state, nothing redrawn, retries explained', () => {
    let out = '';
    const p = plainProgress((t) => {
      out += t;
    });
    p.update(job(null, 'waiting'));
    p.update(job('validate'));
    p.update(job('validate'));
    p.update(job('place', 'active', 2));
    p.update(job('create', 'delayed', 6));
    p.end();
    expect(out).toBe(
      [
        'ccl chain.add waiting',
        'ccl chain.add [1/11] validate',
        'ccl chain.add [2/11] place',
        'ccl chain.add [6/11] create (retrying after attempt 1/6: create: engine down)',
        '',
      ].join('\n'),
    );
  });

  it('tty: redraws one live line and keeps each finished step above it', () => {
    let out = '';
    const p = ttyProgress((t) => {
      out += t;
    });
    p.update(job('validate'));
    p.update(job('place', 'active', 2));
    p.end();
    expect(out).toContain('ccl chain.add [1/11] validate');
    expect(out).toContain('\r\x1b[2K  ✓ ccl validate\n');
    expect(out.endsWith('ccl chain.add [2/11] place\r\x1b[2K')).toBe(true);
  });
});
