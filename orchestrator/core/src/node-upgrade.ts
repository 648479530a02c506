import { z } from 'zod';
import { chainIdSchema } from './chain-id.js';
import { imageRefSchema } from './image-ref.js';

// What a whole-node upgrade may name, one grammar for nnctl, the API and the job's data:
//   destination   the dPoW destination chain's daemon (LTC)       aliases: ltc
//   main          the main chain's daemon (KMD, KMDCL)             aliases: kmd, kmdcl
//   iguana        Iguana's daemon
//   assetchains   every assetchain's daemon (a chain:<id> target wins over it for that chain)
//   chain:<id>    one assetchain's daemon, by its chain id (nnctl chain ls)
// A bare chain id is not a target: `ltc` or `kmd` could then mean a chain of that name as well.

export const NODE_UPGRADE_ROLES = ['destination', 'main', 'iguana', 'assetchains'] as const;
export type NodeUpgradeRole = (typeof NODE_UPGRADE_ROLES)[number];

const ALIASES: Readonly<Record<string, NodeUpgradeRole>> = {
  destination: 'destination',
  ltc: 'destination',
  main: 'main',
  kmd: 'main',
  kmdcl: 'main',
  iguana: 'iguana',
  assetchains: 'assetchains',
};

export type NodeUpgradeTarget =
  | { readonly kind: 'role'; readonly role: NodeUpgradeRole }
  | { readonly kind: 'chain'; readonly chainId: string };

export const NODE_UPGRADE_TARGETS_HELP =
  'destination (ltc), main (kmd, kmdcl), iguana, assetchains, or chain:<chain id>';

/** The target a key names, or a reason it names none. Role words are case-insensitive. */
export function parseUpgradeTarget(key: string): NodeUpgradeTarget | { readonly problem: string } {
  const role = ALIASES[key.toLowerCase()];
  if (role) return { kind: 'role', role };
  if (key.startsWith('chain:')) {
    const id = chainIdSchema.safeParse(key.slice('chain:'.length));
    if (id.success) return { kind: 'chain', chainId: id.data };
    return { problem: `not a chain id after chain: (${id.error.issues[0]?.message ?? 'invalid'})` };
  }
  return { problem: `not an upgrade target: use ${NODE_UPGRADE_TARGETS_HELP}` };
}

/** A key in its one spelling (aliases resolved), so `kmd` and `main` cannot both be given. */
export function canonicalTargetKey(t: NodeUpgradeTarget): string {
  return t.kind === 'role' ? t.role : `chain:${t.chainId}`;
}

/** At most this many targets: every role plus a few hundred chains is far more than a node runs. */
const MAX_TARGETS = 512;

/**
 * The images of an upgrade: target → image reference, every key in its canonical spelling (checked
 * here, so job data cannot carry an alias twice or an unknown role). At least one.
 */
export const nodeUpgradeImagesSchema = z
  .record(z.string().max(80, { error: 'at most 80 characters' }), imageRefSchema)
  .superRefine((images, ctx) => {
    const keys = Object.keys(images);
    if (keys.length === 0) ctx.addIssue({ code: 'custom', message: 'must name at least one image' });
    if (keys.length > MAX_TARGETS)
      ctx.addIssue({ code: 'custom', message: `at most ${MAX_TARGETS} targets` });
    for (const key of keys) {
      const t = parseUpgradeTarget(key);
      if ('problem' in t) ctx.addIssue({ code: 'custom', path: [key], message: t.problem });
      else if (canonicalTargetKey(t) !== key)
        ctx.addIssue({ code: 'custom', path: [key], message: `spell it ${canonicalTargetKey(t)}` });
    }
  });
export type NodeUpgradeImages = z.infer<typeof nodeUpgradeImagesSchema>;

const unitImageSchema = z.strictObject({
  unit: z.string().max(128),
  node: z.string().max(128),
  from: z.string().max(300),
  to: z.string().max(300),
});

/** One daemon the upgrade moves to another image, in the order it runs. */
export const plannedDaemonSchema = z.strictObject({
  /** Its target in the images' grammar: destination, main or chain:<id>. */
  target: z.string().max(80),
  kind: z.enum(['node-unit', 'chain']),
  /** The unit's name; a chain's is known to the workers (their unit prefix), not to the API. */
  unit: z.string().max(128).optional(),
  node: z.string().max(128),
  from: z.string().max(300),
  to: z.string().max(300),
});
export type PlannedDaemon = z.infer<typeof plannedDaemonSchema>;

/**
 * A whole-node upgrade as it will run (the job notes it once, before any change, and runs exactly it):
 * Iguana stopped, `daemons` one at a time, Iguana started last (`to` = `from` is a restart on the same
 * image, which the dPoW notes ask for after any daemon restart), then the chains registered again.
 */
export const nodeUpgradePlanSchema = z.strictObject({
  version: z.literal(1),
  daemons: z.array(plannedDaemonSchema).max(MAX_TARGETS),
  /** Null where the node runs no Iguana (a node of the checkpoint era). */
  iguana: unitImageSchema.nullable(),
  /** Targets already on the asked image: nothing to do for them. */
  unchanged: z.array(z.string().max(80)).max(MAX_TARGETS),
  /** Chains `assetchains` does not cover, and why (not placed, being removed). */
  skipped: z.array(z.strictObject({ target: z.string().max(80), reason: z.string().max(200) })).max(4096),
  /** Every image the upgrade runs, on the node it runs on: all must be there before anything stops. */
  images: z.array(z.strictObject({ node: z.string().max(128), image: z.string().max(300) })).max(4096),
});
export type NodeUpgradePlan = z.infer<typeof nodeUpgradePlanSchema>;
