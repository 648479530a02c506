import { vi } from 'vitest';
import { CRASHES, nodeWalletResetSuite, REVIVED } from '../orchestrator/node-wallet-reset-suite.js';

// Every kill point of node.wallet-reset (main chain) on one devnet node: nine steps that change
// something, three of them also with the stopped units brought back before the take-over. CI runs a
// representative few (test/orchestrator/node-wallet-reset.test.ts).

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

nodeWalletResetSuite({ basics: false, crashes: CRASHES.map((c) => c.at), revived: REVIVED });
