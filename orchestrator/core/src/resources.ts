import { z } from 'zod';

const GIB = 1024 ** 3;

/** What one chain unit (daemon + sidecar) reserves on its node. */
export const chainResourcesSchema = z.strictObject({
  memoryBytes: z
    .number({ error: 'must be a number of bytes' })
    .int({ error: 'must be a whole number of bytes' })
    .min(64 * 1024 ** 2, { error: 'at least 64 MiB' })
    .max(2 ** 50, { error: 'at most 1 PiB' }),
  diskBytes: z
    .number({ error: 'must be a number of bytes' })
    .int({ error: 'must be a whole number of bytes' })
    .min(GIB / 4, { error: 'at least 256 MiB' })
    .max(2 ** 50, { error: 'at most 1 PiB' }),
});
export type ChainResources = z.infer<typeof chainResourcesSchema>;

/**
 * The default reservation. Small assetchains run komodod in well under 1 GiB; the busy ones (PIRATE) take
 * more, and set their own. Disk covers the chain data plus zcash params shared per node.
 */
export const DEFAULT_CHAIN_RESOURCES: ChainResources = Object.freeze({
  memoryBytes: 2 * GIB,
  diskBytes: 20 * GIB,
});

/**
 * The reservation of a chain whose daemon is the devchain stand-in (a devnet's own chains): devchain and
 * its sidecar settle near 140 MiB resident together (docs/benchmarks.md), and a devnet's chains hold no
 * history to store. The memory is also the daemon's limit, so it keeps a wide margin.
 */
export const DEVCHAIN_CHAIN_RESOURCES: ChainResources = Object.freeze({
  memoryBytes: GIB / 2,
  diskBytes: 2 * GIB,
});
