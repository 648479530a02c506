// Komodo serialization, which is Zcash's: a header word with the overwintered bit, then for Sapling v4
// the version group id, expiry height, value balance, shielded spends/outputs, joinsplits, binding sig.
import { type BufferReader, type BufferWriter, DecodeError } from './bytes.js';
import { MIN_INPUT_SIZE, readInputsWithCount, readOutputs, writeInputs, writeOutputs } from './tx-io.js';
import {
  JOINSPLIT_SIZE_GROTH,
  JOINSPLIT_SIZE_PHGR,
  type JoinSplit,
  SAPLING_OUTPUT_SIZE,
  SAPLING_SPEND_SIZE,
  SAPLING_TX_VERSION,
  SAPLING_VERSION_GROUP_ID,
  type SaplingOutput,
  type SaplingSpend,
  type Transaction,
} from './tx-types.js';

const OVERWINTERED_BIT = 0x80000000;

function isSaplingV4(tx: Pick<Transaction, 'overwintered' | 'version' | 'versionGroupId'>): boolean {
  return (
    tx.overwintered && tx.version === SAPLING_TX_VERSION && tx.versionGroupId === SAPLING_VERSION_GROUP_ID
  );
}

function requireLength(bytes: Uint8Array | undefined, length: number, what: string): Uint8Array {
  if (!(bytes instanceof Uint8Array) || bytes.length !== length) {
    throw new TypeError(`${what} must be ${length} bytes`);
  }
  return bytes;
}

function joinSplitSize(tx: Pick<Transaction, 'overwintered' | 'version' | 'versionGroupId'>): number {
  return isSaplingV4(tx) ? JOINSPLIT_SIZE_GROTH : JOINSPLIT_SIZE_PHGR;
}

export function writeSaplingSpend(w: BufferWriter, s: SaplingSpend, withAuthSig = true): void {
  w.writeBytes(requireLength(s.cv, 32, 'spend cv'))
    .writeBytes(requireLength(s.anchor, 32, 'spend anchor'))
    .writeBytes(requireLength(s.nullifier, 32, 'spend nullifier'))
    .writeBytes(requireLength(s.rk, 32, 'spend rk'))
    .writeBytes(requireLength(s.zkproof, 192, 'spend zkproof'));
  if (withAuthSig) w.writeBytes(requireLength(s.spendAuthSig, 64, 'spendAuthSig'));
}

export function writeSaplingOutput(w: BufferWriter, o: SaplingOutput): void {
  w.writeBytes(requireLength(o.cv, 32, 'output cv'))
    .writeBytes(requireLength(o.cmu, 32, 'output cmu'))
    .writeBytes(requireLength(o.ephemeralKey, 32, 'output ephemeralKey'))
    .writeBytes(requireLength(o.encCiphertext, 580, 'encCiphertext'))
    .writeBytes(requireLength(o.outCiphertext, 80, 'outCiphertext'))
    .writeBytes(requireLength(o.zkproof, 192, 'output zkproof'));
}

export function writeKomodoTx(w: BufferWriter, tx: Transaction): void {
  if (tx.inputs.some((input) => (input.witness?.length ?? 0) > 0)) {
    throw new TypeError('komodo transactions have no segwit witnesses');
  }
  const sapling = isSaplingV4(tx);
  if (tx.overwintered && !sapling) {
    throw new TypeError('only Sapling v4 (version group 0x892f2085) overwintered transactions are supported');
  }
  if (!Number.isInteger(tx.version) || tx.version < 0 || tx.version > 0x7fffffff) {
    throw new RangeError(`komodo transaction version out of range: ${tx.version}`);
  }
  if (!sapling && (tx.shieldedSpends.length || tx.shieldedOutputs.length || tx.valueBalance !== 0n)) {
    throw new TypeError('Sapling fields need a v4 overwintered transaction');
  }
  if (tx.version < 2 && tx.joinSplits.length > 0) throw new TypeError('joinsplits need version >= 2');
  w.writeU32LE((tx.version | (tx.overwintered ? OVERWINTERED_BIT : 0)) >>> 0);
  if (tx.overwintered) w.writeU32LE(tx.versionGroupId);
  writeInputs(w, tx.inputs);
  writeOutputs(w, tx.outputs);
  w.writeU32LE(tx.lockTime);
  if (sapling) {
    w.writeU32LE(tx.expiryHeight);
    w.writeI64LE(tx.valueBalance);
    w.writeCompactSize(tx.shieldedSpends.length);
    for (const spend of tx.shieldedSpends) writeSaplingSpend(w, spend);
    w.writeCompactSize(tx.shieldedOutputs.length);
    for (const output of tx.shieldedOutputs) writeSaplingOutput(w, output);
  }
  if (tx.version >= 2) {
    const size = joinSplitSize(tx);
    w.writeCompactSize(tx.joinSplits.length);
    for (const js of tx.joinSplits) w.writeBytes(requireLength(js.raw, size, 'joinsplit'));
    if (tx.joinSplits.length > 0) {
      w.writeBytes(requireLength(tx.joinSplitPubKey, 32, 'joinSplitPubKey'));
      w.writeBytes(requireLength(tx.joinSplitSig, 64, 'joinSplitSig'));
    }
  }
  if (sapling && tx.shieldedSpends.length + tx.shieldedOutputs.length > 0) {
    w.writeBytes(requireLength(tx.bindingSig, 64, 'bindingSig'));
  }
}

function readSpend(r: BufferReader): SaplingSpend {
  return {
    cv: r.readBytes(32),
    anchor: r.readBytes(32),
    nullifier: r.readBytes(32),
    rk: r.readBytes(32),
    zkproof: r.readBytes(192),
    spendAuthSig: r.readBytes(64),
  };
}

function readSaplingOutput(r: BufferReader): SaplingOutput {
  return {
    cv: r.readBytes(32),
    cmu: r.readBytes(32),
    ephemeralKey: r.readBytes(32),
    encCiphertext: r.readBytes(580),
    outCiphertext: r.readBytes(80),
    zkproof: r.readBytes(192),
  };
}

export function readKomodoTx(r: BufferReader): Transaction {
  const header = r.readU32LE();
  const overwintered = header >>> 31 === 1;
  const version = header & 0x7fffffff;
  let versionGroupId = 0;
  if (overwintered) {
    versionGroupId = r.readU32LE();
    if (version !== SAPLING_TX_VERSION || versionGroupId !== SAPLING_VERSION_GROUP_ID) {
      throw new DecodeError(
        `unsupported overwintered transaction (version ${version}, group 0x${versionGroupId.toString(16)})`,
      );
    }
  }
  const inputs = readInputsWithCount(r, r.readCount(MIN_INPUT_SIZE, 'inputs'));
  const outputs = readOutputs(r);
  const lockTime = r.readU32LE();
  const tx: Transaction = {
    version,
    overwintered,
    versionGroupId,
    inputs,
    outputs,
    lockTime,
    expiryHeight: 0,
    valueBalance: 0n,
    shieldedSpends: [],
    shieldedOutputs: [],
    joinSplits: [],
  };
  if (overwintered) {
    tx.expiryHeight = r.readU32LE();
    tx.valueBalance = r.readI64LE();
    const spends = r.readCount(SAPLING_SPEND_SIZE, 'Sapling spends');
    for (let i = 0; i < spends; i++) tx.shieldedSpends.push(readSpend(r));
    const outs = r.readCount(SAPLING_OUTPUT_SIZE, 'Sapling outputs');
    for (let i = 0; i < outs; i++) tx.shieldedOutputs.push(readSaplingOutput(r));
  }
  if (version >= 2) {
    const size = joinSplitSize(tx);
    const count = r.readCount(size, 'joinsplits');
    const joinSplits: JoinSplit[] = [];
    for (let i = 0; i < count; i++) joinSplits.push({ raw: r.readBytes(size) });
    tx.joinSplits = joinSplits;
    if (count > 0) {
      tx.joinSplitPubKey = r.readBytes(32);
      tx.joinSplitSig = r.readBytes(64);
    }
  }
  if (overwintered && tx.shieldedSpends.length + tx.shieldedOutputs.length > 0) {
    tx.bindingSig = r.readBytes(64);
  }
  return tx;
}
