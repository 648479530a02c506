import { readFileSync } from 'node:fs';
import { buildChainSpec, type ChainSpec, type NodeSpecInput } from '@nn/orchestrator-core';
import { fixturePath } from '@nn/testkit';

const GIB = 1024 ** 3;

/** The real Season 8 file (dPoW repository, iguana/assetchains.json), kept in test/fixtures. */
export function season8Entries(): Array<Record<string, unknown>> {
  return JSON.parse(readFileSync(fixturePath('assetchains.s8.json'), 'utf8')) as Array<
    Record<string, unknown>
  >;
}

export const TEST_IMAGE = 'nn/devchain:0.1.0';

export function specOf(entry: unknown, extra: Record<string, unknown> = {}): ChainSpec {
  return buildChainSpec({ entry, ...extra }, { image: TEST_IMAGE });
}

/** A node with room for `chains` default-sized (2 GiB, 20 GiB) chains and the usual port ranges. */
export function nodeInput(name: string, chains = 8, overrides: Partial<NodeSpecInput> = {}): NodeSpecInput {
  return {
    name,
    endpoint: { kind: 'tcp', host: `${name}.cluster.test`, port: 2375 },
    capacity: {
      memoryBytes: chains * 2 * GIB,
      diskBytes: chains * 20 * GIB,
      p2pPorts: { from: 1024, to: 59_999 },
      sidecarPorts: { from: 60_000, to: 60_999 },
      reservedPorts: [7770, 13848],
    },
    ...overrides,
  };
}
