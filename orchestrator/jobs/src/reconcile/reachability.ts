import type { JobsDeps } from '../context.js';

/**
 * The nodes whose engine does not answer now. While an engine is away its units cannot be seen (the
 * runtime lists nothing there), which is not the same as gone: reconcile leaves them alone until the
 * engine answers again (its event stream's 'restored' queues a sweep), so a link down for a minute
 * restarts nothing.
 */
export async function unreachableNodes(deps: JobsDeps): Promise<Set<string>> {
  const nodes = await deps.runtime.nodes();
  return new Set(nodes.filter((n) => !n.reachable).map((n) => n.name));
}
