import {
  type ChainId,
  chainIdSchema,
  type NodeName,
  nodeNameSchema,
  parseOrThrow,
} from '@nn/orchestrator-core';

/** Checks an id that may come from outside (an API path) before it is used in a key. */
export function checkChainId(id: string): ChainId {
  return parseOrThrow(chainIdSchema, id, 'chainId');
}

/** Checks a node name that may come from outside before it is used in a key. */
export function checkNodeName(name: string): NodeName {
  return parseOrThrow(nodeNameSchema, name, 'node');
}
