// ZIP-243 signature hash for Sapling v4 transactions (Zcash, and Komodo since its Sapling upgrade).
import { blake2b } from '@noble/hashes/blake2.js';
import { BufferWriter } from './bytes.js';
import { SIGHASH_ANYONECANPAY, SIGHASH_NONE, SIGHASH_SINGLE } from './sighash-legacy.js';
import { writeOutpoint, writeOutput } from './tx-io.js';
import { writeSaplingOutput, writeSaplingSpend } from './tx-komodo.js';
import { SAPLING_BRANCH_ID, type Transaction } from './tx-types.js';

const ZERO32: Uint8Array = new Uint8Array(32);
const ascii = (s: string) => new TextEncoder().encode(s);

function personalHash(personalization: Uint8Array, data: Uint8Array): Uint8Array {
  return blake2b(data, { dkLen: 32, personalization });
}

function hashOf(tag: string, fill: (w: BufferWriter) => void): Uint8Array {
  const w = new BufferWriter();
  fill(w);
  return personalHash(ascii(tag), w.toBytes());
}

/**
 * ZIP-243 sighash. `inputIndex` undefined means NOT_AN_INPUT (the hash that covers shielded parts
 * only); otherwise `scriptCode` and `amount` describe the spent transparent output. Returns the raw
 * 32-byte BLAKE2b digest, which is what gets signed.
 */
export function zip243Sighash(
  tx: Transaction,
  inputIndex: number | undefined,
  scriptCode: Uint8Array,
  amount: bigint,
  hashType: number,
  consensusBranchId: number = SAPLING_BRANCH_ID,
): Uint8Array {
  if (
    inputIndex !== undefined &&
    (!Number.isInteger(inputIndex) || inputIndex < 0 || inputIndex >= tx.inputs.length)
  ) {
    throw new RangeError(`input index ${inputIndex} is out of range`);
  }
  const base = hashType & 0x1f;
  const anyoneCanPay = (hashType & SIGHASH_ANYONECANPAY) !== 0;
  const noneOrSingle = base === SIGHASH_NONE || base === SIGHASH_SINGLE;

  const hashPrevouts = anyoneCanPay
    ? ZERO32
    : hashOf('ZcashPrevoutHash', (w) => {
        for (const input of tx.inputs) writeOutpoint(w, input);
      });
  const hashSequence =
    anyoneCanPay || noneOrSingle
      ? ZERO32
      : hashOf('ZcashSequencHash', (w) => {
          for (const input of tx.inputs) w.writeU32LE(input.sequence);
        });
  let hashOutputs: Uint8Array = ZERO32;
  if (!noneOrSingle) {
    hashOutputs = hashOf('ZcashOutputsHash', (w) => {
      for (const output of tx.outputs) writeOutput(w, output);
    });
  } else if (base === SIGHASH_SINGLE && inputIndex !== undefined && inputIndex < tx.outputs.length) {
    const output = tx.outputs[inputIndex];
    if (output) hashOutputs = hashOf('ZcashOutputsHash', (w) => writeOutput(w, output));
  }
  const hashJoinSplits =
    tx.joinSplits.length === 0
      ? ZERO32
      : hashOf('ZcashJSplitsHash', (w) => {
          for (const js of tx.joinSplits) w.writeBytes(js.raw);
          w.writeBytes(tx.joinSplitPubKey ?? ZERO32);
        });
  const hashShieldedSpends =
    tx.shieldedSpends.length === 0
      ? ZERO32
      : hashOf('ZcashSSpendsHash', (w) => {
          // spendAuthSig is not covered: it signs this very hash.
          for (const spend of tx.shieldedSpends) writeSaplingSpend(w, spend, false);
        });
  const hashShieldedOutputs =
    tx.shieldedOutputs.length === 0
      ? ZERO32
      : hashOf('ZcashSOutputHash', (w) => {
          for (const output of tx.shieldedOutputs) writeSaplingOutput(w, output);
        });

  const w = new BufferWriter(512);
  w.writeU32LE((tx.version | (tx.overwintered ? 0x80000000 : 0)) >>> 0);
  w.writeU32LE(tx.versionGroupId >>> 0);
  w.writeBytes(hashPrevouts)
    .writeBytes(hashSequence)
    .writeBytes(hashOutputs)
    .writeBytes(hashJoinSplits)
    .writeBytes(hashShieldedSpends)
    .writeBytes(hashShieldedOutputs);
  w.writeU32LE(tx.lockTime).writeU32LE(tx.expiryHeight).writeI64LE(tx.valueBalance);
  w.writeU32LE(hashType >>> 0);
  if (inputIndex !== undefined) {
    const input = tx.inputs[inputIndex];
    if (!input) throw new RangeError(`input index ${inputIndex} is out of range`);
    writeOutpoint(w, input);
    w.writeVarBytes(scriptCode).writeI64LE(amount).writeU32LE(input.sequence);
  }
  const personalization = new Uint8Array(16);
  personalization.set(ascii('ZcashSigHash'));
  new DataView(personalization.buffer).setUint32(12, consensusBranchId >>> 0, true);
  return personalHash(personalization, w.toBytes());
}
