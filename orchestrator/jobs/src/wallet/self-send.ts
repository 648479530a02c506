import { PermanentError } from '@nn/orchestrator-core';
import type { JobNotes, NoteName } from '../job-notes.js';
import { coins, type Unspent, type WalletRpc } from './wallet-rpc.js';

/**
 * komodod's standard-transaction limit is 100 000 bytes; a legacy input is ~148 bytes and a P2PK one
 * ~114, so 400 inputs stay well under it with room for the outputs.
 */
export const MAX_INPUTS_PER_TX = 400;
/** 0.0001 coin per started kB: komodod's and Litecoin's default relay fee rate for these sizes. */
const FEE_PER_KB = 10_000;
/** An output below this is not worth a transaction (and would be dust). */
export const MIN_OUTPUT = 10_000;

/** The fee of a transaction with n legacy inputs and one output, rounded up to the started kB. */
export function feeFor(inputs: number): number {
  const bytes = 10 + 148 * inputs + 34 + 20; // version, locktime, counts; the Sapling-era expiry fields
  return Math.ceil(bytes / 1000) * FEE_PER_KB;
}

export interface SelfSend {
  readonly txid: string;
  readonly fee: number;
  /** satoshis sent to the address (inputs minus the fee) */
  readonly amount: number;
  readonly inputs: number;
}

/**
 * Spends `inputs` into one output to `address`, crash-safe: the transaction is built and signed first,
 * its txid and hex kept in the job's notes, and only then broadcast. A re-run finds the note and
 * broadcasts the same bytes again (a no-op when the daemon has it), so a crash between the broadcast
 * and the note can never make a second, different spend. A kept transaction the daemon refuses and does
 * not know (it expired unmined, its inputs went elsewhere) is dropped and built again from what is
 * unspent now.
 */
export async function selfSend(
  rpc: WalletRpc,
  notes: JobNotes,
  note: NoteName,
  address: string,
  pick: () => Promise<readonly Unspent[]>,
  /** Called once the signed bytes are noted and before they are broadcast (the job's checkpoint). */
  signedHook: () => Promise<void> = async () => {},
): Promise<SelfSend | null> {
  const kept = await notes.get(note);
  if (kept) {
    const s = JSON.parse(kept) as SelfSend & { hex: string };
    if (await rebroadcast(rpc, s.txid, s.hex)) return strip(s);
  }
  const inputs = await pick();
  if (inputs.length === 0) return null;
  if (inputs.length > MAX_INPUTS_PER_TX)
    throw new PermanentError(`${inputs.length} inputs are too many for one transaction`);
  const total = inputs.reduce((a, u) => a + u.amount, 0);
  const fee = feeFor(inputs.length);
  if (total - fee < MIN_OUTPUT) return null;
  const raw = await rpc.call<string>('createrawtransaction', [
    inputs.map((u) => ({ txid: u.txid, vout: u.vout })),
    { [address]: coins(total - fee) },
  ]);
  const signed = await rpc.sign(raw);
  if (!signed.complete) throw new PermanentError('the wallet could not sign every input of the self-send');
  const { txid } = await rpc.call<{ txid: string }>('decoderawtransaction', [signed.hex]);
  const s: SelfSend = { txid, fee, amount: total - fee, inputs: inputs.length };
  await notes.set(note, JSON.stringify({ ...s, hex: signed.hex }));
  await signedHook();
  await rpc.call('sendrawtransaction', [signed.hex]);
  return s;
}

const strip = ({ txid, fee, amount, inputs }: SelfSend): SelfSend => ({ txid, fee, amount, inputs });

/** True when the daemon has (or now takes) the transaction. */
async function rebroadcast(rpc: WalletRpc, txid: string, hex: string): Promise<boolean> {
  if ((await rpc.confirmations(txid)) !== null) return true;
  try {
    await rpc.call('sendrawtransaction', [hex]);
    return true;
  } catch (err) {
    if (!(err instanceof PermanentError)) throw err;
    // -27 "transaction already in block chain": it is there.
    return /RPC error -27:/.test(err.message);
  }
}
