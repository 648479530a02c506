// Reading and writing the transparent parts common to both formats.
import type { BufferReader, BufferWriter } from './bytes.js';
import { displayHexToHash, hashToDisplayHex } from './hex.js';
import type { TxInput, TxOutput } from './tx-types.js';

/** Smallest encodings: outpoint 36 + empty script 1 + sequence 4; value 8 + empty script 1. */
export const MIN_INPUT_SIZE = 41;
export const MIN_OUTPUT_SIZE = 9;

export function writeOutpoint(w: BufferWriter, input: Pick<TxInput, 'prevTxid' | 'vout'>): void {
  w.writeBytes(displayHexToHash(input.prevTxid)).writeU32LE(input.vout);
}

export function writeInput(w: BufferWriter, input: TxInput): void {
  writeOutpoint(w, input);
  w.writeVarBytes(input.scriptSig).writeU32LE(input.sequence);
}

export function writeOutput(w: BufferWriter, output: TxOutput): void {
  w.writeI64LE(output.value).writeVarBytes(output.script);
}

export function writeInputs(w: BufferWriter, inputs: readonly TxInput[]): void {
  w.writeCompactSize(inputs.length);
  for (const input of inputs) writeInput(w, input);
}

export function writeOutputs(w: BufferWriter, outputs: readonly TxOutput[]): void {
  w.writeCompactSize(outputs.length);
  for (const output of outputs) writeOutput(w, output);
}

export function readInput(r: BufferReader): TxInput {
  const prevTxid = hashToDisplayHex(r.readBytes(32));
  const vout = r.readU32LE();
  const scriptSig = r.readVarBytes();
  const sequence = r.readU32LE();
  return { prevTxid, vout, scriptSig, sequence };
}

export function readOutput(r: BufferReader): TxOutput {
  const value = r.readI64LE();
  const script = r.readVarBytes();
  return { value, script };
}

export function readInputsWithCount(r: BufferReader, count: number): TxInput[] {
  const inputs: TxInput[] = [];
  for (let i = 0; i < count; i++) inputs.push(readInput(r));
  return inputs;
}

export function readOutputs(r: BufferReader): TxOutput[] {
  const count = r.readCount(MIN_OUTPUT_SIZE, 'outputs');
  const outputs: TxOutput[] = [];
  for (let i = 0; i < count; i++) outputs.push(readOutput(r));
  return outputs;
}
