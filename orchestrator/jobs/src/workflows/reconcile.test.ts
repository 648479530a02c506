import type { ChainRecord, ChainStatus } from '@nn/orchestrator-core';
import type { UnitHandle, UnitState } from '@nn/runtime';
import { describe, expect, it } from 'vitest';
import { diffChain, isStrandedRequest } from './reconcile.js';

const chain = (status: ChainStatus) => ({ status }) as ChainRecord;
const unit = (state: UnitState) => ({ state }) as UnitHandle;

describe('reconcile diff (desired vs observed)', () => {
  it('redeploys a running chain whose unit vanished, was stopped or lost a container', () => {
    for (const status of [
      'ready',
      'syncing',
      'starting',
      'provisioning',
      'restarting',
      'upgrading',
    ] as const) {
      expect(diffChain(chain(status), undefined)).toBe('redeploy');
      expect(diffChain(chain(status), unit('stopped'))).toBe('redeploy');
      expect(diffChain(chain(status), unit('partial'))).toBe('redeploy');
      expect(diffChain(chain(status), unit('running'))).toBe('none');
    }
  });

  it('restarts a unit whose daemon sits in a dead namespace', () => {
    expect(diffChain(chain('ready'), unit('degraded'))).toBe('restart');
  });

  it('leaves stopped, failed, removing and not yet deployed chains alone', () => {
    for (const status of ['stopped', 'failed', 'removing', 'requested'] as const)
      expect(diffChain(chain(status), undefined)).toBe('none');
    expect(diffChain(chain('placed'), undefined)).toBe('none');
    expect(diffChain(chain('failed'), unit('stopped'))).toBe('none');
  });

  it('removes an orphan unit (its chain is gone from the desired state)', () => {
    expect(diffChain(undefined, unit('running'))).toBe('remove-orphan');
    expect(diffChain(undefined, undefined)).toBe('none');
  });

  it('calls a chain stranded only when it has been requested, unchanged, for the whole grace', () => {
    const now = Date.parse('2025-01-01T00:10:00.000Z');
    const at = (status: ChainStatus, updatedAt: string) => ({ status, updatedAt }) as ChainRecord;
    expect(isStrandedRequest(at('requested', '2025-01-01T00:09:00.000Z'), now, 60_000)).toBe(true);
    expect(isStrandedRequest(at('requested', '2025-01-01T00:09:00.001Z'), now, 60_000)).toBe(false);
    expect(isStrandedRequest(at('requested', '2025-01-01T00:00:00.000Z'), now, 60_000)).toBe(true);
    for (const status of ['placed', 'failed', 'ready', 'removing'] as const)
      expect(isStrandedRequest(at(status, '2025-01-01T00:00:00.000Z'), now, 60_000)).toBe(false);
  });
});
