import type { Engine } from './engine.js';

const ANY = new Set(['0.0.0.0', '::', '']);

/**
 * The first host port of `wanted` that a running container (other than `except`) already publishes on
 * the same address (or on every address), with its holder. Only running containers hold ports; a
 * stopped unit's ports are the orchestrator's bookkeeping, not the engine's.
 */
export async function findPortHolder(
  engine: Engine,
  wanted: ReadonlyArray<{ port: number; protocol: 'tcp' | 'udp' }>,
  except: ReadonlySet<string>,
): Promise<{ port: number; holder: string } | null> {
  const address = engine.config.address;
  const running = await engine.api.listContainers({});
  for (const c of running) {
    if (except.has(c.Id)) continue;
    for (const p of c.Ports ?? []) {
      if (!p.PublicPort) continue;
      const sameAddress = ANY.has(p.IP ?? '') || ANY.has(address) || p.IP === address;
      const hit = wanted.find((w) => w.port === p.PublicPort && w.protocol === p.Type && sameAddress);
      if (hit) return { port: hit.port, holder: `container ${(c.Names[0] ?? c.Id).replace(/^\//, '')}` };
    }
  }
  return null;
}
