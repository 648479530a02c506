import { DependencyDownError, errorDisposition, PermanentError, TransientError } from '@nn/orchestrator-core';
import { EngineError, ImageUnavailableError, NodeUnreachableError, PortConflictError } from '@nn/runtime';
import { describe, expect, it } from 'vitest';
import { asJobError } from './errors.js';
import { iguanaCall } from './steps/register-iguana.js';

const socketError = (code: string) =>
  Object.assign(new Error(`connect ${code} /var/run/docker.sock`), { code });

describe('job errors: wait for a dependency, retry, or fail', () => {
  it('an engine that does not answer, or went away mid-call, is waited for', () => {
    const cases = [
      new NodeUnreachableError('n1'),
      new EngineError('n1', 'start x-sidecar', socketError('ECONNREFUSED')),
      new EngineError('n1', 'inspect x', socketError('ENOENT')),
      new EngineError('n1', 'create x', new Error('socket hang up')),
    ];
    for (const err of cases) {
      const e = asJobError(err);
      expect(e).toBeInstanceOf(DependencyDownError);
      expect((e as DependencyDownError).dependency).toBe('engine');
      expect(errorDisposition(e)).toBe('wait');
    }
  });

  it("an engine's own refusal is retried a bounded number of times; a missing image or a taken port fails", () => {
    const http500 = Object.assign(new Error('(HTTP code 500) server error'), { statusCode: 500 });
    expect(errorDisposition(asJobError(new EngineError('n1', 'start x', http500)))).toBe('retry');
    expect(asJobError(new ImageUnavailableError('nn/x:1', 'n1'))).toBeInstanceOf(PermanentError);
    expect(errorDisposition(asJobError(new PortConflictError('n1', 7770, null)))).toBe('fail');
  });

  it('Redis restarting (commands failing fast) is waited for', () => {
    const e = asJobError(
      Object.assign(new Error('Reached the max retries per request limit'), {
        name: 'MaxRetriesPerRequestError',
      }),
    );
    expect(e).toBeInstanceOf(DependencyDownError);
    expect((e as DependencyDownError).dependency).toBe('redis');
  });

  it('an Iguana sidecar that does not answer or answers 5xx is waited for; its 4xx answers stand', async () => {
    const down = await iguanaCall(async () => {
      throw new TransientError('POST http://127.0.0.1:1/v1/coins: no answer (connect ECONNREFUSED)');
    }).catch((err: unknown) => err);
    expect(down).toBeInstanceOf(DependencyDownError);
    expect((down as DependencyDownError).dependency).toBe('iguana');
    expect((down as Error).message).toBe(
      'Iguana: POST http://127.0.0.1:1/v1/coins: no answer (connect ECONNREFUSED)',
    );
    const refused = await iguanaCall(async () => {
      throw new PermanentError('register X with Iguana: Iguana sidecar answered HTTP 400: bad name');
    }).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(PermanentError);
    expect(await iguanaCall(async () => 'registered')).toBe('registered');
  });
});
