// Bitcoin's original signature hash (SigVersion BASE), also used by Komodo for legacy v1 transactions.
import { BufferWriter } from './bytes.js';
import { sha256d } from './hashes.js';
import { OP, readScriptOp } from './script.js';
import { writeOutpoint } from './tx-io.js';
import type { Transaction } from './tx-types.js';

export const SIGHASH_ALL = 0x01;
export const SIGHASH_NONE = 0x02;
export const SIGHASH_SINGLE = 0x03;
export const SIGHASH_ANYONECANPAY = 0x80;

/** uint256(1) in internal byte order: what Core signs for out-of-range SIGHASH_SINGLE (a known quirk). */
function uint256One(): Uint8Array {
  const one = new Uint8Array(32);
  one[0] = 1;
  return one;
}

/**
 * Writes the script code with every OP_CODESEPARATOR removed, reproducing Core's
 * CTransactionSignatureSerializer::SerializeScriptCode byte for byte, malformed tails included.
 */
function writeScriptCode(w: BufferWriter, script: Uint8Array): void {
  let separators = 0;
  for (let pos = 0; ; ) {
    const r = readScriptOp(script, pos);
    if (!r.ok) break;
    if (r.chunk.opcode === OP.OP_CODESEPARATOR) separators++;
    pos = r.chunk.end;
  }
  w.writeCompactSize(script.length - separators);
  let begin = 0;
  let it = 0;
  for (;;) {
    const r = readScriptOp(script, it);
    if (!r.ok) {
      it = r.stop;
      break;
    }
    it = r.chunk.end;
    if (r.chunk.opcode === OP.OP_CODESEPARATOR) {
      w.writeBytes(script.subarray(begin, it - 1));
      begin = it;
    }
  }
  if (begin !== script.length) w.writeBytes(script.subarray(begin, it));
}

/**
 * Legacy sighash of input `inputIndex` signing with `scriptCode` (the spent output's script for P2PK and
 * P2PKH). `hashType` is the full 32-bit value appended to the preimage; its low 5 bits select
 * ALL/NONE/SINGLE and bit 0x80 is ANYONECANPAY. Returns the 32-byte hash in internal order.
 */
export function legacySighash(
  tx: Transaction,
  inputIndex: number,
  scriptCode: Uint8Array,
  hashType: number,
): Uint8Array {
  if (!Number.isInteger(inputIndex) || inputIndex < 0) throw new RangeError(`bad input index ${inputIndex}`);
  if (inputIndex >= tx.inputs.length) return uint256One();
  const base = hashType & 0x1f;
  const anyoneCanPay = (hashType & SIGHASH_ANYONECANPAY) !== 0;
  const none = base === SIGHASH_NONE;
  const single = base === SIGHASH_SINGLE;
  if (single && inputIndex >= tx.outputs.length) return uint256One();

  const w = new BufferWriter(256 + scriptCode.length);
  w.writeI32LE(tx.version | 0);
  const inputIndexes = anyoneCanPay ? [inputIndex] : tx.inputs.map((_, i) => i);
  w.writeCompactSize(inputIndexes.length);
  for (const i of inputIndexes) {
    const input = tx.inputs[i];
    if (!input) throw new RangeError(`missing input ${i}`);
    writeOutpoint(w, input);
    if (i === inputIndex) writeScriptCode(w, scriptCode);
    else w.writeCompactSize(0);
    w.writeU32LE(i !== inputIndex && (none || single) ? 0 : input.sequence);
  }
  const outputCount = none ? 0 : single ? inputIndex + 1 : tx.outputs.length;
  w.writeCompactSize(outputCount);
  for (let i = 0; i < outputCount; i++) {
    const output = tx.outputs[i];
    if (!output) throw new RangeError(`missing output ${i}`);
    if (single && i !== inputIndex) {
      // Outputs before the signed one are blanked to value -1 and an empty script.
      w.writeI64LE(-1n).writeCompactSize(0);
    } else {
      w.writeI64LE(output.value).writeVarBytes(output.script);
    }
  }
  w.writeU32LE(tx.lockTime);
  w.writeI32LE(hashType | 0);
  return sha256d(w.toBytes());
}
