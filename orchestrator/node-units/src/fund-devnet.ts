import { encodeWif, iguanaPassphraseKey, LTC_PREFIXES, p2pkhAddress } from '@nn/chain-crypto';
import { IguanaClient, SidecarClient } from '@nn/sidecar-clients';
import type { BaseUnits } from './deploy-base-units.js';

// A devnet's chores before notarisation can start, done once: Iguana spends the notary's coins on KMD
// (the dest tx to LTC) and on LTC, and coinbases mature after 100 blocks. Assetchains fund themselves
// (they mine to -pubkey from the first block, maturity 1).

const MATURE = 101;
/** generatetoaddress 101 can take a while on a loaded machine. */
const RPC_TIMEOUT_MS = 120_000;

/** Notary-size UTXOs a devnet keeps on KMD and LTC (each round spends one on each side). */
const SPLIT_TO = 20;
/** Below this many a coin is split again (the orchestrator's chore uses the same quarter). */
const LOW = Math.ceil(SPLIT_TO / 4);

/** Asks the Iguana sidecar to split the notary's funds on `coin` when it has fewer than LOW notary UTXOs. */
async function splitIfLow(iguana: IguanaClient, coin: string): Promise<boolean> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const c = (await iguana.coins()).find((x) => x.name === coin);
    if (c?.registered && typeof c.notaryUtxos === 'number') {
      if (c.notaryUtxos >= LOW) return false;
      break;
    }
    if (Date.now() > deadline) throw new Error(`Iguana did not report ${coin} within 120 s`);
    await new Promise((r) => setTimeout(r, 1_000));
  }
  await iguana.split(coin, SPLIT_TO);
  return true;
}

export interface FundResult {
  readonly ltcBlocks: number;
  readonly kmdBlocks: number;
  /** True when blocks were mined (first run). */
  readonly funded: boolean;
  /** Coins whose notary UTXOs were low and got split (a chore, also on later runs). */
  readonly split: string[];
}

/** Imports the notary key into LTC and mines both chains past coinbase maturity, unless already done. */
export async function fundDevnet(base: BaseUnits): Promise<FundResult> {
  const { secrets } = base;
  if (!base.ltc || !base.iguana) throw new Error('only a node with LTC and Iguana is funded locally');
  // The params never reach an error text: importprivkey carries the key.
  const ltc = new SidecarClient(base.ltc.endpoint, RPC_TIMEOUT_MS);
  const kmd = new SidecarClient(base.kmd.endpoint, RPC_TIMEOUT_MS);
  const ltcRpc = <T>(method: string, params: unknown[] = []) =>
    ltc.rpc<T>(secrets.ltc.operator, method, params);
  const kmdRpc = <T>(method: string, params: unknown[] = []) =>
    kmd.rpc<T>(secrets.kmd.operator, method, params);
  let funded = false;
  const key = iguanaPassphraseKey(secrets.passphrase);
  if ((await ltcRpc<number>('getblockcount')) < MATURE) {
    await ltcRpc('importprivkey', [encodeWif(key.privateKey, LTC_PREFIXES.wif, true), '', false]);
    await ltcRpc('generatetoaddress', [MATURE, p2pkhAddress(key.publicKey, LTC_PREFIXES)]);
    funded = true;
  }
  // KMD mines to the notary's -pubkey; Iguana imports the key there itself (walletpassphrase).
  const kmdHeight = await kmdRpc<number>('getblockcount');
  if (kmdHeight < MATURE) {
    await kmdRpc('generate', [MATURE - kmdHeight]);
    funded = true;
  }
  const split: string[] = [];
  const iguana = new IguanaClient(base.iguana.endpoint, secrets.iguana.operator, RPC_TIMEOUT_MS);
  for (const coin of ['KMD', 'LTC']) if (await splitIfLow(iguana, coin)) split.push(coin);
  return {
    split,
    ltcBlocks: await ltcRpc<number>('getblockcount'),
    kmdBlocks: await kmdRpc<number>('getblockcount'),
    funded,
  };
}
