import {
  assetMagic,
  chainIdentity,
  entryToArgs,
  KomodoArgsError,
  p2pPort,
  parseKomodoArgs,
  rpcPort,
} from '@nn/komodo-params';
import { z } from 'zod';
import { type ChainEntry, chainEntrySchema } from './chain-entry.js';
import { type ChainId, chainIdFor, chainIdSchema } from './chain-id.js';
import { ValidationError } from './errors/validation-error.js';
import { imageRefSchema } from './image-ref.js';
import { nodeNameSchema } from './names.js';
import { type ChainResources, chainResourcesSchema, DEFAULT_CHAIN_RESOURCES } from './resources.js';
import { parseOrThrow } from './zod-issues.js';

// A ChainSpec is the desired state of one assetchain: the assetchains.json entry as given, plus everything
// derived from it (identity, id, magic, ports) and what the operator chose (image, node, resources).
// Derived fields are recomputed and compared whenever a spec is parsed, so a spec read back from Redis or
// sent by a client can never carry an id or a port its entry does not imply.

const port = z.number().int().min(1).max(65535);

const identitySchema = z.strictObject({
  acName: z.string(),
  datadir: z.string(),
  customDatadir: z.boolean(),
  iguanaName: z.string(),
  key: z.string(),
});

const chainSpecShape = z.strictObject({
  id: chainIdSchema,
  identity: identitySchema,
  entry: chainEntrySchema,
  magic: z.number().int().min(0).max(0xffff_ffff),
  ports: z.strictObject({ p2p: port, rpc: port }),
  image: imageRefSchema,
  resources: chainResourcesSchema,
  requestedNode: nodeNameSchema.optional(),
});

/** The values derived from an entry: identity, id, magic and the default ports. */
export function deriveChain(entry: ChainEntry): {
  id: ChainId;
  identity: ReturnType<typeof chainIdentity>;
  magic: number;
  ports: { p2p: number; rpc: number };
} {
  // The placeholder home never leaves this function: only the consensus flags feed magic and ports.
  const params = parseKomodoArgs(entryToArgs(entry, { home: '/nonexistent' })).chain;
  const identity = chainIdentity(entry);
  return {
    id: chainIdFor(identity),
    identity,
    magic: assetMagic(params),
    ports: { p2p: p2pPort(params), rpc: rpcPort(params) },
  };
}

export const chainSpecSchema = chainSpecShape.superRefine((spec, ctx) => {
  let derived: ReturnType<typeof deriveChain>;
  try {
    derived = deriveChain(spec.entry);
  } catch (err) {
    if (!(err instanceof KomodoArgsError)) throw err;
    return; // already reported by the entry schema
  }
  const expect = (path: string[], actual: unknown, wanted: unknown) => {
    if (JSON.stringify(actual) !== JSON.stringify(wanted))
      ctx.addIssue({
        code: 'custom',
        path,
        message: `does not match the entry (expected ${JSON.stringify(wanted)})`,
      });
  };
  expect(['id'], spec.id, derived.id);
  expect(['identity'], spec.identity, derived.identity);
  expect(['magic'], spec.magic, derived.magic);
  expect(['ports'], spec.ports, derived.ports);
});
export type ChainSpec = z.infer<typeof chainSpecSchema>;

/** The body of "add a chain": one assetchains.json entry, optionally where and with which image. */
export const addChainRequestSchema = z.strictObject({
  entry: chainEntrySchema,
  node: nodeNameSchema.optional(),
  image: imageRefSchema.optional(),
  resources: chainResourcesSchema.optional(),
});
export type AddChainRequest = z.infer<typeof addChainRequestSchema>;

export interface ChainSpecDefaults {
  /** The image used when the request names none (the profile's assetchain image). */
  readonly image: string;
  readonly resources?: ChainResources;
}

/**
 * Validates an add-chain request (untrusted input) and builds the chain's spec. Throws ValidationError
 * naming each bad field (`entry.ac_supply: must be a string ...`, `node: ...`).
 */
export function buildChainSpec(request: unknown, defaults: ChainSpecDefaults): ChainSpec {
  const req = parseOrThrow(addChainRequestSchema, request);
  const image = parseOrThrow(imageRefSchema, req.image ?? defaults.image, 'image');
  const derived = deriveChain(req.entry);
  const spec = {
    id: derived.id,
    identity: derived.identity,
    entry: req.entry,
    magic: derived.magic,
    ports: derived.ports,
    image,
    resources: req.resources ?? defaults.resources ?? DEFAULT_CHAIN_RESOURCES,
    ...(req.node === undefined ? {} : { requestedNode: req.node }),
  };
  const checked = chainSpecSchema.safeParse(spec);
  // Unreachable unless derivation and checking disagree; reported, not swallowed.
  if (!checked.success) throw new ValidationError({ field: '', reason: checked.error.message });
  return checked.data;
}
