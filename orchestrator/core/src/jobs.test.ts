import { describe, expect, it } from 'vitest';
import { ValidationError } from './errors/validation-error.js';
import { JOB_NAMES, JOB_STEPS, jobDataSchemas, parseJobData } from './jobs.js';

describe('job data', () => {
  it('accepts ids and references', () => {
    expect(parseJobData('chain.add', { chainId: 'ccl', requestedBy: 'key:ops-1' })).toEqual({
      chainId: 'ccl',
      requestedBy: 'key:ops-1',
    });
    expect(parseJobData('chain.remove', { chainId: 'gleec-old', keepData: true }).keepData).toBe(true);
    expect(parseJobData('chain.upgrade', { chainId: 'thc', image: 'nn/komodod:2651eaf' }).image).toBe(
      'nn/komodod:2651eaf',
    );
    expect(parseJobData('reconcile', { trigger: 'sweep' })).toEqual({ trigger: 'sweep' });
  });

  it.each([
    ['chain.add', { chainId: 'ccl', rpcpassword: 'hunter2' }, 'rpcpassword'],
    ['chain.add', { chainId: 'ccl', wif: 'U...' }, 'wif'],
    ['chain.add', { chainId: '../ccl' }, 'chainId'],
    ['chain.remove', { chainId: 'ccl' }, 'keepData'],
    ['chain.remove', { chainId: 'ccl', keepData: 'yes' }, 'keepData'],
    ['chain.restart', { chainId: 'ccl', reason: 'x'.repeat(201) }, 'reason'],
    ['chain.upgrade', { chainId: 'ccl', image: 'UPPER/case' }, 'image'],
    ['reconcile', { trigger: 'cron' }, 'trigger'],
  ] as const)('%s refuses %j at %s', (name, data, field) => {
    let caught: unknown;
    try {
      parseJobData(name, data);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    expect((caught as ValidationError).field).toBe(field);
  });

  it('has a schema and steps for every job name', () => {
    for (const name of Object.values(JOB_NAMES)) {
      expect(jobDataSchemas[name]).toBeDefined();
      expect(JOB_STEPS[name].at(-1)).toBe('done');
    }
  });
});
