import { vi } from 'vitest';
import { nodeWalletResetSuite } from './node-wallet-reset-suite.js';

// node.wallet-reset of the main chain on the real engine (see node-wallet-reset-suite.ts): the reset,
// the preflight's refusal, and a representative few of its kill points — the broadcast, the set-aside
// (also with the units brought back before the take-over), the import, Iguana's readiness. Every kill
// point runs in `pnpm test:chaos` (test/chaos/node-wallet-reset-crashes.test.ts): the whole matrix is
// longer than CI's budget allows.

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

nodeWalletResetSuite({
  basics: true,
  crashes: ['send-to-self|sent', 'set-aside|set aside', 'import-key|imported', 'start-iguana|ready'],
  revived: ['set-aside|set aside'],
});
