import type { Params } from './params.js';

/** One RPC method: its name, the help text komodod prints, and its handler. */
export interface RpcMethod<Ctx> {
  readonly name: string;
  readonly category: string;
  /** First line of `help <name>`; also the message of the -1 error on a wrong parameter count. */
  readonly usage: string;
  readonly minParams: number;
  readonly maxParams: number;
  run(ctx: Ctx, params: Params): unknown | Promise<unknown>;
}

export type MethodTable<Ctx> = ReadonlyMap<string, RpcMethod<Ctx>>;

export function methodTable<Ctx>(...groups: ReadonlyArray<RpcMethod<Ctx>>[]): MethodTable<Ctx> {
  const table = new Map<string, RpcMethod<Ctx>>();
  for (const group of groups) {
    for (const m of group) {
      if (table.has(m.name)) throw new Error(`duplicate RPC method ${m.name}`);
      table.set(m.name, m);
    }
  }
  return table;
}
