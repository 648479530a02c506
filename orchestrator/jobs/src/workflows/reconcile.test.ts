import type { ChainRecord, ChainStatus } from '@nn/orchestrator-core';
import type { RepairRecord } from '@nn/orchestrator-state';
import type { UnitHandle, UnitState } from '@nn/runtime';
import { describe, expect, it } from 'vitest';
import { backDependencies, diffChain, failedRetryDue, isStrandedRequest } from './reconcile.js';

const placement = { node: 'n1', p2pPort: 1, sidecarPort: 2 };
const chain = (status: ChainStatus, placed = true, statusReason?: string) =>
  ({
    status,
    ...(placed ? { placement } : {}),
    ...(statusReason ? { statusReason } : {}),
    spec: { id: 'ccl', identity: { iguanaName: 'CCL' } },
  }) as unknown as ChainRecord;
const unit = (state: UnitState) => ({ state }) as UnitHandle;

describe('reconcile diff (desired vs observed)', () => {
  it('repairs a chain that came up once by a restart, never a fresh chain.add', () => {
    for (const status of ['ready', 'restarting', 'upgrading'] as const) {
      expect(diffChain(chain(status), undefined)).toBe('restart');
      expect(diffChain(chain(status), unit('stopped'))).toBe('restart');
      expect(diffChain(chain(status), unit('partial'))).toBe('restart');
      expect(diffChain(chain(status), unit('running'))).toBe('none');
    }
  });

  it('finishes an interrupted chain.add with chain.add', () => {
    for (const status of ['syncing', 'starting', 'provisioning'] as const) {
      expect(diffChain(chain(status), undefined)).toBe('redeploy');
      expect(diffChain(chain(status), unit('stopped'))).toBe('redeploy');
      expect(diffChain(chain(status), unit('partial'))).toBe('redeploy');
      expect(diffChain(chain(status), unit('running'))).toBe('none');
    }
    // A ready chain without a placement (never in practice) has nothing a restart could use.
    expect(diffChain(chain('ready', false), undefined)).toBe('redeploy');
  });

  it('restarts a unit whose daemon sits in a dead namespace', () => {
    expect(diffChain(chain('ready'), unit('degraded'))).toBe('restart');
    expect(diffChain(chain('syncing'), unit('degraded'))).toBe('restart');
  });

  it('registers a ready, running chain that Iguana does not list, unless dPoW is off for it', () => {
    expect(diffChain(chain('ready'), unit('running'), { registered: false })).toBe('register');
    expect(diffChain(chain('ready'), unit('running'), { registered: true })).toBe('none');
    expect(diffChain(chain('ready'), unit('running'), undefined)).toBe('none'); // Iguana did not answer
    expect(diffChain(chain('ready', true, 'dpow: off'), unit('running'), { registered: false })).toBe('none');
    expect(diffChain(chain('syncing'), unit('running'), { registered: false })).toBe('none');
    // A stopped unit is restarted first; the restart registers it.
    expect(diffChain(chain('ready'), unit('stopped'), { registered: false })).toBe('restart');
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

  it('tries a failed chain again at its next retry time, or a whole period after it failed', () => {
    const now = Date.parse('2025-01-01T01:00:00.000Z');
    const failed = (updatedAt: string) => ({ status: 'failed', updatedAt }) as ChainRecord;
    const repair = (nextRetryAt: string) => ({ nextRetryAt }) as RepairRecord;
    expect(failedRetryDue(failed('2025-01-01T00:50:00.000Z'), undefined, now, 600_000)).toBe(true);
    expect(failedRetryDue(failed('2025-01-01T00:50:00.001Z'), undefined, now, 600_000)).toBe(false);
    const old = failed('2025-01-01T00:00:00.000Z');
    expect(failedRetryDue(old, repair('2025-01-01T01:00:00.000Z'), now, 600_000)).toBe(true);
    expect(failedRetryDue(old, repair('2025-01-01T01:00:00.001Z'), now, 600_000)).toBe(false);
    const ready = { status: 'ready', updatedAt: '2025-01-01T00:00:00.000Z' } as ChainRecord;
    expect(failedRetryDue(ready, undefined, now, 600_000)).toBe(false);
  });

  it('knows which dependencies are back: Redis always, engines, Iguana answering, node units that are fine', () => {
    expect([...backDependencies(undefined, false, false)]).toEqual(['redis']);
    expect([...backDependencies(undefined, true, true)].sort()).toEqual(['engine', 'iguana', 'redis']);
    const units = {
      outcome: 'done' as const,
      units: [
        { role: 'destination' as const, unit: 'n-ltc', action: 'none' as const, ok: true },
        { role: 'main' as const, unit: 'n-kmd', action: 'deploy' as const, ok: true },
        {
          role: 'iguana' as const,
          unit: 'n-iguana',
          action: 'deploy' as const,
          ok: false,
          error: 'not ready',
        },
      ],
    };
    expect([...backDependencies(units, false, true)].sort()).toEqual([
      'destination',
      'engine',
      'kmd',
      'redis',
    ]);
  });
});
