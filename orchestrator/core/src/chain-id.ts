import { type ChainIdentity, crc32 } from '@nn/komodo-params';
import { z } from 'zod';
import { DNS_LABEL_MAX, dnsLabelProblem } from './names.js';

// A chain's id names its containers, volumes, Kubernetes objects and Redis keys, and appears in API paths.
// It is derived from the (ac_name, datadir) identity through the name Iguana uses (GLEEC_OLD for the old
// GLEEC), so it reads like the coin: `ccl`, `gleec-old`. Two identities that fold to the same id (CCL and
// ccl) are refused as a conflict by the state store rather than silently renamed.

/** A chain id: a DNS label that starts with a letter (DNS-1035, what Kubernetes Services need). */
export const chainIdSchema = z
  .string({ error: 'must be a string (a chain id)' })
  .superRefine((value, ctx) => {
    const problem = dnsLabelProblem(value) ?? (/^[a-z]/.test(value) ? undefined : 'must start with a-z');
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .brand<'ChainId'>();
export type ChainId = z.infer<typeof chainIdSchema>;

const HASH_SUFFIX_LENGTH = 9; // '-' + 8 hex digits

/**
 * The id for an identity. Only ever called with an identity from a validated entry: lower-cased, '.' and
 * '_' become '-', runs of '-' collapse, a leading digit gets a `c-` prefix; a name too long for a DNS
 * label is cut and ends with the crc32 of the identity key so it stays unique and stable.
 */
export function chainIdFor(identity: Pick<ChainIdentity, 'iguanaName' | 'key'>): ChainId {
  let id = identity.iguanaName
    .toLowerCase()
    .replace(/[._]/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '');
  if (!/^[a-z]/.test(id)) id = id.length === 0 ? 'c' : `c-${id}`;
  if (id.length > DNS_LABEL_MAX) {
    const hash = crc32(new TextEncoder().encode(identity.key)).toString(16).padStart(8, '0');
    id = `${id.slice(0, DNS_LABEL_MAX - HASH_SUFFIX_LENGTH).replace(/-+$/, '')}-${hash}`;
  }
  return chainIdSchema.parse(id);
}
