import { vi } from 'vitest';
import { nodeUpgradeCrashSuite, UPGRADE_CRASHES } from './node-upgrade-crash-suite.js';

// node.upgrade killed at a representative few of its steps (see node-upgrade-crash-suite.ts): LTC's
// stop, KMD's recreate (old containers gone, new ones made, not started), the assetchain's readiness on
// its new image, Iguana's deploy, and the registration. Every step of every daemon runs in
// `pnpm test:chaos` (test/chaos/node-upgrade-crashes.test.ts): sixteen cases one after another on one
// node, longer than CI's budget allows.

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

const CI_CASES = new Set([
  'ltc stop|stopped',
  'kmd recreate|deploy files',
  'chain wait-ready|ready',
  'iguana start-iguana|deployed',
  'iguana register|registered',
]);

const cases = UPGRADE_CRASHES.filter((c) => CI_CASES.has(`${c.daemon} ${c.at}`));
if (cases.length !== CI_CASES.size) throw new Error('a CI case names no kill point of UPGRADE_CRASHES');
nodeUpgradeCrashSuite(cases);
