import {
  classifyScript,
  type NetworkPrefixes,
  scriptToAddress,
  toHex,
  tryParseScript,
} from '@nn/chain-crypto';
import type { Tx } from '../chain/tx.js';
import { isCoinbase } from '../chain/tx.js';
import { Amount } from './json.js';

const OPCODE_NAMES: ReadonlyMap<number, string> = new Map([
  [0x00, '0'],
  [0x4f, '-1'],
  [0x61, 'OP_NOP'],
  [0x6a, 'OP_RETURN'],
  [0x76, 'OP_DUP'],
  [0x87, 'OP_EQUAL'],
  [0x88, 'OP_EQUALVERIFY'],
  [0xa9, 'OP_HASH160'],
  [0xab, 'OP_CODESEPARATOR'],
  [0xac, 'OP_CHECKSIG'],
  [0xad, 'OP_CHECKSIGVERIFY'],
  [0xae, 'OP_CHECKMULTISIG'],
  [0xb1, 'OP_CHECKLOCKTIMEVERIFY'],
  [0xcc, 'OP_CHECKCRYPTOCONDITION'],
]);

/** ScriptToAsmStr: pushes as hex, small numbers as digits, opcodes by name. */
export function scriptAsm(script: Uint8Array): string {
  const chunks = tryParseScript(script);
  if (!chunks) return '[error]';
  return chunks
    .map((c) => {
      if (c.data && c.data.length > 0) return toHex(c.data);
      if (c.opcode >= 0x51 && c.opcode <= 0x60) return String(c.opcode - 0x50);
      return OPCODE_NAMES.get(c.opcode) ?? 'OP_UNKNOWN';
    })
    .join(' ');
}

/** ScriptPubKeyToJSON, as komodod and bitcoind 0.21 print it. */
export function scriptPubKeyJson(script: Uint8Array, prefixes: NetworkPrefixes): Record<string, unknown> {
  const c = classifyScript(script);
  const out: Record<string, unknown> = { asm: scriptAsm(script), hex: toHex(script) };
  const address = scriptToAddress(script, prefixes);
  if (c.type === 'nonstandard' || c.type === 'nulldata' || !address) {
    out.type = c.type;
    return out;
  }
  out.reqSigs = 1;
  out.type = c.type;
  out.addresses = [address];
  return out;
}

export interface TxJsonOptions {
  readonly flavour: 'komodo' | 'bitcoin';
  readonly prefixes: NetworkPrefixes;
  /** Block context, when the transaction is confirmed. */
  readonly block?: { hash: string; height: number; confirmations: number; time: number };
  readonly includeHex: boolean;
}

/** TxToJSON: decoderawtransaction, getrawtransaction verbose and getblock verbosity 2. */
export function txJson(t: Tx, opts: TxJsonOptions): Record<string, unknown> {
  const { tx } = t;
  const komodo = opts.flavour === 'komodo';
  const out: Record<string, unknown> = {};
  if (opts.includeHex) out.hex = toHex(t.bytes);
  out.txid = t.txid;
  if (komodo) {
    out.overwintered = tx.overwintered;
    out.version = tx.version;
    if (tx.overwintered) out.versiongroupid = tx.versionGroupId.toString(16).padStart(8, '0');
    out.locktime = tx.lockTime;
    if (tx.overwintered) out.expiryheight = tx.expiryHeight;
  } else {
    out.hash = t.txid;
    out.size = t.bytes.length;
    out.vsize = t.bytes.length;
    out.weight = t.bytes.length * 4;
    out.version = tx.version;
    out.locktime = tx.lockTime;
  }
  out.vin = tx.inputs.map((input) => {
    if (isCoinbase(tx)) return { coinbase: toHex(input.scriptSig), sequence: input.sequence };
    return {
      txid: input.prevTxid,
      vout: input.vout,
      scriptSig: { asm: scriptAsm(input.scriptSig), hex: toHex(input.scriptSig) },
      sequence: input.sequence,
    };
  });
  out.vout = tx.outputs.map((o, n) => {
    const v: Record<string, unknown> = { value: new Amount(o.value) };
    if (komodo) v[opts.includeHex ? 'valueSat' : 'valueZat'] = Number(o.value);
    v.n = n;
    v.scriptPubKey = scriptPubKeyJson(o.script, opts.prefixes);
    return v;
  });
  if (komodo) {
    out.vjoinsplit = [];
    if (tx.overwintered) {
      out.valueBalance = new Amount(tx.valueBalance);
      out.vShieldedSpend = [];
      out.vShieldedOutput = [];
    }
  }
  if (opts.block) {
    out.blockhash = opts.block.hash;
    if (komodo) out.height = opts.block.height;
    out.confirmations = opts.block.confirmations;
    if (komodo) out.rawconfirmations = opts.block.confirmations;
    out.time = opts.block.time;
    out.blocktime = opts.block.time;
  }
  return out;
}
