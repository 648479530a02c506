import { describe, expect, it } from 'vitest';
import { CapacityError } from './capacity-error.js';
import { ConflictError } from './conflict-error.js';
import { CorruptStateError } from './corrupt-state-error.js';
import { DependencyDownError } from './dependency-down-error.js';
import { dependencyBackoffMs, errorDisposition } from './disposition.js';
import { NotFoundError } from './not-found-error.js';
import { PermanentError } from './permanent-error.js';
import { PlacementError } from './placement-error.js';
import { TransientError } from './transient-error.js';
import { ValidationError } from './validation-error.js';

describe('typed errors', () => {
  it('carry a code, an HTTP status and whether a job retries', () => {
    const cases = [
      [
        new ValidationError({ field: 'entry.ac_name', reason: 'must not be empty' }),
        'validation',
        400,
        false,
      ],
      [new ConflictError('ac_name', 'exists'), 'conflict', 409, false],
      [new NotFoundError('node', 'node', 'x'), 'not_found', 404, false],
      [new PlacementError('ccl', []), 'placement', 409, false],
      [new CapacityError('ccl', [{ node: 'a', reason: 'memory' }]), 'capacity', 507, false],
      [new TransientError('engine down'), 'transient', 503, true],
      [new PermanentError('image missing'), 'permanent', 500, false],
      [new CorruptStateError('nn:chain:ccl', 'not JSON'), 'corrupt_state', 500, false],
    ] as const;
    for (const [err, code, status, retryable] of cases) {
      expect(err.code).toBe(code);
      expect(err.httpStatus).toBe(status);
      expect(err.retryable).toBe(retryable);
      expect(errorDisposition(err)).toBe(retryable ? 'retry' : 'fail');
      expect(err.toJSON().message).toBe(err.message);
    }
  });

  it('name the field and the reason', () => {
    const v = new ValidationError([
      { field: 'entry.ac_supply', reason: 'must be a string' },
      { field: 'node', reason: 'unknown' },
    ]);
    expect(v.field).toBe('entry.ac_supply');
    expect(v.reason).toBe('must be a string');
    expect(v.message).toBe('entry.ac_supply: must be a string; node: unknown');
    expect(new NotFoundError('node', 'node', 'node-z').message).toBe('node: node "node-z" does not exist');
    expect(new ConflictError('ac_name', 'taken').message).toBe('ac_name: taken');
  });

  it('a capacity error is a placement error listing every refusal', () => {
    const err = new CapacityError('ccl', [
      { node: 'a', reason: 'memory: full' },
      { node: 'b', reason: 'disk: full' },
    ]);
    expect(err).toBeInstanceOf(PlacementError);
    expect(err.message).toBe('ccl: no node has capacity for this chain (a: memory: full; b: disk: full)');
  });

  it('foreign errors are retried (bounded by the job attempts)', () => {
    expect(errorDisposition(new Error('ECONNRESET'))).toBe('retry');
  });

  it('a dependency that is down waits (transient, retryable, never a rollback), naming the dependency', () => {
    const err = new DependencyDownError('iguana', 'POST /v1/coins: no answer');
    expect(err).toBeInstanceOf(TransientError);
    expect(err.retryable).toBe(true);
    expect(errorDisposition(err)).toBe('wait');
    expect(err.toJSON()).toEqual({ code: 'transient', message: err.message, dependency: 'iguana' });
  });

  it('the wait after a dependency was down doubles from the base up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => dependencyBackoffMs(n, 1_000, 10_000))).toEqual([
      1_000, 2_000, 4_000, 8_000, 10_000, 10_000,
    ]);
    expect(dependencyBackoffMs(0, 500, 10_000)).toBe(500);
    expect(dependencyBackoffMs(10_000, 500, 60_000)).toBe(60_000);
  });

  it('a ValidationError needs an issue', () => {
    expect(() => new ValidationError([])).toThrow(TypeError);
  });
});
