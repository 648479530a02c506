import {
  addressToScript,
  decodeAddress,
  fromHex,
  InvalidKeyError,
  isHex,
  isValidPublicKey,
  type KeyPair,
  p2pkhAddress,
  p2pkScript,
  scriptToAddress,
  toHex,
} from '@nn/chain-crypto';
import { isCoinbase } from '../../chain/tx.js';
import type { NodeContext } from '../../node/context.js';
import { BITCOIN_WALLET_VERSION, KOMODO_WALLET_VERSION } from '../../node/versions.js';
import { KEYPOOL_SIZE, WALLET_TX_FEE, WalletError } from '../../wallet/wallet.js';
import { RpcCode, RpcError } from '../errors.js';
import { Amount } from '../json.js';
import type { RpcMethod } from '../method.js';
import { amountFromValue, type Params } from '../params.js';
import { method } from './define.js';
import { parseHash } from './lookup.js';

function invalidAddress(ctx: NodeContext, suffix = ''): RpcError {
  return new RpcError(RpcCode.INVALID_ADDRESS_OR_KEY, `Invalid ${ctx.cfg.product} address${suffix}`);
}

/** sendtoaddress's destination: komodod says "Invalid Komodo address", Bitcoin Core 0.21 "Invalid address". */
function scriptForAddress(ctx: NodeContext, address: string): Uint8Array {
  try {
    return addressToScript(address, ctx.prefixes);
  } catch {
    if (ctx.cfg.flavour === 'bitcoin') throw new RpcError(RpcCode.INVALID_ADDRESS_OR_KEY, 'Invalid address');
    throw invalidAddress(ctx);
  }
}

function walletCall<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof WalletError) {
      if (err.code === 'insufficient-funds')
        throw new RpcError(RpcCode.WALLET_INSUFFICIENT_FUNDS, err.message);
      throw new RpcError(RpcCode.WALLET_ERROR, err.message);
    }
    throw err;
  }
}

function validateaddress(ctx: NodeContext, p: Params): Record<string, unknown> {
  const address = p.str(0);
  let decoded: ReturnType<typeof decodeAddress>;
  try {
    decoded = decodeAddress(address, ctx.prefixes);
  } catch {
    return { isvalid: false };
  }
  const script = addressToScript(address, ctx.prefixes);
  if (ctx.cfg.flavour === 'bitcoin') {
    return {
      isvalid: true,
      address,
      scriptPubKey: toHex(script),
      isscript: decoded.type === 'p2sh',
      iswitness: false,
    };
  }
  const key = decoded.type === 'p2pkh' ? ctx.wallet.keyForHash(decoded.hash) : undefined;
  const out: Record<string, unknown> = {
    isvalid: true,
    address,
    scriptPubKey: toHex(script),
    segid: segid(decoded.hash),
    ismine: key !== undefined,
    iswatchonly: false,
    isscript: decoded.type === 'p2sh',
  };
  if (key) {
    out.pubkey = toHex(key.publicKey);
    out.iscompressed = key.compressed;
    out.account = '';
  }
  return out;
}

/** komodod's staking segment of an address: a byte of its hash folded into 0..63. */
function segid(hash: Uint8Array): number {
  let sum = 0;
  for (const b of hash) sum += b;
  return sum & 0x3f;
}

function getaddressinfo(ctx: NodeContext, p: Params): Record<string, unknown> {
  const address = p.str(0);
  let decoded: ReturnType<typeof decodeAddress>;
  try {
    decoded = decodeAddress(address, ctx.prefixes);
  } catch {
    throw new RpcError(RpcCode.INVALID_ADDRESS_OR_KEY, 'Invalid address');
  }
  const key = decoded.type === 'p2pkh' ? ctx.wallet.keyForHash(decoded.hash) : undefined;
  const out: Record<string, unknown> = {
    address,
    scriptPubKey: toHex(addressToScript(address, ctx.prefixes)),
    ismine: key !== undefined,
    iswatchonly: false,
    solvable: key !== undefined,
    isscript: decoded.type === 'p2sh',
    ischange: false,
    iswitness: false,
  };
  if (key) {
    out.pubkey = toHex(key.publicKey);
    out.iscompressed = key.compressed;
  }
  out.labels = [];
  return out;
}

function listunspent(ctx: NodeContext, p: Params): unknown[] {
  const minconf = p.has(0) ? numberParam(p, 0) : 1;
  const maxconf = p.has(1) ? numberParam(p, 1) : 9_999_999;
  let filter: Set<string> | undefined;
  if (p.has(2)) {
    const raw = p.raw(2);
    if (!Array.isArray(raw)) throw new RpcError(RpcCode.TYPE_ERROR, `Expected type array, got ${typeof raw}`);
    filter = new Set();
    for (const a of raw) {
      const address = String(a);
      try {
        decodeAddress(address, ctx.prefixes);
      } catch {
        throw invalidAddress(ctx, `: ${address}`);
      }
      if (filter.has(address))
        throw new RpcError(RpcCode.INVALID_PARAMETER, `Invalid parameter, duplicated address: ${address}`);
      filter.add(address);
    }
  }
  const komodo = ctx.cfg.flavour === 'komodo';
  // listunspent lists what CWallet::AvailableCoins returns, and that skips immature coinbase outputs
  // and locked outpoints (wallet.cpp, komodod and Bitcoin Core alike): locked coins reappear only
  // after `lockunspent true`.
  return ctx.wallet
    .listCoins()
    .filter((c) => ctx.wallet.isMature(c) && !ctx.wallet.isLocked(c.txid, c.vout))
    .filter((c) => c.confirmations >= minconf && c.confirmations <= maxconf)
    .map((c) => ({ c, address: scriptToAddress(c.coin.script, ctx.prefixes) ?? '' }))
    .filter(({ address }) => !filter || filter.has(address))
    .sort((a, b) => b.c.confirmations - a.c.confirmations)
    .map(({ c, address }) => {
      // Every listed coin is the wallet's own key (no watch-only keys in devchain).
      const spendable = true;
      if (komodo) {
        return {
          txid: c.txid,
          vout: c.vout,
          generated: c.coin.coinbase,
          address,
          segid: segid(decodeAddress(address, ctx.prefixes).hash),
          amount: new Amount(c.coin.value),
          scriptPubKey: toHex(c.coin.script),
          rawconfirmations: c.confirmations,
          confirmations: c.confirmations,
          spendable,
        };
      }
      return {
        txid: c.txid,
        vout: c.vout,
        address,
        label: '',
        scriptPubKey: toHex(c.coin.script),
        amount: new Amount(c.coin.value),
        confirmations: c.confirmations,
        spendable,
        solvable: true,
        safe: c.confirmations > 0,
      };
    });
}

function numberParam(p: Params, i: number): number {
  const v = p.raw(i);
  if (typeof v !== 'number')
    throw new RpcError(
      RpcCode.TYPE_ERROR,
      `Expected type number, got ${typeof v === 'boolean' ? 'bool' : typeof v}`,
    );
  return v;
}

function lockunspent(ctx: NodeContext, p: Params): boolean {
  const unlock = p.raw(0);
  if (typeof unlock !== 'boolean')
    throw new RpcError(RpcCode.TYPE_ERROR, `Expected type bool, got ${typeof unlock}`);
  if (!p.has(1)) {
    if (unlock) ctx.wallet.unlockAll();
    return true;
  }
  const list = p.raw(1);
  if (!Array.isArray(list)) throw new RpcError(RpcCode.TYPE_ERROR, `Expected type array, got ${typeof list}`);
  const outpoints = list.map((raw) => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw new RpcError(RpcCode.INVALID_PARAMETER, 'Invalid parameter, expected object');
    }
    const o = raw as Record<string, unknown>;
    if (typeof o.txid !== 'string') throw new RpcError(RpcCode.TYPE_ERROR, 'Missing txid');
    if (typeof o.vout !== 'number')
      throw new RpcError(RpcCode.TYPE_ERROR, `Expected type number for vout, got ${typeof o.vout}`);
    if (!isHex(o.txid) || o.txid.length !== 64)
      throw new RpcError(RpcCode.INVALID_PARAMETER, 'Invalid parameter, expected hex txid');
    if (o.vout < 0) throw new RpcError(RpcCode.INVALID_PARAMETER, 'Invalid parameter, vout must be positive');
    return { txid: o.txid.toLowerCase(), vout: o.vout };
  });
  for (const o of outpoints) {
    if (unlock) ctx.wallet.unlock(o.txid, o.vout);
    else ctx.wallet.lock(o.txid, o.vout);
  }
  return true;
}

/**
 * The end of a listtransactions entry: `size`, then in komodod v0.9.2 `secured_by_checkpoint`
 * (wallet/rpcwallet.cpp ListTransactions, on sent and received entries alike). Before v0.9.2 devchain
 * gives sent entries no size, as it always has.
 */
function checkpointTail(
  ctx: NodeContext,
  size: number,
  height: number | undefined,
  sent: boolean,
): Record<string, unknown> {
  if (!ctx.checkpoints) return sent ? {} : { size };
  return { size, secured_by_checkpoint: ctx.checkpoints.secures(height) };
}

function listtransactions(ctx: NodeContext, p: Params): unknown[] {
  const count = p.int(1, 10);
  const from = p.int(2, 0);
  if (count < 0) throw new RpcError(RpcCode.INVALID_PARAMETER, 'Negative count');
  if (from < 0) throw new RpcError(RpcCode.INVALID_PARAMETER, 'Negative from');
  const { wallet, chain } = ctx;
  const entries: Array<Record<string, unknown>> = [];
  for (const rec of wallet.walletTxs()) {
    const { t } = rec;
    const loc = chain.locateTx(t.txid);
    const confs = loc ? chain.height - loc.entry.height + 1 : 0;
    const base: Record<string, unknown> = { rawconfirmations: confs, confirmations: confs };
    if (loc)
      Object.assign(base, {
        blockhash: loc.entry.hash,
        blockindex: loc.index,
        blocktime: loc.entry.block.header.time,
      });
    Object.assign(base, { txid: t.txid, walletconflicts: [], time: rec.time, timereceived: rec.time });
    const coinbase = isCoinbase(t.tx);
    const fromMe = t.tx.inputs.some((i) => {
      const prev = wallet.walletTx(i.prevTxid)?.t.tx.outputs[i.vout];
      return prev !== undefined && wallet.isMine(prev.script);
    });
    t.tx.outputs.forEach((o, vout) => {
      const address = scriptToAddress(o.script, ctx.prefixes);
      const mine = wallet.isMine(o.script);
      if (fromMe && !mine) {
        entries.push({
          account: '',
          address,
          category: 'send',
          amount: new Amount(-o.value),
          vout,
          fee: new Amount(-WALLET_TX_FEE),
          ...base,
          ...checkpointTail(ctx, t.bytes.length, loc?.entry.height, true),
        });
      }
      if (mine) {
        const category = coinbase
          ? confs >= chain.rules.coinbaseMaturity
            ? 'generate'
            : 'immature'
          : 'receive';
        entries.push({
          account: '',
          address,
          category,
          amount: new Amount(o.value),
          vout,
          ...base,
          ...checkpointTail(ctx, t.bytes.length, loc?.entry.height, false),
        });
      }
    });
  }
  return entries.slice(Math.max(0, entries.length - from - count), entries.length - from);
}

function sendOutputsFromObject(
  ctx: NodeContext,
  amounts: Record<string, unknown>,
): Array<{ script: Uint8Array; value: bigint; key: string }> {
  return Object.entries(amounts).map(([key, v]) => {
    let script: Uint8Array;
    // komodod's sendmany also takes a 33-byte hex pubkey and pays it P2PK (how notary UTXOs are made).
    if (key.length === 66 && isHex(key) && isValidPublicKey(fromHex(key))) script = p2pkScript(fromHex(key));
    else {
      try {
        script = addressToScript(key, ctx.prefixes);
      } catch {
        throw new RpcError(
          RpcCode.INVALID_ADDRESS_OR_KEY,
          `Invalid ${ctx.cfg.product} address or pubkey: ${key}`,
        );
      }
    }
    const value = amountFromValue(v);
    if (value <= 0n) throw new RpcError(RpcCode.TYPE_ERROR, 'Invalid amount for send');
    return { script, value, key };
  });
}

function setpubkey(ctx: NodeContext, p: Params): Record<string, unknown> {
  const hex = p.str(0);
  if (hex.length !== 66) return { error: 'pubkey is wrong length, must be 66 char hex string.' };
  if (!isHex(hex) || !isValidPublicKey(fromHex(hex))) return { error: 'pubkey entered is invalid.' };
  const pub = fromHex(hex);
  const address = p2pkhAddress(pub, ctx.prefixes);
  if (ctx.pubkey)
    return {
      error: 'Can only set pubkey once, to change it you need to restart your daemon.',
      address,
      pubkey: ctx.pubkey,
    };
  ctx.pubkey = hex.toLowerCase();
  if (!ctx.wallet.keyForPubkey(pub))
    return { WARNING: 'privkey for this pubkey is not imported to wallet!', address, pubkey: ctx.pubkey };
  return { ismine: 'true', address, pubkey: ctx.pubkey };
}

function importprivkey(ctx: NodeContext, p: Params): unknown {
  const wif = p.str(0);
  if (p.has(1)) p.str(1);
  const rescan = p.bool(2, true);
  // komodod's fourth parameter: the height the rescan starts from (default 0, the whole chain).
  const from = ctx.cfg.flavour === 'komodo' ? p.int(3, 0) : 0;
  if (from < 0 || from > ctx.chain.height)
    throw new RpcError(RpcCode.INVALID_PARAMETER, 'Block height out of range');
  let key: KeyPair;
  let added: boolean;
  try {
    ({ key, added } = ctx.wallet.importWif(wif));
  } catch (err) {
    if (err instanceof InvalidKeyError || err instanceof Error) {
      throw new RpcError(RpcCode.INVALID_ADDRESS_OR_KEY, 'Invalid private key encoding');
    }
    throw err;
  }
  if (added && rescan) ctx.wallet.rescanHistory(from);
  return ctx.cfg.flavour === 'komodo' ? p2pkhAddress(key.publicKey, ctx.prefixes) : null;
}

function dumpprivkey(ctx: NodeContext, p: Params): string {
  const address = p.str(0);
  let decoded: ReturnType<typeof decodeAddress>;
  try {
    decoded = decodeAddress(address, ctx.prefixes);
  } catch {
    throw new RpcError(
      RpcCode.INVALID_ADDRESS_OR_KEY,
      ctx.cfg.flavour === 'komodo' ? 'Invalid transparent address' : `Invalid ${ctx.cfg.product} address`,
    );
  }
  if (decoded.type !== 'p2pkh') throw new RpcError(RpcCode.TYPE_ERROR, 'Address does not refer to a key');
  const key = ctx.wallet.keyForHash(decoded.hash);
  if (!key) throw new RpcError(RpcCode.WALLET_ERROR, `Private key for address ${address} is not known`);
  return ctx.wallet.wifOf(key);
}

function getnewaddress(ctx: NodeContext, p: Params): string {
  if (p.has(0)) p.str(0);
  if (ctx.cfg.flavour === 'bitcoin' && p.has(1)) {
    const type = p.str(1);
    if (type !== 'legacy') {
      if (type === 'bech32' || type === 'p2sh-segwit') {
        throw new RpcError(
          RpcCode.INVALID_ADDRESS_OR_KEY,
          `devchain makes only legacy addresses, not '${type}'`,
        );
      }
      throw new RpcError(RpcCode.INVALID_ADDRESS_OR_KEY, `Unknown address type '${type}'`);
    }
  }
  return ctx.wallet.addressOf(ctx.wallet.newKey());
}

export function walletMethods(flavour: 'komodo' | 'bitcoin'): RpcMethod<NodeContext>[] {
  const list = [
    method(
      'getwalletinfo',
      'wallet',
      [0, 0],
      'getwalletinfo\n\nReturns an object containing various wallet state info.',
      (ctx) => {
        const w = ctx.wallet;
        const base = {
          walletversion: flavour === 'komodo' ? KOMODO_WALLET_VERSION : BITCOIN_WALLET_VERSION,
          balance: new Amount(w.balance()),
          unconfirmed_balance: new Amount(w.unconfirmedBalance()),
          immature_balance: new Amount(w.immatureBalance()),
          txcount: w.walletTxs().length,
          keypoololdest: w.oldestKeyTime,
          keypoolsize: KEYPOOL_SIZE,
          paytxfee: new Amount(0n),
        };
        if (flavour === 'komodo') return base;
        return {
          walletname: w.name,
          ...base,
          format: 'bdb',
          keypoolsize_hd_internal: 0,
          private_keys_enabled: true,
          avoid_reuse: false,
          scanning: false,
          descriptors: false,
        };
      },
    ),
    method(
      'getbalance',
      'wallet',
      [0, 3],
      'getbalance ( "account" minconf includeWatchonly )\n\nReturns the server\'s total available balance.',
      (ctx, p) => {
        if (p.has(0)) p.str(0);
        return new Amount(ctx.wallet.balance(p.int(1, 1)));
      },
    ),
    method(
      'getnewaddress',
      'wallet',
      [0, 2],
      'getnewaddress ( "account" )\n\nReturns a new address for receiving payments.',
      getnewaddress,
    ),
    method(
      'validateaddress',
      'util',
      [1, 1],
      'validateaddress "address"\n\nReturn information about the given address.',
      validateaddress,
    ),
    method(
      'importprivkey',
      'wallet',
      [1, flavour === 'komodo' ? 5 : 3],
      flavour === 'komodo'
        ? 'importprivkey "komodoprivkey" ( "label" rescan height secret_key)\n\nAdds a private key (as returned by dumpprivkey) to your wallet.'
        : 'importprivkey "privkey" ( "label" rescan )\n\nAdds a private key (as returned by dumpprivkey) to your wallet.',
      importprivkey,
    ),
    method(
      'dumpprivkey',
      'wallet',
      [1, 1],
      'dumpprivkey "address"\n\nReveals the private key corresponding to \'address\'.',
      dumpprivkey,
    ),
    method(
      'listunspent',
      'wallet',
      [0, 3],
      'listunspent ( minconf maxconf  ["address",...] )\n\nReturns array of unspent transaction outputs.',
      listunspent,
    ),
    method(
      'lockunspent',
      'wallet',
      [1, 2],
      'lockunspent unlock [{"txid":"txid","vout":n},...]\n\nUpdates list of temporarily unspendable outputs.',
      lockunspent,
    ),
    method(
      'listlockunspent',
      'wallet',
      [0, 0],
      'listlockunspent\n\nReturns list of temporarily unspendable outputs.',
      (ctx) => ctx.wallet.lockedOutpoints(),
    ),
    method(
      'listtransactions',
      'wallet',
      [0, 4],
      'listtransactions ( "account" count from includeWatchonly)\n\nReturns up to \'count\' most recent transactions.',
      listtransactions,
    ),
    method(
      'sendtoaddress',
      'wallet',
      [2, 5],
      'sendtoaddress "address" amount ( "comment" "comment-to" subtractfeefromamount )\n\nSend an amount to a given address.',
      (ctx, p) => {
        const script = scriptForAddress(ctx, p.str(0));
        const value = p.amount(1);
        if (value <= 0n) throw new RpcError(RpcCode.TYPE_ERROR, 'Invalid amount for send');
        const subtract = p.bool(4, false);
        const t = walletCall(() => ctx.wallet.send([{ script, value }], subtract ? [0] : []));
        ctx.relayTx(t.txid);
        return t.txid;
      },
    ),
    method(
      'sendmany',
      'wallet',
      [2, 5],
      'sendmany "fromaccount" {"address":amount,...} ( minconf "comment" ["address",...] )\n\nSend multiple times.',
      (ctx, p) => {
        p.str(0);
        const outputs = sendOutputsFromObject(ctx, p.object(1));
        const subtract = p.has(4) ? p.array(4).map(String) : [];
        const idx = outputs.flatMap((o, i) => (subtract.includes(o.key) ? [i] : []));
        return walletCall(() => {
          try {
            const t = ctx.wallet.send(
              outputs.map(({ script, value }) => ({ script, value })),
              idx,
            );
            ctx.relayTx(t.txid);
            return t.txid;
          } catch (err) {
            if (err instanceof WalletError && err.code === 'insufficient-funds') {
              throw new WalletError('insufficient-funds', 'Account has insufficient funds');
            }
            throw err;
          }
        });
      },
    ),
    method(
      'gettransaction',
      'wallet',
      [1, 2],
      'gettransaction "txid" ( includeWatchonly )\n\nGet detailed information about in-wallet transaction <txid>.',
      (ctx, p) => {
        const txid = parseHash(p.str(0), 'txid');
        const rec = ctx.wallet.walletTx(txid);
        if (!rec) throw new RpcError(RpcCode.INVALID_ADDRESS_OR_KEY, 'Invalid or non-wallet transaction id');
        const loc = ctx.chain.locateTx(txid);
        const confs = loc ? ctx.chain.height - loc.entry.height + 1 : 0;
        return {
          confirmations: confs,
          ...(loc
            ? { blockhash: loc.entry.hash, blockindex: loc.index, blocktime: loc.entry.block.header.time }
            : {}),
          txid,
          time: rec.time,
          timereceived: rec.time,
          hex: toHex(rec.t.bytes),
        };
      },
    ),
  ];
  if (flavour === 'komodo') {
    list.push(
      method(
        'setpubkey',
        'wallet',
        [1, 1],
        'setpubkey "pubkey"\n\nSets the -pubkey if the daemon was not started with it.',
        setpubkey,
      ),
    );
  } else {
    list.push(
      method(
        'getaddressinfo',
        'wallet',
        [1, 1],
        'getaddressinfo "address"\n\nReturn information about the given address.',
        getaddressinfo,
      ),
    );
  }
  return list;
}

/** The coinbase payout: P2PK of -pubkey (komodod's miner with -pubkey), else of the wallet's key. */
export function payoutScript(ctx: Pick<NodeContext, 'pubkey' | 'wallet'>): Uint8Array {
  if (ctx.pubkey) return p2pkScript(fromHex(ctx.pubkey));
  return p2pkScript(ctx.wallet.defaultKey.publicKey);
}
