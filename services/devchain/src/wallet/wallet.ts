import {
  classifyScript,
  encodeWif,
  fromHex,
  generatePrivateKey,
  hash160,
  type KeyPair,
  keyPairFromPrivateKey,
  keyPairFromWif,
  type NetworkPrefixes,
  p2pkhAddress,
  p2pkhScriptForPubkey,
  signInput,
  type Transaction,
  type TxFormat,
  toHex,
} from '@nn/chain-crypto';
import type { BlockEntry, ChainListener, ChainState } from '../chain/chainstate.js';
import type { Mempool } from '../chain/mempool.js';
import { decodeTx, outpointKey, type Tx, wrapTx } from '../chain/tx.js';
import { buildTransaction, TX_EXPIRY_DELTA, unsignedInput } from '../chain/txbuild.js';
import type { Coin } from '../chain/validate.js';
import { RecordLog } from '../store/record-log.js';

/** komodod's keypool size (-keypool default 100), reported by getinfo/getwalletinfo. */
export const KEYPOOL_SIZE = 100;
/** The fee devchain's wallet pays per transaction: 10000 sat, the notaries' usual txfee. */
export const WALLET_TX_FEE = 10_000n;

export interface WalletCoin {
  readonly txid: string;
  readonly vout: number;
  readonly coin: Coin;
  /** 0 for an output of an unconfirmed wallet transaction. */
  readonly confirmations: number;
}

export interface WalletTxRecord {
  readonly t: Tx;
  readonly time: number;
}

type WalletRecord = { k: 'key'; wif: string; time: number } | { k: 'tx'; hex: string; time: number };

export class WalletError extends Error {
  constructor(
    readonly code: 'insufficient-funds' | 'no-key' | 'invalid',
    message: string,
  ) {
    super(message);
  }
}

/**
 * devchain's wallet: keys and the wallet's transactions in `wallet.dat` (an append-only record file,
 * so it survives SIGKILL and grows with every transaction as komodod's does), its coins tracked from
 * the chain, and in-memory UTXO locks (komodod forgets `lockunspent` on restart too).
 */
export class Wallet implements ChainListener {
  private readonly keys = new Map<string, KeyPair>(); // hex pubkey → key
  private readonly byHash = new Map<string, KeyPair>(); // hex hash160 → key
  private readonly keyTimes = new Map<string, number>();
  private readonly coins = new Map<string, WalletCoin>();
  private readonly txs = new Map<string, WalletTxRecord>();
  private readonly locked = new Set<string>();
  private defaultKeyHex: string | undefined;

  private constructor(
    private readonly log: RecordLog,
    private readonly chain: ChainState,
    private readonly mempool: Mempool,
    readonly prefixes: NetworkPrefixes,
    /** Bitcoin Core's wallet name ("" = the unnamed default wallet); komodod has one wallet, "". */
    readonly name: string,
  ) {}

  static open(
    path: string,
    chain: ChainState,
    mempool: Mempool,
    prefixes: NetworkPrefixes,
    name = '',
  ): Wallet {
    const { log, records } = RecordLog.open(path);
    const wallet = new Wallet(log, chain, mempool, prefixes, name);
    const format = chain.rules.format;
    for (const raw of records) {
      const rec = JSON.parse(new TextDecoder().decode(raw)) as WalletRecord;
      if (rec.k === 'key') wallet.addKey(keyPairFromWif(rec.wif, prefixes.wif), rec.time);
      else
        wallet.txs.set(decodeTx(fromHex(rec.hex), format).txid, {
          t: decodeTx(fromHex(rec.hex), format),
          time: rec.time,
        });
    }
    if (wallet.keys.size === 0) wallet.newKey();
    wallet.rescanCoins();
    chain.listen(wallet);
    return wallet;
  }

  private get format(): TxFormat {
    return this.chain.rules.format;
  }

  /** The wallet's data file. */
  get path(): string {
    return this.log.path;
  }

  get fileBytes(): number {
    return this.log.bytes;
  }

  get keyCount(): number {
    return this.keys.size;
  }

  get oldestKeyTime(): number {
    return Math.min(...this.keyTimes.values());
  }

  close(): void {
    // A closed wallet must not hear about more blocks: it could no longer write them down.
    this.chain.unlisten(this);
    this.log.close();
  }

  private append(rec: WalletRecord): void {
    this.log.append(new TextEncoder().encode(JSON.stringify(rec)));
  }

  private addKey(key: KeyPair, time: number): void {
    const hex = toHex(key.publicKey);
    this.keys.set(hex, key);
    this.byHash.set(toHex(hash160(key.publicKey)), key);
    this.keyTimes.set(hex, time);
    this.defaultKeyHex ??= hex;
  }

  /** The key the miner pays and `getnewaddress` falls back to. */
  get defaultKey(): KeyPair {
    return this.keys.get(this.defaultKeyHex as string) as KeyPair;
  }

  newKey(): KeyPair {
    const key = keyPairFromPrivateKey(generatePrivateKey(), true);
    const time = Math.floor(Date.now() / 1000);
    this.append({ k: 'key', wif: encodeWif(key.privateKey, this.prefixes.wif, true), time });
    this.addKey(key, time);
    return key;
  }

  /** importprivkey: returns false when the key was already there. */
  importWif(wif: string): { key: KeyPair; added: boolean } {
    const key = keyPairFromWif(wif, this.prefixes.wif);
    if (this.keys.has(toHex(key.publicKey))) return { key, added: false };
    const time = Math.floor(Date.now() / 1000);
    this.append({ k: 'key', wif, time });
    this.addKey(key, time);
    this.rescanCoins();
    return { key, added: true };
  }

  /**
   * Records the wallet's transactions in the blocks from `fromHeight` (default the first) to `toHeight`
   * (default the tip): importprivkey with rescan, rescanblockchain. Its coins are rebuilt from the UTXO set.
   */
  rescanHistory(fromHeight = 1, toHeight = this.chain.height): void {
    this.rescanCoins();
    for (let h = Math.max(1, fromHeight); h <= Math.min(toHeight, this.chain.height); h++) {
      const entry = this.chain.atHeight(h) as BlockEntry;
      for (const t of entry.block.txs) this.recordIfMine(t, entry.block.header.time);
    }
  }

  keyForPubkey(pubkey: Uint8Array): KeyPair | undefined {
    return this.keys.get(toHex(pubkey));
  }

  keyForHash(hash: Uint8Array): KeyPair | undefined {
    return this.byHash.get(toHex(hash));
  }

  addressOf(key: KeyPair): string {
    return p2pkhAddress(key.publicKey, this.prefixes);
  }

  /** The key that can spend a script, if this wallet holds it (P2PK and P2PKH). */
  keyForScript(script: Uint8Array): KeyPair | undefined {
    const c = classifyScript(script);
    if (c.type === 'pubkey') return this.keyForPubkey(c.pubkey);
    if (c.type === 'pubkeyhash') return this.keyForHash(c.hash);
    return undefined;
  }

  isMine(script: Uint8Array): boolean {
    return this.keyForScript(script) !== undefined;
  }

  private rescanCoins(): void {
    this.coins.clear();
    for (const [key, coin] of this.chain.allCoins()) {
      if (!this.isMine(coin.script)) continue;
      const [txid, vout] = key.split(':') as [string, string];
      this.coins.set(key, { txid, vout: Number(vout), coin, confirmations: 0 });
    }
  }

  connected(entry: BlockEntry): void {
    for (const t of entry.block.txs) {
      for (const input of t.tx.inputs) this.coins.delete(outpointKey(input.prevTxid, input.vout));
      t.tx.outputs.forEach((out, vout) => {
        if (!this.isMine(out.script)) return;
        const coin = this.chain.coin(t.txid, vout);
        if (coin) this.coins.set(outpointKey(t.txid, vout), { txid: t.txid, vout, coin, confirmations: 0 });
      });
      this.recordIfMine(t, entry.block.header.time);
    }
  }

  disconnected(_entry: BlockEntry): void {
    // Undo restored the spent coins in the chain's UTXO set; rebuilding from it is simplest and exact.
    this.rescanCoins();
  }

  private recordIfMine(t: Tx, time: number): void {
    if (this.txs.has(t.txid)) return;
    const touches =
      t.tx.outputs.some((o) => this.isMine(o.script)) ||
      t.tx.inputs.some((i) => {
        const prev = this.txs.get(i.prevTxid)?.t.tx.outputs[i.vout];
        return prev !== undefined && this.isMine(prev.script);
      });
    if (!touches) return;
    this.append({ k: 'tx', hex: toHex(t.bytes), time });
    this.txs.set(t.txid, { t, time });
  }

  /** A transaction entered the mempool from outside the wallet (sendrawtransaction). */
  noticeMempoolTx(t: Tx): void {
    this.recordIfMine(t, Math.floor(Date.now() / 1000));
  }

  walletTxs(): WalletTxRecord[] {
    return [...this.txs.values()];
  }

  walletTx(txid: string): WalletTxRecord | undefined {
    return this.txs.get(txid);
  }

  /** Re-offers the wallet's unconfirmed transactions to the mempool after a restart. */
  reacceptUnconfirmed(): number {
    let n = 0;
    for (const { t } of this.txs.values()) {
      if (this.chain.locateTx(t.txid) || this.mempool.has(t.txid)) continue;
      try {
        this.mempool.accept(t);
        n++;
      } catch {
        // Conflicted or no longer valid: it stays in the wallet's history, unconfirmed.
      }
    }
    return n;
  }

  /** Wallet coins: confirmed ones from the chain, plus outputs of unconfirmed wallet transactions. */
  listCoins(): WalletCoin[] {
    const tipHeight = this.chain.height;
    const out: WalletCoin[] = [];
    for (const [key, c] of this.coins) {
      if (this.mempool.spender(c.txid, c.vout)) continue;
      out.push({ ...c, coin: c.coin, confirmations: tipHeight - c.coin.height + 1 });
      void key;
    }
    for (const e of this.mempool.list()) {
      e.t.tx.outputs.forEach((o, vout) => {
        if (!this.isMine(o.script) || this.mempool.spender(e.t.txid, vout)) return;
        out.push({
          txid: e.t.txid,
          vout,
          coin: { value: o.value, script: o.script, height: tipHeight + 1, coinbase: false },
          confirmations: 0,
        });
      });
    }
    return out;
  }

  isMature(c: WalletCoin): boolean {
    return !c.coin.coinbase || c.confirmations >= this.chain.rules.coinbaseMaturity;
  }

  /** Spendable balance with at least `minconf` confirmations (getbalance / getinfo). */
  balance(minconf = 1): bigint {
    let sum = 0n;
    for (const c of this.listCoins()) if (c.confirmations >= minconf && this.isMature(c)) sum += c.coin.value;
    return sum;
  }

  immatureBalance(): bigint {
    let sum = 0n;
    for (const c of this.listCoins()) if (!this.isMature(c)) sum += c.coin.value;
    return sum;
  }

  unconfirmedBalance(): bigint {
    let sum = 0n;
    for (const c of this.listCoins()) if (c.confirmations === 0) sum += c.coin.value;
    return sum;
  }

  lock(txid: string, vout: number): void {
    this.locked.add(outpointKey(txid, vout));
  }

  unlock(txid: string, vout: number): void {
    this.locked.delete(outpointKey(txid, vout));
  }

  unlockAll(): void {
    this.locked.clear();
  }

  isLocked(txid: string, vout: number): boolean {
    return this.locked.has(outpointKey(txid, vout));
  }

  lockedOutpoints(): Array<{ txid: string; vout: number }> {
    return [...this.locked].map((k) => {
      const [txid, vout] = k.split(':') as [string, string];
      return { txid, vout: Number(vout) };
    });
  }

  /**
   * Funds, signs, records and broadcasts a payment (sendtoaddress / sendmany): largest coins first,
   * skipping locked and immature ones, change to a fresh key.
   */
  send(outputs: Array<{ script: Uint8Array; value: bigint }>, subtractFeeFrom: number[] = []): Tx {
    const target = outputs.reduce((s, o) => s + o.value, 0n);
    const fee = WALLET_TX_FEE;
    const payers = [...new Set(subtractFeeFrom)].filter((i) => i >= 0 && i < outputs.length);
    const needed = payers.length > 0 ? target : target + fee;
    const byValue = (a: WalletCoin, b: WalletCoin) =>
      a.coin.value > b.coin.value ? -1 : a.coin.value < b.coin.value ? 1 : 0;
    const usable = this.listCoins().filter((c) => this.isMature(c) && !this.isLocked(c.txid, c.vout));
    // komodod's SelectCoins tries confirmed coins first, then (-spendzeroconfchange, on by default)
    // unconfirmed outputs of the wallet's own transactions ("trusted": every input is the wallet's).
    const candidates = [
      ...usable.filter((c) => c.confirmations >= 1).sort(byValue),
      ...usable.filter((c) => c.confirmations === 0 && this.isTrusted(c.txid)).sort(byValue),
    ];
    const chosen: WalletCoin[] = [];
    let total = 0n;
    for (const c of candidates) {
      if (total >= needed) break;
      chosen.push(c);
      total += c.coin.value;
    }
    if (total < needed) throw new WalletError('insufficient-funds', 'Insufficient funds');
    const finalOutputs = outputs.map((o, i) => {
      if (!payers.includes(i)) return { ...o };
      // As CreateTransaction: an equal share each, the first payer also covers the remainder.
      const share = fee / BigInt(payers.length) + (i === payers[0] ? fee % BigInt(payers.length) : 0n);
      return { ...o, value: o.value - share };
    });
    if (finalOutputs.some((o) => o.value <= 0n)) {
      throw new WalletError('invalid', 'The transaction amount is too small to pay the fee');
    }
    const change = total - needed;
    if (change > 0n) {
      const changeKey = this.newKey();
      finalOutputs.push({ script: p2pkhScriptForPubkey(changeKey.publicKey), value: change });
    }
    const unsigned = buildTransaction(
      this.format,
      chosen.map((c) => unsignedInput(c.txid, c.vout)),
      finalOutputs,
      { expiryHeight: this.chain.height + 1 + TX_EXPIRY_DELTA },
    );
    const signed = this.signAll(
      unsigned,
      chosen.map((c) => c.coin),
    );
    if (!signed.complete) throw new WalletError('no-key', 'Signing transaction failed');
    const t = wrapTx(signed.tx, this.format);
    this.commit(t);
    return t;
  }

  /** An unconfirmed wallet transaction all of whose inputs spend the wallet's own outputs (IsTrusted). */
  private isTrusted(txid: string): boolean {
    const rec = this.txs.get(txid);
    if (!rec) return false;
    return rec.t.tx.inputs.every((i) => {
      const prev = this.txs.get(i.prevTxid)?.t.tx.outputs[i.vout];
      return prev !== undefined && this.isMine(prev.script);
    });
  }

  /** Adds a transaction to the wallet's history and the mempool (CommitTransaction). */
  commit(t: Tx): void {
    this.mempool.accept(t);
    this.recordIfMine(t, Math.floor(Date.now() / 1000));
  }

  /** Signs every input whose coin this wallet can spend; `complete` when all inputs are signed. */
  signAll(
    tx: Transaction,
    prevCoins: ReadonlyArray<{ script: Uint8Array; value: bigint } | undefined>,
  ): {
    tx: Transaction;
    complete: boolean;
    errors: Array<{ index: number; error: string }>;
  } {
    let current = tx;
    const errors: Array<{ index: number; error: string }> = [];
    tx.inputs.forEach((_input, index) => {
      const prev = prevCoins[index];
      const key = prev ? this.keyForScript(prev.script) : undefined;
      if (!prev || !key) {
        errors.push({
          index,
          error: prev
            ? 'Unable to sign input, invalid stack size (possibly missing key)'
            : 'Input not found or already spent',
        });
        return;
      }
      current = signInput(current, index, {
        privateKey: key.privateKey,
        prevScript: prev.script,
        prevValue: prev.value,
        format: this.format,
      });
    });
    return { tx: current, complete: errors.length === 0, errors };
  }

  wifOf(key: KeyPair): string {
    return encodeWif(key.privateKey, this.prefixes.wif, key.compressed);
  }
}
