// Bitcoin/Litecoin serialization: legacy form, plus BIP144 segwit form when inputs carry witnesses.
import { type BufferReader, type BufferWriter, DecodeError } from './bytes.js';
import { MIN_INPUT_SIZE, readInputsWithCount, readOutputs, writeInputs, writeOutputs } from './tx-io.js';
import type { Transaction, TxInput } from './tx-types.js';

export function hasWitness(tx: Transaction): boolean {
  return tx.inputs.some((input) => (input.witness?.length ?? 0) > 0);
}

function assertBitcoinShape(tx: Transaction): void {
  if (
    tx.overwintered ||
    tx.shieldedSpends.length > 0 ||
    tx.shieldedOutputs.length > 0 ||
    tx.joinSplits.length > 0 ||
    tx.valueBalance !== 0n
  ) {
    throw new TypeError('a bitcoin-format transaction cannot carry overwinter/shielded fields');
  }
}

export function writeBitcoinTx(w: BufferWriter, tx: Transaction, withWitness: boolean): void {
  assertBitcoinShape(tx);
  const segwit = withWitness && hasWitness(tx);
  w.writeI32LE(tx.version);
  if (segwit) w.writeU8(0x00).writeU8(0x01);
  writeInputs(w, tx.inputs);
  writeOutputs(w, tx.outputs);
  if (segwit) {
    for (const input of tx.inputs) {
      const stack = input.witness ?? [];
      w.writeCompactSize(stack.length);
      for (const item of stack) w.writeVarBytes(item);
    }
  }
  w.writeU32LE(tx.lockTime);
}

/** Follows Bitcoin Core's UnserializeTransaction with witnesses allowed. */
export function readBitcoinTx(r: BufferReader): Transaction {
  const version = r.readI32LE();
  let flags = 0;
  let inputCount = r.readCount(MIN_INPUT_SIZE, 'inputs');
  let inputs: TxInput[] = readInputsWithCount(r, inputCount);
  let outputs: Transaction['outputs'] = [];
  if (inputCount === 0) {
    // Either the segwit marker (0x00) or a genuinely empty input list: the next byte decides.
    flags = r.readU8();
    if (flags !== 0) {
      inputCount = r.readCount(MIN_INPUT_SIZE, 'inputs');
      inputs = readInputsWithCount(r, inputCount);
      outputs = readOutputs(r);
    }
  } else {
    outputs = readOutputs(r);
  }
  if (flags & 1) {
    flags ^= 1;
    for (const input of inputs) {
      const items = r.readCount(1, 'witness items');
      const stack: Uint8Array[] = [];
      for (let i = 0; i < items; i++) stack.push(r.readVarBytes());
      input.witness = stack;
    }
    if (!inputs.some((input) => (input.witness?.length ?? 0) > 0)) {
      throw new DecodeError('superfluous witness record');
    }
  }
  if (flags !== 0) throw new DecodeError(`unknown transaction optional data (flags ${flags})`);
  const lockTime = r.readU32LE();
  return {
    version,
    overwintered: false,
    versionGroupId: 0,
    inputs,
    outputs,
    lockTime,
    expiryHeight: 0,
    valueBalance: 0n,
    shieldedSpends: [],
    shieldedOutputs: [],
    joinSplits: [],
  };
}
