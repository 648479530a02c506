// The notarisation loop of a lone notary (dPoW iguana_notary.c dpow_srcupdate, dpow_fsm.c
// dpow_statemachinestart, dpow_tx.c dpow_sigscheck), driven by polling each source daemon's tip.
import { deserialize, fromHex, serialize, toHex, txid as txidOf } from '@nn/chain-crypto';
import { type ElectedNotary, encodeNotarisationData } from '@nn/komodo-params';
import type { Logger } from 'pino';
import { type Coin, coinAddress } from '../coins/coin.js';
import type { DaemonCaller } from '../daemon/rpc.js';
import { chainTip, decodedScriptSigs, getinfo, lockUnspent, signRaw } from './daemon-ops.js';
import { buildNotaryTx } from './notary-tx.js';
import { candidateHeight, MAX_MOMDEPTH, roundDue } from './settings.js';
import { type NotaryUtxo, notaryUtxos, pickRandom, type UnspentItem } from './utxo.js';

export interface Notarisation {
  readonly height: number;
  readonly hash: string;
  readonly desttxid: string;
  readonly srctxid: string;
  readonly time: number;
}

/** One `dpow` registration: a source coin notarised into its destination. */
export interface DpowEntry {
  readonly symbol: string;
  readonly dest: string;
  readonly pubkey: string;
  readonly srcconfirms: number;
  readonly freq: number;
  readonly minsigs: number;
  readonly ccid: number;
  lastHeight: number | undefined;
  prevDestHeight: number;
  rounds: number;
  completed: number;
  current: { height: number; started: number } | undefined;
  last: Notarisation | undefined;
  lastProblem: { message: string; time: number } | undefined;
}

export interface EngineDeps {
  readonly caller: DaemonCaller;
  readonly coin: (symbol: string) => Coin | undefined;
  readonly notaries: readonly ElectedNotary[];
  readonly log: Logger;
  readonly pollMs: number;
  readonly random?: () => number;
}

const ZERO_HASH = '0'.repeat(64);

export class NotarisationEngine {
  readonly entries = new Map<string, DpowEntry>();
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private busy = new Set<string>();
  private stopped = false;

  constructor(private readonly deps: EngineDeps) {}

  add(entry: DpowEntry): void {
    this.entries.set(entry.symbol, entry);
  }

  start(): void {
    if (this.timer || this.stopped) return;
    this.timer = setInterval(() => this.tick(), this.deps.pollMs);
    this.timer.unref();
  }

  /** Stops polling and waits for running rounds, so no UTXO is left locked by a clean stop. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await Promise.allSettled([...this.inFlight]);
  }

  private tick(): void {
    for (const entry of this.entries.values()) {
      if (this.busy.has(entry.symbol) || this.stopped) continue;
      this.busy.add(entry.symbol);
      const p = this.poll(entry)
        .catch((err: unknown) => this.problem(entry, `poll failed: ${(err as Error).message}`, 'debug'))
        .finally(() => {
          this.busy.delete(entry.symbol);
          this.inFlight.delete(p);
        });
      this.inFlight.add(p);
    }
  }

  private problem(entry: DpowEntry, message: string, level: 'warn' | 'debug' = 'warn'): void {
    entry.lastProblem = { message, time: Math.floor(Date.now() / 1000) };
    this.deps.log[level]({ coin: entry.symbol, dest: entry.dest }, message);
  }

  /** Feeds each new source height in order; runs the round of the newest candidate that is due. */
  async poll(entry: DpowEntry): Promise<void> {
    const src = this.deps.coin(entry.symbol);
    const dest = this.deps.coin(entry.dest);
    if (!src || !dest) return;
    const tip = await chainTip(this.deps.caller, src);
    const from = entry.lastHeight === undefined ? tip.height : entry.lastHeight + 1;
    if (tip.height < from) {
      if (tip.height < (entry.lastHeight ?? 0)) entry.lastHeight = tip.height; // reorg to a shorter chain
      return;
    }
    entry.lastHeight = tip.height;
    const destIsKmd = entry.dest === 'KMD';
    const destHeight = destIsKmd ? (await chainTip(this.deps.caller, dest)).height : 0;
    let due: number | undefined;
    for (let h = from; h <= tip.height; h++) {
      const candidate = candidateHeight(h, entry.srcconfirms);
      if (roundDue(candidate, entry.freq, destIsKmd, destHeight, entry.prevDestHeight)) due = candidate;
    }
    if (due === undefined || this.stopped) return;
    if (destIsKmd) entry.prevDestHeight = destHeight;
    await this.round(entry, src, dest, due);
  }

  private async round(entry: DpowEntry, src: Coin, dest: Coin, height: number): Promise<void> {
    const { caller, log } = this.deps;
    const pubkey = fromHex(entry.pubkey);
    const srcaddr = coinAddress(src, pubkey);
    const destaddr = coinAddress(dest, pubkey);
    const myind = this.deps.notaries.findIndex((n) => n.pubkey === entry.pubkey);
    if (myind < 0) {
      this.problem(
        entry,
        `statemachinestart this node ${srcaddr} ${destaddr} is not official notary numnotaries.${this.deps.notaries.length} bpht.${height}`,
      );
      return;
    }
    if (entry.minsigs > 1) {
      // Real Iguana gathers the other signatures over its notary network; deviguana has none.
      this.problem(
        entry,
        `ht.${height} needs minsigs.${entry.minsigs} signatures: deviguana has no notary network, a lone notary needs minsigs 1`,
      );
      return;
    }
    const hash = await caller.call<string>(src.endpoint, 'getblockhash', [height]);
    entry.rounds++;
    entry.current = { height, started: Math.floor(Date.now() / 1000) };
    const locked: Array<{ coin: Coin; utxo: NotaryUtxo }> = [];
    let done: Notarisation | undefined;
    try {
      // Dest UTXO first, then source, each locked when its chain is KMD (dpow_statemachinestart).
      const destUtxo = await this.haveUtxo(entry, dest, destaddr, src.symbol);
      if (destUtxo && dest.symbol === 'KMD' && (await lockUnspent(caller, dest, false, destUtxo))) {
        locked.push({ coin: dest, utxo: destUtxo });
        log.info({ coin: entry.symbol }, `>>>> LOCKED KMD UTXO.(${destUtxo.txid}) vout.(${destUtxo.vout})`);
      }
      const srcUtxo = await this.haveUtxo(entry, src, srcaddr, '');
      if (srcUtxo && src.symbol === 'KMD' && (await lockUnspent(caller, src, false, srcUtxo))) {
        locked.push({ coin: src, utxo: srcUtxo });
        log.info({ coin: entry.symbol }, `>>>> LOCKED KMD UTXO.(${srcUtxo.txid}) vout.(${srcUtxo.vout})`);
      }
      if (!destUtxo || !srcUtxo) return;
      log.info(
        { coin: entry.symbol },
        `[${myind}] notarize ${entry.symbol}->${entry.dest} ${hash} ht.${height} minsigs.${entry.minsigs}`,
      );
      const mom = dest.symbol === 'KMD' ? await this.calcMoM(src, height) : undefined;
      const momFields = mom
        ? { mom: mom.mom, momDepth: ((mom.depth & 0xffff) | (entry.ccid << 16)) >>> 0 }
        : {};
      const destPayload = encodeNotarisationData({ srcHash: hash, height, symbol: src.symbol, ...momFields });
      const desttxid = await this.signAndSend(dest, destUtxo, destPayload);
      let backPayload = encodeNotarisationData({
        srcHash: hash,
        height,
        destTxid: desttxid,
        symbol: src.symbol,
        ...momFields,
      });
      if (mom && entry.ccid !== 0) backPayload = await this.withMoMoM(dest, src, entry, backPayload);
      const srctxid = await this.signAndSend(src, srcUtxo, backPayload);
      done = { height, hash, desttxid, srctxid, time: Math.floor(Date.now() / 1000) };
      log.info({ coin: entry.symbol, desttxid, srctxid }, `[${src.symbol}] State: fsm complete ht.${height}`);
    } catch (err) {
      this.problem(entry, `ht.${height} round failed: ${(err as Error).message}`);
    } finally {
      entry.current = undefined;
      for (const { coin, utxo } of locked) {
        if (await lockUnspent(caller, coin, true, utxo))
          log.info({ coin: entry.symbol }, `>>>> UNLOCKED KMD UTXO.(${utxo.txid}) vout.(${utxo.vout})`);
      }
      // Published only once the round is over (UTXOs unlocked), so status readers see a settled state.
      if (done) {
        entry.completed++;
        entry.last = done;
        entry.lastProblem = undefined;
      }
    }
  }

  /** dpow_haveutxo: a random spendable 10000-sat P2PK of the notary; none → Iguana's log line. */
  private async haveUtxo(entry: DpowEntry, coin: Coin, address: string, srcSymbol: string) {
    const list = await this.deps.caller.call<UnspentItem[]>(coin.endpoint, 'listunspent', [
      1,
      99999999,
      [address],
    ]);
    const utxo = pickRandom(notaryUtxos(Array.isArray(list) ? list : [], address), this.deps.random);
    if (!utxo) {
      this.problem(
        entry,
        `no (${srcSymbol} -> ${coin.symbol}) utxo: need to fund address.(${address}) or wait for splitfund to confirm`,
      );
    }
    return utxo;
  }

  /** dpow_calcMoM: depth from the source's prevMoMheight (0 → 1), capped; zero MoM → no MoM part. */
  private async calcMoM(src: Coin, height: number): Promise<{ mom: string; depth: number } | undefined> {
    try {
      const info = await getinfo(this.deps.caller, src);
      let prev = typeof info.prevMoMheight === 'number' ? info.prevMoMheight : 0;
      if (prev < 0) return undefined;
      if (prev === 0) prev = 1;
      const depth = Math.min(height - prev, MAX_MOMDEPTH);
      if (depth <= 0) return undefined;
      const r = await this.deps.caller.call<{ MoM?: string }>(src.endpoint, 'calc_MoM', [
        String(height),
        String(depth),
      ]);
      if (typeof r.MoM !== 'string' || !/^[0-9a-f]{64}$/i.test(r.MoM) || r.MoM === ZERO_HASH)
        return undefined;
      return { mom: r.MoM.toLowerCase(), depth };
    } catch {
      return undefined;
    }
  }

  /** dpow_paxpending: a CCid ≠ 0 chain's back tx also carries KMD's MoMoMdata when KMD has some. */
  private async withMoMoM(kmd: Coin, src: Coin, entry: DpowEntry, payload: Uint8Array): Promise<Uint8Array> {
    try {
      const kmdHeight = (await chainTip(this.deps.caller, kmd)).height;
      const r = await this.deps.caller.call<{ data?: string }>(kmd.endpoint, 'MoMoMdata', [
        src.symbol,
        String(kmdHeight),
        String(entry.ccid),
      ]);
      if (typeof r.data === 'string' && /^([0-9a-f]{2})+$/i.test(r.data)) {
        const extra = fromHex(r.data);
        const out = new Uint8Array(payload.length + extra.length);
        out.set(payload);
        out.set(extra, payload.length);
        return out;
      }
    } catch {
      // No MoMoM data: the payload goes without it, as Iguana's does.
    }
    return payload;
  }

  /**
   * Builds the unsigned tx, has the chain's daemon sign our input (signrawtransaction with the vin's
   * amount and scriptPubKey), takes the scriptSig back from decoderawtransaction into our own
   * serialisation and broadcasts it; the daemon's txid must be ours (dpow_sigscheck).
   */
  private async signAndSend(coin: Coin, utxo: NotaryUtxo, payload: Uint8Array): Promise<string> {
    const { caller } = this.deps;
    const unsigned = buildNotaryTx(coin, [{ txid: utxo.txid, vout: utxo.vout }], payload);
    const rawHex = toHex(serialize(unsigned, coin.format));
    const signed = await signRaw(caller, coin, rawHex, [
      { txid: utxo.txid, vout: utxo.vout, amount: 0.0001, scriptPubKey: utxo.scriptPubKey },
    ]);
    const sigs = await decodedScriptSigs(caller, coin, signed.hex);
    const sig = sigs[0];
    if (!sig || sig.length <= 32) throw new Error(`${coin.symbol} daemon did not sign the notary input`);
    const tx = buildNotaryTx(coin, [{ txid: utxo.txid, vout: utxo.vout, scriptSig: fromHex(sig) }], payload);
    const hex = toHex(serialize(tx, coin.format));
    const expected = txidOf(deserialize(fromHex(hex), coin.format), coin.format);
    const sent = await caller.call<string>(coin.endpoint, 'sendrawtransaction', [hex]);
    if (sent !== expected) throw new Error(`sendtxid mismatch got ${sent} instead of ${expected}`);
    this.deps.log.info(
      { coin: coin.symbol, txid: sent },
      `>>>>>>>>>>> ${coin.symbol} dpow_sendrawtransaction`,
    );
    return sent;
  }
}
