import type { ChainRecord, ChainStatus } from '@nn/orchestrator-core';
import type { UnitHandle, UnitState } from '@nn/runtime';
import { describe, expect, it } from 'vitest';
import { diffNodeUnit } from './node-units.js';
import { shouldBeRegistered } from './registrations.js';

const unit = (state: UnitState) => ({ state }) as UnitHandle;
const chain = (id: string, status: ChainStatus, statusReason?: string) =>
  ({
    status,
    ...(statusReason ? { statusReason } : {}),
    spec: { id, identity: { iguanaName: id.toUpperCase() } },
  }) as unknown as ChainRecord;

describe('node units diff', () => {
  it('deploys a node unit that vanished, stopped, exited, lost a container or sits in a dead namespace', () => {
    expect(diffNodeUnit(undefined)).toBe('deploy');
    for (const state of ['stopped', 'partial', 'degraded'] as const)
      expect(diffNodeUnit(unit(state))).toBe('deploy');
    expect(diffNodeUnit(unit('running'))).toBe('none');
  });
});

describe("Iguana's coin list as desired state", () => {
  it('wants every ready chain whose dPoW is not off', () => {
    expect(shouldBeRegistered(chain('ccl', 'ready'))).toBe(true);
    expect(shouldBeRegistered(chain('ccl', 'ready', 'dpow: off'))).toBe(false);
    for (const status of ['syncing', 'failed', 'stopped', 'removing', 'restarting'] as const)
      expect(shouldBeRegistered(chain('ccl', status))).toBe(false);
  });
});
