import { vi } from 'vitest';
import { nodeUpgradeCrashSuite, UPGRADE_CRASHES } from '../orchestrator/node-upgrade-crash-suite.js';

// node.upgrade killed at every step of every daemon (sixteen cases on one devnet node); CI runs a
// representative five (test/orchestrator/node-upgrade-crash.test.ts).

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

nodeUpgradeCrashSuite(UPGRADE_CRASHES);
