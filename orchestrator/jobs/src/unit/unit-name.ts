import { crc32 } from '@nn/komodo-params';

/** The runtime's limit on unit names (Docker names `<unit>-sidecar` and DNS aliases derive from it). */
export const UNIT_NAME_MAX = 48;

/**
 * The unit of a chain: `<prefix><chainId>`. A chain id may be 63 characters; a name over the runtime's
 * limit is cut and ends with the crc32 of the full name, so it stays unique and stable across re-runs.
 */
export function unitNameOf(prefix: string, chainId: string): string {
  const full = `${prefix}${chainId}`;
  if (full.length <= UNIT_NAME_MAX) return full;
  const hash = crc32(new TextEncoder().encode(full)).toString(16).padStart(8, '0');
  return `${full.slice(0, UNIT_NAME_MAX - 9).replace(/-+$/, '')}-${hash}`;
}
