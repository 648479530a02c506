import { z } from 'zod';

/**
 * Iguana's elected-notaries file (dPoW iguana/elected, 3rd_party, testnet2024; read by
 * dpow_rpc.c komodo_initjson): the notary p2p `port`, signature counts, seed peers and the notaries in
 * index order. Iguana exits when any notary entry is invalid; so does this parser, naming the entry.
 */
export const electedFileSchema = z
  .object({
    port: z.number().int().min(1).max(65535),
    /** Overrides the HTTP API port (newest builds). */
    rpcport: z.number().int().min(1).max(65535).optional(),
    /** Signatures for KMD→LTC/BTC notarisations; Iguana raises anything below DPOW_MINSIGS (4) to 4. */
    BTCminsigs: z.number().int().min(1).max(64).optional(),
    /** Signatures (= inputs) of every other notarisation. */
    minsigs: z.number().int().min(1).max(64),
    seeds: z
      .array(z.string().regex(/^[A-Za-z0-9.:-]{1,253}$/, 'must be a host or IP'))
      .max(64)
      .default([]),
    notaries: z
      .array(
        z
          .record(
            z.string().min(1).max(64),
            z.string().regex(/^(02|03)[0-9a-fA-F]{64}$/, 'must be a 66-hex compressed pubkey'),
          )
          .refine((o) => Object.keys(o).length === 1, 'each notary is one {"name": "pubkey"} pair'),
      )
      .min(1)
      .max(64),
  })
  .passthrough();

export interface ElectedNotary {
  readonly index: number;
  readonly name: string;
  readonly pubkey: string;
}

export interface ElectedFile {
  readonly port: number;
  readonly rpcport: number | undefined;
  readonly btcMinsigs: number | undefined;
  readonly minsigs: number;
  readonly seeds: readonly string[];
  readonly notaries: readonly ElectedNotary[];
}

/** DPOW_MINSIGS: Iguana's floor for BTCminsigs. */
export const DPOW_MINSIGS = 4;

export class ElectedFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ElectedFileError';
  }
}

export function parseElectedFile(text: string): ElectedFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ElectedFileError(
      `elected file is not JSON: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  const r = electedFileSchema.safeParse(raw);
  if (!r.success) {
    throw new ElectedFileError(
      `elected file: ${r.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; ')}`,
    );
  }
  return {
    port: r.data.port,
    rpcport: r.data.rpcport,
    btcMinsigs: r.data.BTCminsigs,
    minsigs: r.data.minsigs,
    seeds: r.data.seeds,
    notaries: r.data.notaries.map((o, index) => {
      const [name, pubkey] = Object.entries(o)[0] as [string, string];
      return { index, name, pubkey: pubkey.toLowerCase() };
    }),
  };
}
