import type { NodeContext } from '../../node/context.js';
import type { RpcMethod } from '../method.js';
import type { Params } from '../params.js';

/** Shorthand for a method of the node's table; `usage` doubles as the wrong-arity help text. */
export function method(
  name: string,
  category: string,
  arity: [min: number, max: number],
  usage: string,
  run: (ctx: NodeContext, p: Params) => unknown,
): RpcMethod<NodeContext> {
  return { name, category, usage, minParams: arity[0], maxParams: arity[1], run };
}
