import type { NodeContext } from '../../node/context.js';
import type { WalletSet } from '../../wallet/wallet-set.js';
import { RpcCode, RpcError } from '../errors.js';
import type { RpcMethod } from '../method.js';
import type { Params } from '../params.js';
import { method } from './define.js';

// Bitcoin Core 0.21's wallet management RPCs (wallet/rpcwallet.cpp): devchain makes legacy (bdb)
// wallets with private keys only, so the options it cannot honour are refused by name.

function walletSet(ctx: NodeContext): WalletSet {
  if (!ctx.wallets) throw new RpcError(RpcCode.METHOD_NOT_FOUND, 'Method not found');
  return ctx.wallets;
}

/** load_on_startup: true adds to settings.json, false removes, null/absent leaves it. */
function loadOnStartup(p: Params, i: number): boolean | undefined {
  return p.has(i) ? p.bool(i) : undefined;
}

function refuse(field: string, why: string): never {
  throw new RpcError(RpcCode.WALLET_ERROR, `devchain ${why} (createwallet ${field})`);
}

function createwallet(ctx: NodeContext, p: Params): { name: string; warning: string } {
  const set = walletSet(ctx);
  const name = p.str(0);
  const warnings: string[] = [];
  if (p.bool(1, false)) refuse('disable_private_keys=true', 'makes only wallets with private keys');
  if (p.bool(2, false)) refuse('blank=true', 'makes no blank wallets: a new wallet gets a key');
  if (p.has(3)) {
    // 0.21: an empty passphrase means unencrypted, with this warning.
    if (p.str(3) !== '') refuse('passphrase', 'makes no encrypted wallets: give "" for none');
    warnings.push('Empty string given as passphrase, wallet will not be encrypted.');
  }
  if (p.bool(4, false)) refuse('avoid_reuse=true', 'does not track address reuse');
  if (p.bool(5, false)) refuse('descriptors=true', 'makes legacy (bdb) wallets only, not descriptor wallets');
  const created = set.create(name, loadOnStartup(p, 6));
  return { name: created.name, warning: [...warnings, ...created.warnings].join('\n') };
}

function loadwallet(ctx: NodeContext, p: Params): { name: string; warning: string } {
  const loaded = walletSet(ctx).load(p.str(0), loadOnStartup(p, 1));
  return { name: loaded.name, warning: loaded.warnings.join('\n') };
}

/** The wallet named by the /wallet/<name> endpoint, else the argument; naming both is refused (-8). */
function unloadwallet(ctx: NodeContext, p: Params): { warning: string } {
  const set = walletSet(ctx);
  let name: string;
  if (ctx.walletName !== undefined) {
    if (p.has(0)) throw new RpcError(RpcCode.INVALID_PARAMETER, 'Cannot unload the requested wallet');
    name = ctx.walletName;
  } else name = p.str(0);
  return { warning: set.unload(name, loadOnStartup(p, 1)).join('\n') };
}

function rescanblockchain(ctx: NodeContext, p: Params): { start_height: number; stop_height: number } {
  const wallet = ctx.wallet;
  const tip = ctx.chain.height;
  let start = 0;
  if (p.has(0)) {
    start = p.int(0);
    if (start < 0 || start > tip) throw new RpcError(RpcCode.INVALID_PARAMETER, 'Invalid start_height');
  }
  let stop = tip;
  if (p.has(1)) {
    stop = p.int(1);
    if (stop < 0 || stop > tip) throw new RpcError(RpcCode.INVALID_PARAMETER, 'Invalid stop_height');
    if (stop < start)
      throw new RpcError(RpcCode.INVALID_PARAMETER, 'stop_height must be greater than start_height');
  }
  wallet.rescanHistory(start, stop);
  return { start_height: start, stop_height: stop };
}

export const multiwalletMethods: RpcMethod<NodeContext>[] = [
  method(
    'createwallet',
    'wallet',
    [1, 7],
    'createwallet "wallet_name" ( disable_private_keys blank "passphrase" avoid_reuse descriptors load_on_startup )\n\nCreates and loads a new wallet.',
    createwallet,
  ),
  method(
    'loadwallet',
    'wallet',
    [1, 2],
    'loadwallet "filename" ( load_on_startup )\n\nLoads a wallet from a wallet file or directory.',
    loadwallet,
  ),
  method(
    'unloadwallet',
    'wallet',
    [0, 2],
    'unloadwallet ( "wallet_name" load_on_startup )\n\nUnloads the wallet referenced by the request endpoint otherwise unloads the wallet specified in the argument.',
    unloadwallet,
  ),
  method(
    'listwallets',
    'wallet',
    [0, 0],
    'listwallets\n\nReturns a list of currently loaded wallets.',
    (ctx) => walletSet(ctx).names(),
  ),
  method(
    'listwalletdir',
    'wallet',
    [0, 0],
    'listwalletdir\n\nReturns a list of wallets in the wallet directory.',
    (ctx) => ({
      wallets: walletSet(ctx)
        .listDir()
        .map((name) => ({ name })),
    }),
  ),
  method(
    'rescanblockchain',
    'wallet',
    [0, 2],
    'rescanblockchain ( start_height stop_height )\n\nRescan the local blockchain for wallet related transactions.',
    rescanblockchain,
  ),
];
