import { toHex } from '@nn/chain-crypto';
import { headerBytes, serializeBlock } from '../../chain/block.js';
import type { BlockEntry } from '../../chain/chainstate.js';
import type { NodeContext } from '../../node/context.js';
import { RpcCode, RpcError } from '../errors.js';
import { Amount } from '../json.js';
import type { RpcMethod } from '../method.js';
import type { Params } from '../params.js';
import { scriptPubKeyJson, txJson } from '../txjson.js';
import { isSynced, longestChain } from './control.js';
import { method } from './define.js';
import { confirmations, parseHash } from './lookup.js';

function chainwork(height: number): string {
  return (height + 1).toString(16).padStart(64, '0');
}

function blockByParam(ctx: NodeContext, value: string): BlockEntry {
  if (value.length < 64) {
    if (!/^[0-9]+$/.test(value))
      throw new RpcError(RpcCode.INVALID_PARAMETER, 'Invalid block height parameter');
    const entry = ctx.chain.atHeight(Number(value));
    if (!entry) throw new RpcError(RpcCode.INVALID_PARAMETER, 'Block height out of range');
    return entry;
  }
  const entry = ctx.chain.byHash(value.toLowerCase());
  if (!entry) throw new RpcError(RpcCode.INVALID_ADDRESS_OR_KEY, 'Block not found');
  return entry;
}

function verbosityParam(p: Params, i: number): number {
  if (!p.has(i)) return 1;
  const v = p.raw(i);
  if (typeof v === 'boolean') return v ? 1 : 0;
  const n = p.int(i);
  if (n < 0 || n > 2) throw new RpcError(RpcCode.INVALID_PARAMETER, 'Verbosity must be in range from 0 to 2');
  return n;
}

function blockJson(ctx: NodeContext, entry: BlockEntry, verbosity: number): Record<string, unknown> {
  const { cfg, chain } = ctx;
  const h = entry.block.header;
  const confs = confirmations(ctx, entry);
  const next = chain.isActive(entry) ? chain.atHeight(entry.height + 1) : undefined;
  const txs =
    verbosity >= 2
      ? entry.block.txs.map((t) =>
          txJson(t, { flavour: cfg.flavour, prefixes: ctx.prefixes, includeHex: false }),
        )
      : entry.block.txs.map((t) => t.txid);
  if (cfg.flavour === 'bitcoin') {
    return {
      hash: entry.hash,
      confirmations: confs,
      size: entry.size,
      strippedsize: entry.size,
      weight: entry.size * 4,
      height: entry.height,
      version: h.version,
      versionHex: h.version.toString(16).padStart(8, '0'),
      merkleroot: h.merkleRoot,
      tx: txs,
      time: h.time,
      mediantime: chain.medianTimePast(entry),
      nonce: h.nonce,
      bits: h.bits.toString(16).padStart(8, '0'),
      difficulty: 1,
      chainwork: chainwork(entry.height),
      nTx: entry.block.txs.length,
      ...(entry.prev ? { previousblockhash: entry.prev.hash } : {}),
      ...(next ? { nextblockhash: next.hash } : {}),
    };
  }
  const nonce = new Uint8Array(32);
  new DataView(nonce.buffer).setUint32(0, h.nonce, true);
  return {
    last_notarized_height: ctx.notarised.height,
    hash: entry.hash,
    confirmations: confs,
    rawconfirmations: confs,
    size: entry.size,
    height: entry.height,
    version: h.version,
    merkleroot: h.merkleRoot,
    segid: -1,
    finalsaplingroot: '0'.repeat(64),
    tx: txs,
    time: h.time,
    nonce: toHex(nonce.slice().reverse()),
    solution: '',
    bits: h.bits.toString(16).padStart(8, '0'),
    difficulty: 1,
    chainwork: chainwork(entry.height),
    anchor: '0'.repeat(64),
    blocktype: 'mined',
    valuePools: [],
    ...(entry.prev ? { previousblockhash: entry.prev.hash } : {}),
    ...(next ? { nextblockhash: next.hash } : {}),
  };
}

function getblockchaininfo(ctx: NodeContext): Record<string, unknown> {
  const { chain, cfg } = ctx;
  const longest = longestChain(ctx);
  if (cfg.flavour === 'bitcoin') {
    return {
      chain: cfg.network,
      blocks: chain.height,
      headers: Math.max(chain.height, ctx.peers.longestChain),
      bestblockhash: chain.tip.hash,
      difficulty: 1,
      mediantime: chain.medianTimePast(),
      verificationprogress: longest > 0 ? Math.min(1, chain.height / longest) : 1,
      initialblockdownload: !isSynced(ctx),
      chainwork: chainwork(chain.height),
      size_on_disk: 0,
      pruned: false,
      softforks: {},
      warnings: '',
    };
  }
  const info: Record<string, unknown> = {
    chain: cfg.network,
    blocks: chain.height,
    synced: isSynced(ctx),
    headers: Math.max(chain.height, ctx.peers.longestChain),
    bestblockhash: chain.tip.hash,
    difficulty: 1,
    verificationprogress: longest > 0 ? Math.min(1, chain.height / longest) : 1,
    chainwork: chainwork(chain.height),
    pruned: false,
    commitments: 0,
  };
  // komodod v0.9.2: syncCheckpoint right after commitments while checkpoints are active, and
  // syncCheckpointUpgrade always, last (rpc/blockchain.cpp).
  const sync = ctx.checkpoints?.syncCheckpoint();
  if (sync) info.syncCheckpoint = sync;
  Object.assign(info, {
    valuePools: [],
    softforks: [],
    upgrades: {},
    consensus: { chaintip: '76b809bb', nextblock: '76b809bb' },
  });
  if (ctx.checkpoints) info.syncCheckpointUpgrade = ctx.checkpoints.syncCheckpointUpgrade();
  return info;
}

export function blockchainMethods(flavour: 'komodo' | 'bitcoin'): RpcMethod<NodeContext>[] {
  return [
    method(
      'getblockchaininfo',
      'blockchain',
      [0, 0],
      'getblockchaininfo\n\nReturns an object containing various state info regarding block chain processing.',
      getblockchaininfo,
    ),
    method(
      'getblockcount',
      'blockchain',
      [0, 0],
      'getblockcount\n\nReturns the number of blocks in the best valid block chain.',
      (ctx) => ctx.chain.height,
    ),
    method(
      'getbestblockhash',
      'blockchain',
      [0, 0],
      'getbestblockhash\n\nReturns the hash of the best (tip) block in the longest block chain.',
      (ctx) => ctx.chain.tip.hash,
    ),
    method(
      'getdifficulty',
      'blockchain',
      [0, 0],
      'getdifficulty\n\nReturns the proof-of-work difficulty as a multiple of the minimum difficulty.',
      () => 1,
    ),
    method(
      'getblockhash',
      'blockchain',
      [1, 1],
      'getblockhash index\n\nReturns hash of block in best-block-chain at index provided.',
      (ctx, p) => {
        const entry = ctx.chain.atHeight(p.int(0));
        if (!entry) throw new RpcError(RpcCode.INVALID_PARAMETER, 'Block height out of range');
        return entry.hash;
      },
    ),
    method(
      'getblock',
      'blockchain',
      [1, 2],
      'getblock "hash|height" ( verbosity )\n\nReturns data for the block.',
      (ctx, p) => {
        const key = p.str(0);
        const entry = flavour === 'bitcoin' ? blockByHashOnly(ctx, key) : blockByParam(ctx, key);
        const verbosity = verbosityParam(p, 1);
        if (verbosity === 0) return toHex(serializeBlock(entry.block, ctx.chain.rules.format));
        return blockJson(ctx, entry, verbosity);
      },
    ),
    method(
      'getblockheader',
      'blockchain',
      [1, 2],
      'getblockheader "hash" ( verbose )\n\nReturns information about the block header.',
      (ctx, p) => {
        const entry = ctx.chain.byHash(parseHash(p.str(0), 'hash'));
        if (!entry) throw new RpcError(RpcCode.INVALID_ADDRESS_OR_KEY, 'Block not found');
        if (!p.bool(1, true)) return toHex(headerBytes(entry.block.header, ctx.chain.rules.format));
        const full = blockJson(ctx, entry, 1);
        delete full.tx;
        delete full.size;
        return full;
      },
    ),
    method(
      'gettxout',
      'blockchain',
      [2, 3],
      'gettxout "txid" n ( includemempool )\n\nReturns details about an unspent transaction output.',
      (ctx, p) => {
        const txid = parseHash(p.str(0), 'txid');
        const n = p.int(1);
        const includeMempool = p.bool(2, true);
        const { chain, mempool } = ctx;
        if (includeMempool && mempool.spender(txid, n)) return null;
        let coin = chain.coin(txid, n);
        let confs = 0;
        if (coin) confs = chain.height - coin.height + 1;
        else if (includeMempool) {
          const out = mempool.get(txid)?.t.tx.outputs[n];
          if (out) coin = { value: out.value, script: out.script, height: chain.height + 1, coinbase: false };
        }
        if (!coin) return null;
        const result: Record<string, unknown> = { bestblock: chain.tip.hash, confirmations: confs };
        if (flavour === 'komodo') result.rawconfirmations = confs;
        result.value = new Amount(coin.value);
        result.scriptPubKey = scriptPubKeyJson(coin.script, ctx.prefixes);
        if (flavour === 'komodo') result.version = 4;
        result.coinbase = coin.coinbase;
        return result;
      },
    ),
    method(
      'getrawmempool',
      'blockchain',
      [0, 1],
      'getrawmempool ( verbose )\n\nReturns all transaction ids in memory pool.',
      (ctx) => ctx.mempool.list().map((e) => e.t.txid),
    ),
    method(
      'getmempoolinfo',
      'blockchain',
      [0, 0],
      'getmempoolinfo\n\nReturns details on the active state of the TX memory pool.',
      (ctx) => ({
        size: ctx.mempool.size,
        bytes: ctx.mempool.bytes,
        usage: ctx.mempool.bytes,
      }),
    ),
  ];
}

function blockByHashOnly(ctx: NodeContext, value: string): BlockEntry {
  const entry = ctx.chain.byHash(parseHash(value, 'blockhash'));
  if (!entry) throw new RpcError(RpcCode.INVALID_ADDRESS_OR_KEY, 'Block not found');
  return entry;
}
