// Minimal input scripts for P2PK (`<sig>`) and P2PKH (`<sig> <pubkey>`), and their parser.
import { buildScript, tryParseScript } from './script.js';
import { hasPubkeyShape } from './script-templates.js';

export type ParsedScriptSig =
  | { type: 'p2pk'; signature: Uint8Array }
  | { type: 'p2pkh'; signature: Uint8Array; pubkey: Uint8Array };

/** `signature` is the DER signature followed by its hash-type byte. */
export function p2pkScriptSig(signature: Uint8Array): Uint8Array {
  return buildScript([signature]);
}

export function p2pkhScriptSig(signature: Uint8Array, pubkey: Uint8Array): Uint8Array {
  return buildScript([signature, pubkey]);
}

/** Rough shape of a DER signature plus hash-type byte (Core's IsValidSignatureEncoding bounds). */
function looksLikeSignature(sig: Uint8Array): boolean {
  return sig.length >= 9 && sig.length <= 73 && sig[0] === 0x30 && sig[1] === sig.length - 3;
}

/** Recognises the two minimal script-sigs; anything else yields undefined. */
export function parseScriptSig(scriptSig: Uint8Array): ParsedScriptSig | undefined {
  const chunks = tryParseScript(scriptSig);
  if (!chunks || chunks.length < 1 || chunks.length > 2) return undefined;
  const [first, second] = chunks;
  if (!first?.data || !looksLikeSignature(first.data)) return undefined;
  if (!second) return { type: 'p2pk', signature: first.data };
  if (!second.data || !hasPubkeyShape(second.data)) return undefined;
  return { type: 'p2pkh', signature: first.data, pubkey: second.data };
}
