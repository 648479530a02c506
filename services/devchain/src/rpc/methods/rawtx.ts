import {
  addressToScript,
  classifyScript,
  fromHex,
  hash160,
  isHex,
  keyPairFromWif,
  nullDataScript,
  signInput,
  type Transaction,
  type TxOutput,
  toHex,
} from '@nn/chain-crypto';
import { decodeTx, outpointKey, wrapTx } from '../../chain/tx.js';
import { buildTransaction, TX_EXPIRY_DELTA, unsignedInput } from '../../chain/txbuild.js';
import { TxRejected } from '../../chain/validate.js';
import type { NodeContext } from '../../node/context.js';
import { RpcCode, RpcError } from '../errors.js';
import type { RpcMethod } from '../method.js';
import { amountFromValue, Params } from '../params.js';
import { txJson } from '../txjson.js';
import { method } from './define.js';
import { confirmations, findTx, parseHash } from './lookup.js';

function decodeHexTx(ctx: NodeContext, hex: string) {
  if (hex.length === 0) throw new RpcError(RpcCode.DESERIALIZATION_ERROR, 'Missing transaction');
  if (!isHex(hex)) throw new RpcError(RpcCode.DESERIALIZATION_ERROR, 'TX decode failed');
  try {
    return decodeTx(fromHex(hex), ctx.chain.rules.format);
  } catch {
    throw new RpcError(RpcCode.DESERIALIZATION_ERROR, 'TX decode failed');
  }
}

function getrawtransaction(ctx: NodeContext, p: Params): unknown {
  const txid = parseHash(p.str(0), 'parameter 1');
  let verbose: boolean;
  if (ctx.cfg.flavour === 'komodo') verbose = p.int(1, 0) !== 0;
  else {
    const v = p.raw(1);
    verbose = typeof v === 'boolean' ? v : p.int(1, 0) !== 0;
  }
  const found = findTx(ctx, txid);
  if (!found) {
    throw new RpcError(
      RpcCode.INVALID_ADDRESS_OR_KEY,
      ctx.cfg.flavour === 'komodo'
        ? 'No information available about transaction'
        : 'No such mempool or blockchain transaction. Use gettransaction for wallet transactions.',
    );
  }
  if (!verbose) return toHex(found.t.bytes);
  const { entry } = found;
  return txJson(found.t, {
    flavour: ctx.cfg.flavour,
    prefixes: ctx.prefixes,
    includeHex: true,
    ...(entry
      ? {
          block: {
            hash: entry.hash,
            height: entry.height,
            confirmations: confirmations(ctx, entry),
            time: entry.block.header.time,
          },
        }
      : {}),
  });
}

/** createrawtransaction's outputs: addresses, raw hex scripts (e.g. `21<pubkey>ac`) or "data". */
function parseOutputs(ctx: NodeContext, outputs: Record<string, unknown>): TxOutput[] {
  const result: TxOutput[] = [];
  const seen = new Set<string>();
  for (const [key, value] of Object.entries(outputs)) {
    if (key === 'data') {
      if (typeof value !== 'string' || !isHex(value))
        throw new RpcError(RpcCode.INVALID_PARAMETER, 'Data must be hexadecimal string');
      result.push({ value: 0n, script: nullDataScript(fromHex(value)) });
      continue;
    }
    if (seen.has(key))
      throw new RpcError(RpcCode.INVALID_PARAMETER, `Invalid parameter, duplicated destination: ${key}`);
    seen.add(key);
    let script: Uint8Array;
    try {
      script = addressToScript(key, ctx.prefixes);
    } catch {
      if (!isHex(key)) {
        throw new RpcError(
          RpcCode.INVALID_ADDRESS_OR_KEY,
          `Invalid ${ctx.cfg.product} address or script: ${key}`,
        );
      }
      script = fromHex(key);
      const kind = classifyScript(script).type;
      if (kind !== 'pubkey' && kind !== 'pubkeyhash' && kind !== 'scripthash') {
        throw new RpcError(
          RpcCode.INVALID_ADDRESS_OR_KEY,
          `Invalid script: ${key} (only P2PKH, P2PK and P2SH scripts are allowed)`,
        );
      }
    }
    result.push({ value: amountFromValue(value), script });
  }
  return result;
}

function createrawtransaction(ctx: NodeContext, p: Params): string {
  if (!p.has(0) || !p.has(1)) {
    throw new RpcError(RpcCode.INVALID_PARAMETER, 'Invalid parameter, arguments 1 and 2 must be non-null');
  }
  const inputsRaw = p.raw(0);
  if (!Array.isArray(inputsRaw))
    throw new RpcError(RpcCode.TYPE_ERROR, `Expected type array, got ${jsonType(inputsRaw)}`);
  const outputsRaw = p.raw(1);
  if (typeof outputsRaw !== 'object' || outputsRaw === null || Array.isArray(outputsRaw)) {
    throw new RpcError(RpcCode.TYPE_ERROR, `Expected type object, got ${jsonType(outputsRaw)}`);
  }
  const lockTime = p.has(2) ? p.int(2) : 0;
  if (lockTime < 0 || lockTime > 0xffffffff) {
    throw new RpcError(RpcCode.INVALID_PARAMETER, 'Invalid parameter, locktime out of range');
  }
  const inputs = inputsRaw.map((raw) => {
    if (typeof raw !== 'object' || raw === null)
      throw new RpcError(RpcCode.INVALID_PARAMETER, 'Invalid parameter, expected object');
    const o = raw as Record<string, unknown>;
    if (typeof o.txid !== 'string') throw new RpcError(RpcCode.TYPE_ERROR, 'Missing txid');
    const txid = parseHash(o.txid, 'txid');
    if (o.vout === undefined)
      throw new RpcError(RpcCode.INVALID_PARAMETER, 'Invalid parameter, missing vout key');
    if (typeof o.vout !== 'number' || !Number.isInteger(o.vout)) {
      throw new RpcError(RpcCode.TYPE_ERROR, `Expected type number for vout, got ${jsonType(o.vout)}`);
    }
    if (o.vout < 0) throw new RpcError(RpcCode.INVALID_PARAMETER, 'Invalid parameter, vout must be positive');
    const sequence = typeof o.sequence === 'number' ? o.sequence : lockTime ? 0xfffffffe : 0xffffffff;
    return unsignedInput(txid, o.vout, sequence);
  });
  const outputs = parseOutputs(ctx, outputsRaw as Record<string, unknown>);
  const expiry = p.has(3) ? p.int(3) : ctx.chain.height + 1 + TX_EXPIRY_DELTA;
  const tx = buildTransaction(ctx.chain.rules.format, inputs, outputs, { lockTime, expiryHeight: expiry });
  return toHex(wrapTx(tx, ctx.chain.rules.format).bytes);
}

function canSpend(pubkey: Uint8Array, script: Uint8Array): boolean {
  const c = classifyScript(script);
  if (c.type === 'pubkey') return toHex(c.pubkey) === toHex(pubkey);
  return c.type === 'pubkeyhash' && toHex(c.hash) === toHex(hash160(pubkey));
}

function jsonType(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'boolean') return 'bool';
  return typeof v;
}

/** signrawtransaction (komodod) / signrawtransactionwithwallet (0.21): wallet keys, or the keys given. */
function signraw(ctx: NodeContext, p: Params, allowKeys: boolean): Record<string, unknown> {
  const t = decodeHexTx(ctx, p.str(0));
  const format = ctx.chain.rules.format;
  const prevtxs = p.has(1) ? p.array(1) : [];
  const extra = new Map<string, { script: Uint8Array; value: bigint }>();
  for (const raw of prevtxs) {
    if (typeof raw !== 'object' || raw === null)
      throw new RpcError(RpcCode.INVALID_PARAMETER, 'expected object with {"txid\'","vout","scriptPubKey"}');
    const o = raw as Record<string, unknown>;
    if (typeof o.txid !== 'string' || typeof o.vout !== 'number' || typeof o.scriptPubKey !== 'string') {
      throw new RpcError(RpcCode.INVALID_PARAMETER, 'expected object with {"txid\'","vout","scriptPubKey"}');
    }
    extra.set(outpointKey(parseHash(o.txid, 'txid'), o.vout), {
      script: fromHex(o.scriptPubKey),
      value: o.amount === undefined ? 0n : amountFromValue(o.amount),
    });
  }
  const keys = allowKeys && p.has(2) ? p.array(2) : undefined;
  const givenKeys = keys?.map((k) => {
    try {
      return keyPairFromWif(String(k), ctx.prefixes.wif);
    } catch {
      throw new RpcError(RpcCode.INVALID_ADDRESS_OR_KEY, 'Invalid private key');
    }
  });
  let tx: Transaction = t.tx;
  const errors: Array<Record<string, unknown>> = [];
  for (const [index, input] of t.tx.inputs.entries()) {
    const key = outpointKey(input.prevTxid, input.vout);
    const coin = extra.get(key) ?? ctx.mempool.lookup(key) ?? ctx.chain.coinByKey(key);
    const fail = (error: string): void => {
      errors.push({
        txid: input.prevTxid,
        vout: input.vout,
        scriptSig: toHex(input.scriptSig),
        sequence: input.sequence,
        error,
      });
    };
    if (!coin) {
      fail('Input not found or already spent');
      continue;
    }
    const signer = givenKeys
      ? givenKeys.find((k) => canSpend(k.publicKey, coin.script))
      : ctx.wallet.keyForScript(coin.script);
    if (!signer) {
      fail('Unable to sign input, invalid stack size (possibly missing key)');
      continue;
    }
    try {
      tx = signInput(tx, index, {
        privateKey: signer.privateKey,
        prevScript: coin.script,
        prevValue: coin.value,
        format,
      });
    } catch (err) {
      fail(err instanceof Error ? err.message : String(err));
    }
  }
  const out: Record<string, unknown> = {
    hex: toHex(wrapTx(tx, format).bytes),
    complete: errors.length === 0,
  };
  if (errors.length > 0) out.errors = errors;
  return out;
}

function sendrawtransaction(ctx: NodeContext, p: Params): string {
  const hexRaw = p.raw(0);
  if (typeof hexRaw !== 'string')
    throw new RpcError(RpcCode.TYPE_ERROR, `Expected type string, got ${jsonType(hexRaw)}`);
  const t = decodeHexTx(ctx, hexRaw);
  if (ctx.mempool.has(t.txid)) return t.txid;
  if (ctx.chain.locateTx(t.txid))
    throw new RpcError(RpcCode.VERIFY_ALREADY_IN_CHAIN, 'transaction already in block chain');
  try {
    ctx.mempool.accept(t);
  } catch (err) {
    if (!(err instanceof TxRejected)) throw err;
    if (err.missingInputs) throw new RpcError(RpcCode.VERIFY_ERROR, 'Missing inputs');
    throw new RpcError(RpcCode.VERIFY_REJECTED, `16: ${err.reason}`);
  }
  ctx.noticeWalletTx(t);
  ctx.relayTx(t.txid);
  return t.txid;
}

export function rawTxMethods(flavour: 'komodo' | 'bitcoin'): RpcMethod<NodeContext>[] {
  const list = [
    method(
      'getrawtransaction',
      'rawtransactions',
      [1, 2],
      'getrawtransaction "txid" ( verbose )\n\nReturn the raw transaction data.',
      getrawtransaction,
    ),
    method(
      'decoderawtransaction',
      'rawtransactions',
      [1, 2],
      'decoderawtransaction "hexstring"\n\nReturn a JSON object representing the serialized, hex-encoded transaction.',
      (ctx, p) => {
        const hex = p.raw(0);
        if (typeof hex !== 'string')
          throw new RpcError(RpcCode.TYPE_ERROR, `Expected type string, got ${jsonType(hex)}`);
        return txJson(decodeHexTx(ctx, hex), {
          flavour: ctx.cfg.flavour,
          prefixes: ctx.prefixes,
          includeHex: false,
        });
      },
    ),
    method(
      'createrawtransaction',
      'rawtransactions',
      [2, 4],
      'createrawtransaction [{"txid":"id","vout":n},...] {"address":amount,...} ( locktime ) ( expiryheight )\n\nCreate a transaction spending the given inputs and creating new outputs.',
      createrawtransaction,
    ),
    method(
      'sendrawtransaction',
      'rawtransactions',
      [1, 2],
      'sendrawtransaction "hexstring" ( allowhighfees )\n\nSubmits raw transaction (serialized, hex-encoded) to local node and network.',
      sendrawtransaction,
    ),
  ];
  if (flavour === 'komodo') {
    list.push(
      method(
        'signrawtransaction',
        'rawtransactions',
        [1, 5],
        'signrawtransaction "hexstring" ( [{"txid":"id","vout":n,"scriptPubKey":"hex","redeemScript":"hex"},...] ["privatekey1",...] sighashtype )\n\nSign inputs for raw transaction (serialized, hex-encoded).',
        (ctx, p) => signraw(ctx, p, true),
      ),
    );
  } else {
    list.push(
      method(
        'signrawtransactionwithwallet',
        'wallet',
        [1, 3],
        'signrawtransactionwithwallet "hexstring" ( [{"txid":"hex","vout":n,"scriptPubKey":"hex","redeemScript":"hex","witnessScript":"hex","amount":amount},...] "sighashtype" )\n\nSign inputs for raw transaction (serialized, hex-encoded).',
        (ctx, p) => signraw(ctx, p, false),
      ),
    );
    list.push(
      method(
        'signrawtransactionwithkey',
        'rawtransactions',
        [2, 4],
        'signrawtransactionwithkey "hexstring" ["privatekey",...] ( [{"txid":"hex","vout":n,"scriptPubKey":"hex","amount":amount},...] "sighashtype" )\n\nSign inputs for raw transaction with the given keys.',
        (ctx, p) => {
          return signraw(ctx, new Params([p.raw(0), p.raw(2) ?? [], p.raw(1)]), true);
        },
      ),
    );
  }
  return list;
}
