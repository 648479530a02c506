import { appendFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeWif, KMD_PREFIXES, p2pkhScriptForPubkey, toHex } from '@nn/chain-crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChainState } from '../chain/chainstate.js';
import type { Mempool } from '../chain/mempool.js';
import { keyB, mine, newChain, SUBSIDY, scriptB } from '../chain/testkit.js';
import { COIN } from '../rpc/json.js';
import { WALLET_TX_FEE, Wallet, WalletError } from './wallet.js';

let dir: string;
let path: string;
let chain: ChainState;
let mempool: Mempool;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'devchain-wallet-'));
  path = join(dir, 'wallet.dat');
  ({ chain, mempool } = newChain('komodo-sapling', 3));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const open = () => Wallet.open(path, chain, mempool, KMD_PREFIXES);

/** A wallet whose default key mined `blocks` blocks (coinbase maturity 3). */
function funded(blocks: number): Wallet {
  const w = open();
  mine(chain, mempool, blocks, p2pkhScriptForPubkey(w.defaultKey.publicKey));
  return w;
}

function walletError(fn: () => unknown): WalletError {
  try {
    fn();
  } catch (err) {
    if (err instanceof WalletError) return err;
    throw err;
  }
  throw new Error('did not throw');
}

describe('Wallet', () => {
  it('creates a key on first open and reads the same keys back', () => {
    const w = open();
    expect(w.keyCount).toBe(1);
    const first = toHex(w.defaultKey.publicKey);
    const extra = w.newKey();
    w.close();
    const again = open();
    expect(again.keyCount).toBe(2);
    expect(toHex(again.defaultKey.publicKey)).toBe(first);
    expect(again.keyForPubkey(extra.publicKey)).toBeDefined();
    expect(again.addressOf(again.defaultKey).startsWith('R')).toBe(true);
    again.close();
  });

  it('counts mature coinbases as balance and young ones as immature', () => {
    const w = funded(4);
    // Heights 1 and 2 have 4 and 3 confirmations (mature at 3); heights 3 and 4 do not.
    expect(w.balance()).toBe(2n * SUBSIDY);
    expect(w.immatureBalance()).toBe(2n * SUBSIDY);
    expect(w.listCoins()).toHaveLength(4);
    w.close();
  });

  it('sends: largest coins first, a fee, change to a new key, unconfirmed until mined', () => {
    const w = funded(4);
    const keysBefore = w.keyCount;
    const t = w.send([{ script: scriptB, value: 60n * COIN }]);
    expect(t.tx.inputs).toHaveLength(2);
    expect(mempool.get(t.txid)?.fee).toBe(WALLET_TX_FEE);
    const change = t.tx.outputs[1];
    expect(change?.value).toBe(2n * SUBSIDY - 60n * COIN - WALLET_TX_FEE);
    expect(w.keyCount).toBe(keysBefore + 1);
    expect(w.isMine(change?.script ?? new Uint8Array())).toBe(true);
    expect(w.balance()).toBe(0n);
    expect(w.unconfirmedBalance()).toBe(change?.value);
    expect(w.walletTx(t.txid)).toBeDefined();
    mine(chain, mempool, 1, scriptB);
    expect(w.balance()).toBe((change?.value ?? 0n) + SUBSIDY);
    w.close();
  });

  it('spends its own unconfirmed change when confirmed coins do not suffice', () => {
    const w = funded(3);
    const first = w.send([{ script: scriptB, value: 45n * COIN }]);
    const second = w.send([{ script: scriptB, value: 1n * COIN }]);
    expect(second.tx.inputs.map((i) => i.prevTxid)).toEqual([first.txid]);
    expect(mempool.has(second.txid)).toBe(true);
    w.close();
  });

  it('refuses to spend more than it has, and splits a subtracted fee exactly', () => {
    const w = funded(3);
    expect(walletError(() => w.send([{ script: scriptB, value: SUBSIDY }])).code).toBe('insufficient-funds');
    const outs = [1n, 2n, 3n].map((n) => ({ script: scriptB, value: n * COIN }));
    const t = w.send(outs, [0, 1, 2]);
    const fee = WALLET_TX_FEE;
    expect(t.tx.outputs.slice(0, 3).map((o) => o.value)).toEqual([
      1n * COIN - fee / 3n - (fee % 3n),
      2n * COIN - fee / 3n,
      3n * COIN - fee / 3n,
    ]);
    expect(mempool.get(t.txid)?.fee).toBe(fee);
    w.close();
  });

  it('skips locked coins, and forgets the locks on reopen', () => {
    const w = funded(4);
    const mature = w.listCoins().filter((c) => w.isMature(c));
    const [a, b] = mature as [(typeof mature)[0], (typeof mature)[0]];
    w.lock(a.txid, a.vout);
    expect(w.lockedOutpoints()).toEqual([{ txid: a.txid, vout: a.vout }]);
    expect(walletError(() => w.send([{ script: scriptB, value: 60n * COIN }])).code).toBe(
      'insufficient-funds',
    );
    const t = w.send([{ script: scriptB, value: 10n * COIN }]);
    expect(t.tx.inputs.map((i) => `${i.prevTxid}:${i.vout}`)).toEqual([`${b.txid}:${b.vout}`]);
    w.close();
    const again = open();
    expect(again.lockedOutpoints()).toEqual([]);
    expect(again.isLocked(a.txid, a.vout)).toBe(false);
    again.close();
  });

  it('imports a WIF once, finds its coins, and keeps it across reopen', () => {
    const w = open();
    mine(chain, mempool, 4, scriptB);
    expect(w.balance()).toBe(0n);
    const wif = encodeWif(keyB.privateKey, KMD_PREFIXES.wif, true);
    expect(w.importWif(wif).added).toBe(true);
    expect(w.importWif(wif).added).toBe(false);
    expect(w.balance()).toBe(2n * SUBSIDY);
    w.rescanHistory();
    expect(w.walletTxs()).toHaveLength(4);
    w.close();
    const again = open();
    expect(again.keyCount).toBe(2);
    expect(again.balance()).toBe(2n * SUBSIDY);
    expect(again.walletTxs()).toHaveLength(4);
    again.close();
  });

  it('rescans from a height: only the blocks from there on are recorded (importprivkey height)', () => {
    const w = open();
    mine(chain, mempool, 6, scriptB);
    w.importWif(encodeWif(keyB.privateKey, KMD_PREFIXES.wif, true));
    w.rescanHistory(5);
    expect(w.walletTxs()).toHaveLength(2);
    w.close();
  });

  it('cuts a torn tail off wallet.dat and keeps everything before it', () => {
    const w = funded(3);
    w.send([{ script: scriptB, value: 1n * COIN }]);
    const txs = w.walletTxs().length;
    const keys = w.keyCount;
    w.close();
    const size = statSync(path).size;
    appendFileSync(path, Buffer.from([0xff, 0x00, 0x00, 0x00, 0x12]));
    const again = open();
    expect(statSync(path).size).toBe(size);
    expect(again.walletTxs()).toHaveLength(txs);
    expect(again.keyCount).toBe(keys);
    again.close();
  });

  it('stops following the chain once closed', () => {
    const w = funded(1);
    const txs = w.walletTxs().length;
    w.close();
    // Would throw (write to a closed file) if the closed wallet still listened.
    mine(chain, mempool, 1, p2pkhScriptForPubkey(w.defaultKey.publicKey));
    expect(w.walletTxs()).toHaveLength(txs);
  });
});
