import { readFileSync } from 'node:fs';
import { iguanaPassphraseKey, toHex } from '@nn/chain-crypto';
import { parseElectedFile } from '@nn/komodo-params';
import { readSecretFile } from '@nn/shared';
import type { Logger } from 'pino';
import { messageOf, scrub } from '../errors.js';
import { type IguanaReply, IguanaUnreachable, iguanaError } from '../iguana/client.js';
import { ADDCOIN_OK, DPOW_ALREADY, dpowRequest, walletpassphraseRequest } from '../iguana/requests.js';
import type { CoinEntry } from './coin-registry.js';
import type { IguanaLine } from './iguana-line.js';

/** A step of the start-up sequence failed; the sequence stops and runs again next round. */
export class SequenceAborted extends Error {}

/** The passphrase goes from its file into the request and nowhere else; replies are scrubbed of it. */
export async function walletpassphrase(
  line: IguanaLine,
  passphraseFile: string,
  notaryPubkey: string,
): Promise<void> {
  let passphrase: string;
  try {
    passphrase = readSecretFile(passphraseFile);
  } catch (err) {
    throw new SequenceAborted(`walletpassphrase: ${messageOf(err)}`);
  }
  if (toHex(iguanaPassphraseKey(passphrase).publicKey) !== notaryPubkey.toLowerCase()) {
    throw new SequenceAborted(`walletpassphrase: the key of ${passphraseFile} is not notaryPubkey`);
  }
  let reply: IguanaReply;
  try {
    reply = await line.call(walletpassphraseRequest(passphrase), 'walletpassphrase');
  } catch (err) {
    if (err instanceof IguanaUnreachable) throw err;
    throw new SequenceAborted(`walletpassphrase: ${scrub(messageOf(err), passphrase)}`);
  }
  const err = iguanaError(reply);
  if (err !== undefined) throw new SequenceAborted(`walletpassphrase: ${scrub(err, passphrase)}`);
  const key = reply.btcpubkey;
  if (typeof key === 'string' && key.toLowerCase() !== notaryPubkey.toLowerCase()) {
    throw new SequenceAborted("walletpassphrase: Iguana's wallet key (btcpubkey) is not notaryPubkey");
  }
}

/** The seeds of the elected file, read at every sequence so an updated file applies. */
export function electedSeeds(electedFile: string): readonly string[] {
  let text: string;
  try {
    text = readFileSync(electedFile, 'utf8');
  } catch {
    throw new SequenceAborted(`elected file ${electedFile} is unreadable`);
  }
  try {
    return parseElectedFile(text).seeds;
  } catch (err) {
    throw new SequenceAborted(messageOf(err));
  }
}

/** addcoin for one coin; returns Iguana's result string (or undefined on an error). */
export async function addcoinStep(line: IguanaLine, e: CoinEntry, log: Logger): Promise<string | undefined> {
  const reply = await line.call(e.coin.addcoin, `addcoin ${e.coin.name}`);
  const err = iguanaError(reply);
  const result = typeof reply.result === 'string' ? reply.result : undefined;
  if (err === undefined && result !== undefined && (ADDCOIN_OK as readonly string[]).includes(result)) {
    e.registered = true;
    e.lastError = null;
    return result;
  }
  e.registered = false;
  e.lastError = `addcoin: ${err ?? `unexpected reply ${JSON.stringify(reply).slice(0, 200)}`}`;
  log.warn({ coin: e.coin.name, err: e.lastError }, 'addcoin failed');
  return undefined;
}

export async function dpowStep(
  line: IguanaLine,
  e: CoinEntry,
  notaryPubkey: string,
  log: Logger,
): Promise<void> {
  const reply = await line.call(dpowRequest(e.coin.name, notaryPubkey, e.coin.freq), `dpow ${e.coin.name}`);
  const err = iguanaError(reply);
  if (reply.result === 'success' || err === DPOW_ALREADY) {
    e.dpowActive = true;
    e.lastError = null;
    return;
  }
  e.dpowActive = false;
  e.lastError = `dpow: ${err ?? `unexpected reply ${JSON.stringify(reply).slice(0, 200)}`}`;
  log.warn({ coin: e.coin.name, err: e.lastError }, 'dpow failed');
}
