import {
  fromHex,
  type KeyPair,
  keyPairFromPrivateKey,
  nullDataScript,
  p2pkhScriptForPubkey,
  p2pkScript,
  signInput,
  type TxOutput,
  toHex,
} from '@nn/chain-crypto';
import { encodeNotarisationData, type NotarisationData } from '@nn/komodo-params';
import { describe, expect, it } from 'vitest';
import type { BlockEntry, ChainState } from '../chain/chainstate.js';
import type { Mempool } from '../chain/mempool.js';
import { blockOn, coinbaseOf, keyA, mine, newChain, scriptB, spend } from '../chain/testkit.js';
import { type Tx, wrapTx } from '../chain/tx.js';
import { buildTransaction, unsignedInput } from '../chain/txbuild.js';
import { NO_NOTARISATION, NotarisationTracker } from './notarisation-tracker.js';

const FORMAT = 'komodo-sapling' as const;
/** CRYPTO777_PUBSECPSTR, the first output of every notarisation (docs/reference/iguana.md §4.3). */
const CRYPTO777 = fromHex('020e46e79a2a8d12b9b5d12c7a91adb4e454edfae43c0a0cb805427d2ac7613fd9');
const NOTARY_UTXO = 10_000n;
const DEST_TXID = 'ab'.repeat(32);
const MOM = 'cd'.repeat(32);

interface Utxo {
  txid: string;
  vout: number;
  value: bigint;
  script: Uint8Array;
}

/**
 * A chain with `numNotaries` elected notaries, each holding `perNotary` 10000-sat P2PK outputs
 * (as splitfunds makes them), followed by a NotarisationTracker from genesis on.
 */
class NotaryChain {
  readonly chain: ChainState;
  readonly mempool: Mempool;
  readonly tracker: NotarisationTracker;
  readonly notaries: KeyPair[];
  private readonly utxos: Utxo[][];

  constructor(
    numNotaries: number,
    readonly opts: {
      symbol?: string;
      isAssetchain?: boolean;
      perNotary?: number;
      extra?: Utxo[];
      dpowEnded?: (entry: BlockEntry) => boolean;
    } = {},
  ) {
    ({ chain: this.chain, mempool: this.mempool } = newChain(FORMAT));
    this.notaries = Array.from({ length: numNotaries }, (_, i) =>
      keyPairFromPrivateKey(new Uint8Array(32).fill(0x40 + i)),
    );
    this.tracker = new NotarisationTracker(this.chain, {
      notaries: this.notaries.map((k) => toHex(k.publicKey)),
      symbol: opts.symbol ?? 'TESTAC',
      isAssetchain: opts.isAssetchain ?? true,
      ...(opts.dpowEnded ? { dpowEnded: opts.dpowEnded } : {}),
    });
    this.chain.listen(this.tracker);
    const [first] = mine(this.chain, this.mempool, 4);
    const perNotary = opts.perNotary ?? 3;
    const outputs: TxOutput[] = [];
    for (const k of this.notaries)
      for (let i = 0; i < perNotary; i++)
        outputs.push({ value: NOTARY_UTXO, script: p2pkScript(k.publicKey) });
    const coinbase = coinbaseOf(first as BlockEntry);
    const funded = NOTARY_UTXO * BigInt(outputs.length);
    outputs.push({ value: coinbase.value - funded - 10_000n, script: p2pkhScriptForPubkey(keyA.publicKey) });
    const fund = spend(FORMAT, [coinbase], outputs);
    this.mempool.accept(fund);
    mine(this.chain, this.mempool, 3);
    this.utxos = this.notaries.map((_, n) =>
      Array.from({ length: perNotary }, (_, i) => ({
        txid: fund.txid,
        vout: n * perNotary + i,
        value: NOTARY_UTXO,
        script: outputs[n * perNotary + i]?.script as Uint8Array,
      })),
    );
  }

  utxo(notary: number): { utxo: Utxo; key: KeyPair } {
    const utxo = this.utxos[notary]?.shift();
    if (!utxo) throw new Error(`notary ${notary} has no UTXO left`);
    return { utxo, key: this.notaries[notary] as KeyPair };
  }

  /** A notarisation spending one UTXO of each signer: vout 0 to CRYPTO777, vout 1 the OP_RETURN. */
  ntx(signers: Array<{ utxo: Utxo; key: KeyPair }>, data: NotarisationData | Uint8Array): Tx {
    const payload = data instanceof Uint8Array ? data : encodeNotarisationData(data);
    let tx = buildTransaction(
      FORMAT,
      signers.map((s) => unsignedInput(s.utxo.txid, s.utxo.vout)),
      [
        { value: 0n, script: p2pkScript(CRYPTO777) },
        { value: 0n, script: nullDataScript(payload) },
      ],
    );
    signers.forEach((s, i) => {
      tx = signInput(tx, i, {
        privateKey: s.key.privateKey,
        prevScript: s.utxo.script,
        prevValue: s.utxo.value,
        format: FORMAT,
      });
    });
    return wrapTx(tx, FORMAT);
  }

  /** Mines `t` into the next block; returns that block. */
  mineTx(t: Tx): BlockEntry {
    this.mempool.accept(t);
    const [entry] = mine(this.chain, this.mempool, 1);
    expect(entry?.block.txs.map((x) => x.txid)).toContain(t.txid);
    return entry as BlockEntry;
  }

  /** The back-tx payload notarising the active block at `height`. */
  back(height: number, extra: Partial<NotarisationData> = {}): NotarisationData {
    return {
      srcHash: this.chain.atHeight(height)?.hash as string,
      height,
      destTxid: DEST_TXID,
      symbol: this.opts.symbol ?? 'TESTAC',
      ...extra,
    };
  }

  signers(...notaries: number[]): Array<{ utxo: Utxo; key: KeyPair }> {
    return notaries.map((n) => this.utxo(n));
  }
}

describe('NotarisationTracker: recognising notarisations in connected blocks', () => {
  it('moves notarized/notarizedhash/notarizedtxid on a back tx signed by the one devnet notary', () => {
    const c = new NotaryChain(1);
    expect(c.tracker.state).toEqual(NO_NOTARISATION);
    const notarised = c.chain.atHeight(5) as BlockEntry;
    c.mineTx(c.ntx(c.signers(0), c.back(5)));
    expect(c.tracker.state).toMatchObject({
      height: 5,
      hash: notarised.hash,
      desttxid: DEST_TXID,
      prevMoMheight: 0,
    });
  });

  it('komodod v0.9.2 past its sunset: a notarisation in a later block no longer counts, notarized stays', () => {
    const c = new NotaryChain(1, { dpowEnded: (entry) => entry.height > 9 });
    c.mineTx(c.ntx(c.signers(0), c.back(5)));
    expect(c.chain.height).toBe(8);
    expect(c.tracker.state.height).toBe(5);
    c.mineTx(c.ntx(c.signers(0), c.back(7)));
    expect(c.tracker.state.height).toBe(7);
    const after = c.mineTx(c.ntx(c.signers(0), c.back(9)));
    expect(after.height).toBe(10);
    expect(c.tracker.state.height).toBe(7);
  });

  it('needs more than a fifth of the notaries when fewer than MINRATIFY sign (10 notaries: 3)', () => {
    const c = new NotaryChain(10);
    c.mineTx(c.ntx(c.signers(1, 2), c.back(5)));
    expect(c.tracker.state.height).toBe(0);
    // The same notary twice is still one signer.
    c.mineTx(c.ntx(c.signers(3, 3), c.back(5)));
    expect(c.tracker.state.height).toBe(0);
    c.mineTx(c.ntx(c.signers(1, 2, 3), c.back(6)));
    expect(c.tracker.state.height).toBe(6);
  });

  it('counts only elected notaries, and notary #0 also through its P2PKH output', () => {
    const c = new NotaryChain(1);
    // keyA's coins are P2PKH of a non-notary: spending them signs nothing.
    const stranger = spend(
      FORMAT,
      [coinbaseOf(c.chain.atHeight(2) as BlockEntry)],
      [
        { value: NOTARY_UTXO, script: p2pkScript(keyA.publicKey) },
        { value: NOTARY_UTXO, script: p2pkhScriptForPubkey(c.notaries[0]?.publicKey as Uint8Array) },
      ],
    );
    c.mineTx(stranger);
    const keyAUtxo = { txid: stranger.txid, vout: 0, value: NOTARY_UTXO, script: p2pkScript(keyA.publicKey) };
    c.mineTx(c.ntx([{ utxo: keyAUtxo, key: keyA }], c.back(5)));
    expect(c.tracker.state.height).toBe(0);
    const p2pkh = {
      txid: stranger.txid,
      vout: 1,
      value: NOTARY_UTXO,
      script: p2pkhScriptForPubkey(c.notaries[0]?.publicKey as Uint8Array),
    };
    c.mineTx(c.ntx([{ utxo: p2pkh, key: c.notaries[0] as KeyPair }], c.back(6)));
    expect(c.tracker.state.height).toBe(6);
  });

  it('ignores another chain symbol, the dest-tx form and an OP_RETURN that is not vout 1', () => {
    const c = new NotaryChain(1, { perNotary: 4 });
    c.mineTx(c.ntx(c.signers(0), c.back(5, { symbol: 'OTHER' })));
    expect(c.tracker.state.height).toBe(0);
    // The dest-tx form (no desttxid) names this chain but is what KMD carries, not this chain.
    c.mineTx(c.ntx(c.signers(0), c.back(5, { destTxid: undefined })));
    expect(c.tracker.state.height).toBe(0);
    // Payload in vout 0 instead of vout 1.
    const s = c.utxo(0);
    let tx = buildTransaction(
      FORMAT,
      [unsignedInput(s.utxo.txid, s.utxo.vout)],
      [
        { value: 0n, script: nullDataScript(encodeNotarisationData(c.back(5))) },
        { value: 0n, script: p2pkScript(CRYPTO777) },
      ],
    );
    tx = signInput(tx, 0, {
      privateKey: s.key.privateKey,
      prevScript: s.utxo.script,
      prevValue: s.utxo.value,
      format: FORMAT,
    });
    c.mineTx(wrapTx(tx, FORMAT));
    expect(c.tracker.state.height).toBe(0);
    c.mineTx(c.ntx(c.signers(0), c.back(5)));
    expect(c.tracker.state.height).toBe(5);
  });

  it('accepts a height above the last notarised one and below its own block, with the matching hash', () => {
    const c = new NotaryChain(1, { perNotary: 6 });
    // Hash of block 4 claimed for height 5.
    c.mineTx(c.ntx(c.signers(0), { ...c.back(5), srcHash: c.chain.atHeight(4)?.hash as string }));
    expect(c.tracker.state.height).toBe(0);
    // The tip's hash claimed one height up (a block not below the notarising one).
    const tip = c.chain.tip;
    c.mineTx(c.ntx(c.signers(0), { ...c.back(tip.height), height: tip.height + 1 }));
    expect(c.tracker.state.height).toBe(0);
    c.mineTx(c.ntx(c.signers(0), c.back(6)));
    expect(c.tracker.state.height).toBe(6);
    // Not above the current notarised height: same and lower heights change nothing.
    c.mineTx(c.ntx(c.signers(0), { ...c.back(6), destTxid: 'ef'.repeat(32) }));
    c.mineTx(c.ntx(c.signers(0), c.back(5)));
    expect(c.tracker.state).toMatchObject({ height: 6, desttxid: DEST_TXID });
  });

  it('keeps the newest non-zero MoM: prevMoMheight follows every later notarisation', () => {
    const c = new NotaryChain(1, { perNotary: 4 });
    c.mineTx(c.ntx(c.signers(0), c.back(4, { mom: '00'.repeat(32), momDepth: 2 })));
    expect(c.tracker.state).toMatchObject({ height: 4, prevMoMheight: 0 });
    // Depth above the notarised height: komodod drops the MoM.
    c.mineTx(c.ntx(c.signers(0), c.back(5, { mom: MOM, momDepth: 6 })));
    expect(c.tracker.state).toMatchObject({ height: 5, prevMoMheight: 0 });
    c.mineTx(c.ntx(c.signers(0), c.back(6, { mom: MOM, momDepth: 2 | (7 << 16) })));
    expect(c.tracker.state).toMatchObject({ height: 6, prevMoMheight: 6, mom: MOM, momDepth: 2 | (7 << 16) });
    c.mineTx(c.ntx(c.signers(0), c.back(8)));
    expect(c.tracker.state).toMatchObject({ height: 8, prevMoMheight: 8, mom: MOM });
  });

  it('restores the state from before a block that a reorganisation disconnects', () => {
    const c = new NotaryChain(1, { perNotary: 4 });
    c.mineTx(c.ntx(c.signers(0), c.back(5)));
    const first = c.tracker.state;
    const fork = c.chain.tip;
    const notarising = c.mineTx(c.ntx(c.signers(0), c.back(7)));
    mine(c.chain, c.mempool, 1);
    expect(c.tracker.state.height).toBe(7);
    // A longer branch from `fork` without the second notarisation.
    let prev = fork;
    for (let i = 0; i < 3; i++) {
      const r = c.chain.addBlock(blockOn(c.chain, prev, [], { payout: scriptB, nonce: 100 + i }), {
        verifyScripts: true,
      });
      if (r.status !== 'active' && r.status !== 'side') throw new Error(r.status);
      prev = r.entry;
    }
    expect(c.chain.isActive(notarising)).toBe(false);
    expect(c.tracker.state).toEqual(first);
    // The notarised block 5 is still on the chain: a new notarisation above it is accepted again.
    c.mineTx(c.ntx(c.signers(0), c.back(8)));
    expect(c.tracker.state.height).toBe(8);
  });

  it("skips an assetchain notarisation whose block hash starts (internal order) with 'K', as komodod does", () => {
    for (const isAssetchain of [true, false]) {
      const c = new NotaryChain(1, { isAssetchain, symbol: isAssetchain ? 'TESTAC' : 'KMD' });
      // Grind a block whose hash ends in 4b (display order) = first payload byte 'K'.
      let entry: BlockEntry | undefined;
      for (let nonce = 0; !entry; nonce++) {
        const block = blockOn(c.chain, c.chain.tip, [], { nonce });
        const r = c.chain.addBlock(block, { verifyScripts: true });
        if (r.status !== 'active') throw new Error(r.status);
        if (r.entry.hash.endsWith('4b')) entry = r.entry;
      }
      mine(c.chain, c.mempool, 1);
      c.mineTx(c.ntx(c.signers(0), c.back(entry.height)));
      expect(c.tracker.state.height).toBe(isAssetchain ? 0 : entry.height);
    }
  });
});
