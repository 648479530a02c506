// biome-ignore-all lint/suspicious/noTemplateCurlyInString: network files write placeholders as ${name}, literally
import { assetchainEntrySchema, chainIdentity } from '@nn/komodo-params';
import { z } from 'zod';
import { flagValue, rpcExposure, unknownPlaceholders } from './command-line.js';
import { binary, fileName, homePath, homePathProblem, image, port, symbol, text } from './fields.js';

// One network file (networks/<name>.json, or an operator's own): everything a notary node of that
// network runs, as data. Strict everywhere: an unknown key is an error, not something silently ignored.

const word = text(400).superRefine((w, ctx) => {
  const unknown = unknownPlaceholders(w);
  if (unknown.length > 0)
    ctx.addIssue({
      code: 'custom',
      message: `unknown placeholder ${unknown.map((n) => `\${${n}}`).join(', ')}`,
    });
  const exposed = rpcExposure(w);
  if (exposed) ctx.addIssue({ code: 'custom', message: exposed });
});
const args = z.array(word).max(64, 'at most 64 words');

/** A chain daemon of the node itself: the dPoW destination (LTC) or the main chain (KMD, KMDCL). */
const chainDaemon = z.strictObject({
  role: z.enum(['destination', 'main']),
  /** The chain's own symbol (KMDCL), shown in status. */
  chain: symbol,
  /** The coin name Iguana knows the chain by (`newcoin` in addcoin: KMD even on KMDCL). */
  coin: symbol,
  /** What the daemon speaks: komodod's RPC and flags, or Bitcoin Core's (litecoind). */
  flavour: z.enum(['komodo', 'bitcoin']),
  image,
  binary,
  /** The data dir as the real daemon expects it, relative to the unit's home: .kmdclassic, .litecoin. */
  datadir: homePath,
  conf: fileName,
  ports: z.strictObject({ p2p: port, rpc: port }),
  /** Ports published outside the unit: p2p only, never RPC. */
  publish: z.array(port).max(4).default([]),
  /** The exact argv after the program name. */
  args,
  /** The notary key is imported (importprivkey without rescan) into this daemon's wallet. */
  importKey: z.boolean(),
});

const iguanaDaemon = z.strictObject({
  role: z.literal('iguana'),
  image,
  binary,
  /** Iguana's working dir, relative to the unit's home (it reads elected and passphrase from there). */
  datadir: homePath,
  args,
  /** Extra environment of the program (never secrets). */
  env: z
    .array(text(200).regex(/^[A-Z][A-Z0-9_]*=/, 'must be NAME=value'))
    .max(8)
    .default([]),
});

const daemon = z.discriminatedUnion('role', [chainDaemon, iguanaDaemon], {
  error: 'role: must be destination, main or iguana',
});

const pubkeyHex = z.string().regex(/^(02|03)[0-9a-fA-F]{64}$/, 'must be a 66-hex compressed pubkey');

/** Iguana's elected file (dPoW iguana/elected format), or `local`: this node alone, built at `up`. */
const elected = z.strictObject({
  /** Where the notary list comes from (upstream path at a commit), for a reviewer. */
  source: z
    .strictObject({ repository: text(140), commit: z.string().regex(/^[0-9a-f]{7,40}$/), path: text(200) })
    .optional(),
  port,
  BTCminsigs: z.number().int().min(1).max(64).optional(),
  minsigs: z.number().int().min(1).max(64),
  seeds: z.array(z.string().regex(/^[A-Za-z0-9.:-]{1,253}$/, 'must be a host or IP')).max(64),
  notaries: z.union([
    z.literal('local'),
    z
      .array(
        z
          .record(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a notary name'), pubkeyHex)
          .refine((o) => Object.keys(o).length === 1, 'each notary is one {"name": "pubkey"} pair'),
      )
      .min(1)
      .max(64),
  ]),
});

const STEP =
  /^(unlock-utxos|start|myipaddr|addnotary|walletpassphrase|(addcoin|dpow) [A-Z0-9][A-Za-z0-9_]{0,63})$/;

const iguana = z.strictObject({
  /** The HTTP API, on 127.0.0.1 inside the unit only. */
  api: port,
  /** The notary p2p port, published (the elected file's `port`). */
  p2p: port,
  elected,
  /** The peers the start-up sequence adds with addnotary, in order. */
  addnotary: z.array(z.string().regex(/^[A-Za-z0-9.:-]{1,253}$/, 'must be a host or IP')).max(64),
  /** The network's m_notary_main, step by step. */
  startup: z
    .array(
      z
        .string()
        .regex(
          STEP,
          'must be unlock-utxos, start, myipaddr, addnotary, walletpassphrase, "addcoin COIN" or "dpow COIN"',
        ),
    )
    .min(1),
});

/** Every assetchain of the network runs the same daemon; `${ac_name}` names the chain in paths. */
const assetchains = z.strictObject({
  image,
  binary,
  /** The data dir as the daemon puts it for -ac_name=NAME, relative to the home: .kmdclassic/${ac_name}. */
  datadir: homePath,
  conf: fileName,
  /** The argv; the word `${entry}` stands for the entry's flags in assetchains.json order. */
  args: z.array(z.union([z.literal('${entry}'), word])).max(64),
  /** The entries, in assetchains.json form (dPoW iguana/assetchains.json). */
  entries: z.array(assetchainEntrySchema).max(256),
});

/** One chain notarised by this node's Iguana: the `dpow` call's symbol, its destination and frequency. */
const dpow = z.strictObject({
  /** The chain's symbol (a daemon's `chain`, or an assetchain's Iguana name). */
  chain: symbol,
  /** Iguana's coin name (the `symbol` of the dpow call). */
  coin: symbol,
  /** The coin it is notarised into: one the node runs. */
  dest: symbol,
  /** Blocks between notarisations, when the network sets it. */
  freq: z.number().int().min(1).max(100_000).optional(),
});

const node = z.strictObject({
  /** The notary key: generated here (devnet) or the operator's passphrase. */
  key: z.enum(['generated', 'operator']),
  /** Whether assetchains.json's addnode seeds reach the daemons. */
  useSeedNodes: z.boolean(),
  /** Chains need peers to count as ready. */
  requirePeers: z.boolean(),
  /** The node mines its own funds first (devnet only: the stand-ins start from an empty chain). */
  fundLocally: z.boolean(),
  /** Seconds a daemon gets to stop before it is killed. */
  stopTimeoutSec: z.number().int().min(1).max(3600),
});

export const networkNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,31}$/, 'must be 1-32 of a-z, 0-9, "-", starting with a letter');

const networkShape = z.strictObject({
  name: networkNameSchema,
  description: text(1000),
  /** Facts an operator must know before this network can mean anything. */
  notices: z.array(text(1000)).max(16),
  daemons: z.array(daemon).min(1).max(3),
  /** zcash params komodod-family daemons refuse to start without; null when no daemon needs them. */
  zcashParams: z.strictObject({ path: homePath }).nullable(),
  assetchains,
  dpow: z.array(dpow).max(256),
  iguana: iguana.nullable(),
  node,
});

export type NetworkInput = z.input<typeof networkShape>;

export const networkSchema = networkShape.superRefine((n, ctx) => {
  const roles = n.daemons.map((d) => d.role);
  for (const role of ['destination', 'main', 'iguana'] as const)
    if (roles.filter((r) => r === role).length > 1)
      ctx.addIssue({ code: 'custom', path: ['daemons'], message: `more than one ${role} daemon` });
  if (!roles.includes('main')) ctx.addIssue({ code: 'custom', path: ['daemons'], message: 'no main daemon' });
  const hasIguana = roles.includes('iguana');
  if (hasIguana !== (n.iguana !== null))
    ctx.addIssue({
      code: 'custom',
      path: ['iguana'],
      message: hasIguana
        ? 'an iguana daemon needs the iguana section'
        : 'must be null: no iguana daemon runs',
    });
  n.daemons.forEach((d, i) => {
    if (d.role === 'iguana') return;
    const at = ['daemons', i];
    if (d.publish.includes(d.ports.rpc))
      ctx.addIssue({
        code: 'custom',
        path: [...at, 'publish'],
        message: `${d.ports.rpc} is the RPC port: only p2p ports are published`,
      });
    const rpcport = flagValue(d.args, 'rpcport');
    if (rpcport !== undefined && d.publish.includes(Number(rpcport)))
      ctx.addIssue({
        code: 'custom',
        path: [...at, 'args'],
        message: `-rpcport=${rpcport} is a published port: the RPC port never leaves the unit`,
      });
  });
  checkDatadirs(n, ctx);
  checkDpow(n, ctx);
});

export type Network = z.output<typeof networkSchema>;
export type ChainDaemon = Extract<Network['daemons'][number], { role: 'destination' | 'main' }>;
export type IguanaDaemon = Extract<Network['daemons'][number], { role: 'iguana' }>;

type Ctx = z.RefinementCtx;

/** assetchains.json's own datadir values must stay in the unit's home too (`${HOME}/...`). */
function checkDatadirs(n: z.output<typeof networkShape>, ctx: Ctx): void {
  n.assetchains.entries.forEach((e, i) => {
    if (e.datadir === undefined) return;
    const home = ['$', '{HOME}/'].join('');
    const problem = e.datadir.startsWith(home)
      ? homePathProblem(e.datadir.slice(home.length))
      : `must start with ${home}`;
    if (problem)
      ctx.addIssue({
        code: 'custom',
        path: ['assetchains', 'entries', i, 'datadir'],
        message: `${problem} (the data dir must be inside the unit's volume)`,
      });
  });
}

/** Every notarised chain is one the node runs, into a coin the node runs, and Iguana is there to do it. */
function checkDpow(n: z.output<typeof networkShape>, ctx: Ctx): void {
  const chainDaemons = n.daemons.filter((d) => d.role !== 'iguana');
  const coins = new Set(chainDaemons.map((d) => d.coin));
  const chains = new Set<string>(chainDaemons.map((d) => d.chain));
  for (const e of n.assetchains.entries) chains.add(chainIdentity(e).iguanaName);
  const dpowCoins = new Set<string>();
  n.dpow.forEach((d, i) => {
    const at = ['dpow', i];
    if (!chains.has(d.chain))
      ctx.addIssue({
        code: 'custom',
        path: [...at, 'chain'],
        message: `${d.chain} is not a chain this node runs (daemons and assetchains: ${[...chains].join(', ')})`,
      });
    if (!coins.has(d.dest))
      ctx.addIssue({
        code: 'custom',
        path: [...at, 'dest'],
        message: `${d.dest} is not a chain this node runs (its daemons' coins: ${[...coins].join(', ')})`,
      });
    if (d.dest === d.coin)
      ctx.addIssue({
        code: 'custom',
        path: [...at, 'dest'],
        message: 'a chain cannot be notarised into itself',
      });
    if (dpowCoins.has(d.coin))
      ctx.addIssue({ code: 'custom', path: [...at, 'coin'], message: `${d.coin} is notarised twice` });
    dpowCoins.add(d.coin);
  });
  if (n.dpow.length > 0 && n.iguana === null)
    ctx.addIssue({
      code: 'custom',
      path: ['dpow'],
      message: 'chains are notarised but the node runs no Iguana',
    });
  if (n.iguana === null) return;
  const known = new Set([...coins, ...n.assetchains.entries.map((e) => chainIdentity(e).iguanaName)]);
  n.iguana.startup.forEach((step, i) => {
    const [verb, coin = ''] = step.split(' ');
    if (verb === 'addcoin' && !known.has(coin))
      ctx.addIssue({
        code: 'custom',
        path: ['iguana', 'startup', i],
        message: `${coin} is not a coin this node runs`,
      });
    if (verb === 'dpow' && !dpowCoins.has(coin))
      ctx.addIssue({ code: 'custom', path: ['iguana', 'startup', i], message: `${coin} has no dpow entry` });
  });
  if (n.iguana.elected.port !== n.iguana.p2p)
    ctx.addIssue({
      code: 'custom',
      path: ['iguana', 'elected', 'port'],
      message: `must be Iguana's p2p port ${n.iguana.p2p}`,
    });
}
