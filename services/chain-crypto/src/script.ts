// Script opcodes, push encoding and a tokenizer that follows Bitcoin Core's GetScriptOp.
import { BufferWriter, concatBytes } from './bytes.js';

export class ScriptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScriptError';
  }
}

export const OP = {
  OP_0: 0x00,
  OP_PUSHDATA1: 0x4c,
  OP_PUSHDATA2: 0x4d,
  OP_PUSHDATA4: 0x4e,
  OP_1NEGATE: 0x4f,
  OP_1: 0x51,
  OP_16: 0x60,
  OP_RETURN: 0x6a,
  OP_DUP: 0x76,
  OP_EQUAL: 0x87,
  OP_EQUALVERIFY: 0x88,
  OP_HASH160: 0xa9,
  OP_CODESEPARATOR: 0xab,
  OP_CHECKSIG: 0xac,
  OP_CHECKMULTISIG: 0xae,
} as const;

/** One script element: an opcode, with the pushed bytes for push opcodes (0x00..0x4e). */
export interface ScriptChunk {
  opcode: number;
  data?: Uint8Array;
  /** Offset of the opcode byte and the offset just past the element. */
  start: number;
  end: number;
}

/**
 * Encodes a data push the way Bitcoin Core's `CScript << bytes` does: direct for 0..75 bytes (an empty
 * push is OP_0), then OP_PUSHDATA1 up to 255, OP_PUSHDATA2 up to 65535, OP_PUSHDATA4 beyond.
 */
export function pushData(data: Uint8Array): Uint8Array {
  const w = new BufferWriter(data.length + 5);
  const n = data.length;
  if (n < OP.OP_PUSHDATA1) w.writeU8(n);
  else if (n <= 0xff) w.writeU8(OP.OP_PUSHDATA1).writeU8(n);
  else if (n <= 0xffff) w.writeU8(OP.OP_PUSHDATA2).writeU16LE(n);
  else if (n <= 0xffffffff) w.writeU8(OP.OP_PUSHDATA4).writeU32LE(n);
  else throw new ScriptError('push too large');
  return w.writeBytes(data).toBytes();
}

/** Builds a script from opcodes (numbers) and data pushes (byte arrays). */
export function buildScript(parts: ReadonlyArray<number | Uint8Array>): Uint8Array {
  const pieces: Uint8Array[] = [];
  for (const part of parts) {
    if (typeof part === 'number') {
      if (!Number.isInteger(part) || part < 0 || part > 0xff) throw new ScriptError(`invalid opcode ${part}`);
      pieces.push(Uint8Array.of(part));
    } else {
      pieces.push(pushData(part));
    }
  }
  return concatBytes(...pieces);
}

export type ScriptOpResult = { ok: true; chunk: ScriptChunk } | { ok: false; stop: number };

/**
 * Reads the element at `pos`. On a truncated push it fails with `stop` set where Core's GetScriptOp
 * leaves its cursor (needed to reproduce legacy sighash on malformed scripts).
 */
export function readScriptOp(script: Uint8Array, pos: number): ScriptOpResult {
  if (pos >= script.length) return { ok: false, stop: pos };
  const opcode = script[pos] as number;
  let p = pos + 1;
  if (opcode > OP.OP_PUSHDATA4) return { ok: true, chunk: { opcode, start: pos, end: p } };
  let size: number;
  if (opcode < OP.OP_PUSHDATA1) {
    size = opcode;
  } else if (opcode === OP.OP_PUSHDATA1) {
    if (script.length - p < 1) return { ok: false, stop: p };
    size = script[p] as number;
    p += 1;
  } else if (opcode === OP.OP_PUSHDATA2) {
    if (script.length - p < 2) return { ok: false, stop: p };
    size = (script[p] as number) | ((script[p + 1] as number) << 8);
    p += 2;
  } else {
    if (script.length - p < 4) return { ok: false, stop: p };
    size =
      ((script[p] as number) |
        ((script[p + 1] as number) << 8) |
        ((script[p + 2] as number) << 16) |
        ((script[p + 3] as number) << 24)) >>>
      0;
    p += 4;
  }
  if (script.length - p < size) return { ok: false, stop: p };
  return { ok: true, chunk: { opcode, data: script.slice(p, p + size), start: pos, end: p + size } };
}

/** Tokenizes a whole script; throws ScriptError on a truncated push. */
export function parseScript(script: Uint8Array): ScriptChunk[] {
  const chunks: ScriptChunk[] = [];
  let pos = 0;
  while (pos < script.length) {
    const r = readScriptOp(script, pos);
    if (!r.ok) throw new ScriptError(`truncated push at offset ${pos}`);
    chunks.push(r.chunk);
    pos = r.chunk.end;
  }
  return chunks;
}

/** Like parseScript but returns undefined instead of throwing. */
export function tryParseScript(script: Uint8Array): ScriptChunk[] | undefined {
  try {
    return parseScript(script);
  } catch {
    return undefined;
  }
}

/** Push-only in Core's sense: every opcode is at most OP_16. */
export function isPushOnly(chunks: readonly ScriptChunk[]): boolean {
  return chunks.every((c) => c.opcode <= OP.OP_16);
}
