import type { NodeContext } from '../../node/context.js';
import { KOMODO_WALLET_VERSION, komodoVersionInfo } from '../../node/versions.js';
import { KEYPOOL_SIZE, WALLET_TX_FEE } from '../../wallet/wallet.js';
import { RpcCode, RpcError } from '../errors.js';
import { Amount } from '../json.js';
import type { RpcMethod } from '../method.js';
import { method } from './define.js';

/** komodod's minRelayTxFee (1000 sat/kB), reported as relayfee. */
export const RELAY_FEE = 1000n;

export function longestChain(ctx: NodeContext): number {
  return Math.max(ctx.peers.longestChain, ctx.chain.height);
}

export function isSynced(ctx: NodeContext): boolean {
  return ctx.chain.height >= longestChain(ctx);
}

/** komodod's getinfo, field for field and in komodod's order (rpc/misc.cpp). */
export function getinfo(ctx: NodeContext): Record<string, unknown> {
  const { cfg, chain, wallet, notarised, dest } = ctx;
  const v = komodoVersionInfo(cfg);
  const info: Record<string, unknown> = {
    version: v.client,
    protocolversion: v.protocol,
    KMDversion: v.kmdVersion,
    synced: isSynced(ctx),
    notarized: notarised.height,
    prevMoMheight: notarised.prevMoMheight,
    notarizedhash: notarised.hash,
    notarizedtxid: notarised.desttxid,
    notarizedtxid_height: dest.notarizedTxidHeight > 0 ? dest.notarizedTxidHeight : 'mempool',
  };
  if (cfg.isAssetchain) info.KMDnotarized_height = dest.destHeight;
  const txidHeight = dest.notarizedTxidHeight;
  info.notarized_confirms = txidHeight < dest.destHeight ? dest.destHeight - txidHeight + 1 : 0;
  info.walletversion = KOMODO_WALLET_VERSION;
  if (!cfg.isAssetchain) info.interest = new Amount(0n);
  info.balance = new Amount(wallet.balance());
  info.blocks = chain.height;
  info.longestchain = longestChain(ctx);
  info.tiptime = chain.tip.block.header.time;
  info.difficulty = 1;
  info.keypoololdest = wallet.oldestKeyTime;
  info.keypoolsize = KEYPOOL_SIZE;
  info.paytxfee = new Amount(WALLET_TX_FEE);
  info.sapling = cfg.sapling;
  info.timeoffset = 0;
  info.connections = ctx.peers.connectionCount;
  info.proxy = '';
  info.testnet = cfg.network !== 'main';
  info.relayfee = new Amount(RELAY_FEE);
  info.errors = '';
  if (ctx.pubkey) {
    // komodo_whoami: the pubkey's index among the elected notaries (-devnotaries), shown when it is one.
    const notaryid = cfg.notaries?.pubkeys.indexOf(ctx.pubkey) ?? -1;
    if (notaryid >= 0) info.notaryid = notaryid;
    info.pubkey = ctx.pubkey;
  }
  if (cfg.cc !== 0) info.CCid = cfg.cc;
  Object.assign(info, { name: cfg.name, p2pport: cfg.p2pPort, rpcport: cfg.rpcPort }, cfg.getinfoExtras);
  return info;
}

export function controlMethods(flavourProduct: string): RpcMethod<NodeContext>[] {
  return [
    method('stop', 'control', [0, 1], `stop\n\nStop ${flavourProduct} server.`, (ctx) => {
      ctx.requestStop();
      if (ctx.cfg.flavour === 'bitcoin') return `${ctx.cfg.product} Core stopping`;
      return ctx.cfg.isAssetchain ? `${ctx.cfg.name} server stopping` : 'Komodo server stopping';
    }),
    method('uptime', 'control', [0, 0], 'uptime\n\nReturns the total uptime of the server.', () =>
      Math.floor(process.uptime()),
    ),
  ];
}

export const komodoInfoMethods: RpcMethod<NodeContext>[] = [
  method(
    'getinfo',
    'control',
    [0, 0],
    'getinfo\n\nReturns an object containing various state info.',
    async (ctx) => {
      await ctx.dest.refresh();
      return getinfo(ctx);
    },
  ),
];

/** `help` needs the finished table, so it is built last. */
export function helpMethod(table: () => ReadonlyMap<string, RpcMethod<NodeContext>>): RpcMethod<NodeContext> {
  return method(
    'help',
    'control',
    [0, 1],
    'help ( "command" )\n\nList all commands, or get help for a specified command.',
    (_ctx, p) => {
      const all = table();
      if (p.has(0)) {
        const name = p.str(0);
        const m = all.get(name);
        if (!m) return `help: unknown command: ${name}`;
        return m.usage;
      }
      const byCategory = new Map<string, string[]>();
      for (const m of all.values()) {
        // komodod's help lists no "hidden" command (kmdclassicd's nn_split is one); `help NAME` shows it.
        if (m.category === 'hidden') continue;
        const list = byCategory.get(m.category) ?? [];
        list.push(m.usage.split('\n')[0] ?? m.name);
        byCategory.set(m.category, list);
      }
      return [...byCategory.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([cat, lines]) => `== ${cat[0]?.toUpperCase()}${cat.slice(1)} ==\n${lines.sort().join('\n')}`)
        .join('\n\n');
    },
  );
}

export function notImplemented(name: string, category: string, why: string): RpcMethod<NodeContext> {
  return method(name, category, [0, 10], `${name}\n\nNot implemented by devchain: ${why}`, () => {
    throw new RpcError(RpcCode.MISC_ERROR, `devchain does not implement ${name}: ${why}`);
  });
}
