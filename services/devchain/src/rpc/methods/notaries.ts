import { fromHex, isValidPublicKey, p2pkhScriptForPubkey, p2pkScript, toHex } from '@nn/chain-crypto';
import { wrapTx } from '../../chain/tx.js';
import { buildTransaction, TX_EXPIRY_DELTA, unsignedInput } from '../../chain/txbuild.js';
import type { NodeContext } from '../../node/context.js';
import type { WalletCoin } from '../../wallet/wallet.js';
import { RpcCode, RpcError } from '../errors.js';
import { Amount } from '../json.js';
import type { RpcMethod } from '../method.js';
import { amountFromValue, type Params } from '../params.js';
import { method } from './define.js';

// kmdclassicd's nn_split (kmdclassic/KmdClassic src/rpc/notaries.cpp, DeckerSU's notary RPC tools):
// notary UTXOs (10 000 satoshis to `<pubkey> OP_CHECKSIG`) made from the wallet's coins in one
// transaction, the rest back to the notary's P2PKH address as output 0. Its arguments, defaults,
// errors and reply fields are upstream's; komodod has no such method.

const NOTARY_VIN_AMOUNT = 10_000n;
const COUNT_DEFAULT = 10;
const FEE_DEFAULT = 10_000n;
/** An input's estimated size (CTXIN_SPEND_DUST_SIZE; a P2SH one counts 400) and the tx's overhead. */
const INPUT_SIZE = 148;
const TX_OVERHEAD = 200;
/** MAX_TX_SIZE_AFTER_SAPLING (devchain's chains run with Sapling active). */
const MAX_TX_SIZE = 2_000_000;
/** -14: RPC_WALLET_ENCRYPTION_FAILED, what nn_split answers when signing fails. */
const WALLET_ENCRYPTION_FAILED = -14;

const USAGE =
  "nn_split\n\nThis RPC can create notaryvins (special P2PK utxos used by \nKomodo notary nodes for mining and notarizing), using any utxos\nin current wallet.\n\nArguments:\n\n1. countnotaryvintocreate (numeric, default=10) - number of notary vin P2PK utxos to be created.\n2. fee (numeric, default=0.0001) - the fee amount to attach to this transaction.\n3. fmergeallutxos (boolean, default=false) - if true will merge all utxos, else merge only needed vins to match needed amount of notaryvins output.\n4. fskipnotaryvins (boolean, default=true) - if true - will skip (don't merge) existing notaryvins, else will merge existing notaryvins.\n5. fsendtransaction (boolean, default=true) - if true - will broadcast tx immediatelly, false - just show raw hex tx.";

/** FormatMoney: 8 decimals, trailing zeros trimmed down to two. */
export function formatMoney(sats: bigint): string {
  let frac = (sats % 100_000_000n).toString().padStart(8, '0');
  while (frac.length > 2 && frac.endsWith('0')) frac = frac.slice(0, -1);
  return `${sats / 100_000_000n}.${frac}`;
}

const typeName = (v: unknown) =>
  typeof v === 'boolean'
    ? 'bool'
    : typeof v === 'number'
      ? 'number'
      : typeof v === 'string'
        ? 'string'
        : v === null
          ? 'null'
          : Array.isArray(v)
            ? 'array'
            : 'object';

/** RPCTypeCheck(params, {VNUM, VNUM, VBOOL, VBOOL, VBOOL}). */
function typeCheck(p: Params): void {
  const want = ['number', 'number', 'bool', 'bool', 'bool'] as const;
  want.forEach((t, i) => {
    if (!p.has(i)) return;
    const got = typeName(p.raw(i));
    if (got !== t) throw new RpcError(RpcCode.TYPE_ERROR, `Expected type ${t}, got ${got}`);
  });
}

/** The coins nn_split may take: AvailableCoins(fOnlyConfirmed): mature, confirmed, not locked. */
function availableCoins(ctx: NodeContext): WalletCoin[] {
  return ctx.wallet
    .listCoins()
    .filter((c) => ctx.wallet.isMature(c) && c.confirmations >= 1 && !ctx.wallet.isLocked(c.txid, c.vout));
}

/** Smallest first until the notary outputs and the fee are covered, optionally skipping notary vins. */
function selectNeeded(coins: WalletCoin[], needed: bigint, skip: boolean, p2pk: string): WalletCoin[] {
  const sorted = [...coins].sort((a, b) =>
    a.coin.value < b.coin.value ? -1 : a.coin.value > b.coin.value ? 1 : 0,
  );
  const out: WalletCoin[] = [];
  let sum = 0n;
  for (const c of sorted) {
    if (skip && c.coin.value === NOTARY_VIN_AMOUNT && toHex(c.coin.script) === p2pk) continue;
    out.push(c);
    sum += c.coin.value;
    if (sum >= needed) break;
  }
  return out;
}

function nnSplit(ctx: NodeContext, p: Params): Record<string, unknown> {
  const pubkeyHex = ctx.pubkey ?? '';
  if (!(pubkeyHex.length === 66 && /^[0-9a-fA-F]+$/.test(pubkeyHex) && isValidPublicKey(fromHex(pubkeyHex))))
    throw new RpcError(RpcCode.INTERNAL_ERROR, 'Notary pubkey is not set.');
  typeCheck(p);
  const count = p.has(0) ? Math.trunc(p.raw(0) as number) : COUNT_DEFAULT;
  const fee = p.has(1) ? ((p.raw(1) as number) === 0 ? 0n : amountFromValue(p.raw(1))) : FEE_DEFAULT;
  const mergeAll = p.bool(2, false);
  const skipNotaryVins = p.bool(3, true);
  const send = p.bool(4, true);
  const pubkey = fromHex(pubkeyHex);
  if (!ctx.wallet.keyForPubkey(pubkey))
    throw new RpcError(RpcCode.INTERNAL_ERROR, "Haven't privkey in the wallet, won't split.");
  const p2pk = p2pkScript(pubkey);
  const all = availableCoins(ctx);
  const inputs = mergeAll
    ? all
    : selectNeeded(all, fee + BigInt(count) * NOTARY_VIN_AMOUNT, skipNotaryVins, toHex(p2pk));
  const estimated = TX_OVERHEAD + INPUT_SIZE * inputs.length;
  if (estimated > MAX_TX_SIZE) throw new RpcError(RpcCode.INTERNAL_ERROR, 'Result tx exceeded allowed size.');
  if (inputs.length === 0) throw new RpcError(RpcCode.INVALID_PARAMETER, 'No inputs.');
  const merged = inputs.reduce((s, c) => s + c.coin.value, 0n);
  if (merged <= fee)
    throw new RpcError(
      RpcCode.WALLET_INSUFFICIENT_FUNDS,
      `Insufficient funds, have ${formatMoney(merged)} and miners fee is ${formatMoney(fee)}`,
    );
  const sendAmount = merged - fee - BigInt(count) * NOTARY_VIN_AMOUNT;
  // Upstream builds the output regardless; its sendrawtransaction then refuses a negative one.
  if (sendAmount < 0n) throw new RpcError(RpcCode.VERIFY_REJECTED, '16: bad-txns-vout-negative');
  const format = ctx.chain.rules.format;
  const unsigned = buildTransaction(
    format,
    inputs.map((c) => unsignedInput(c.txid, c.vout)),
    [
      { script: p2pkhScriptForPubkey(pubkey), value: sendAmount },
      ...Array.from({ length: count }, () => ({ script: p2pk, value: NOTARY_VIN_AMOUNT })),
    ],
    { expiryHeight: ctx.chain.height + 1 + TX_EXPIRY_DELTA },
  );
  const signed = ctx.wallet.signAll(
    unsigned,
    inputs.map((c) => c.coin),
  );
  if (!signed.complete) throw new RpcError(WALLET_ENCRYPTION_FAILED, 'Failed to sign transaction');
  const t = wrapTx(signed.tx, format);
  let tx = toHex(t.bytes);
  if (send) {
    ctx.wallet.commit(t);
    ctx.relayTx(t.txid);
    tx = t.txid;
  }
  return {
    tx,
    input_utxos_value: new Amount(merged),
    input_utxos_count: inputs.length,
    out_notaryvins_count: count,
    out_utxos_value: new Amount(sendAmount),
    out_utxos_count: 1,
    estimated_tx_size: estimated,
    real_tx_size: t.bytes.length,
  };
}

/** kmdclassicd's notary methods (hidden in its help, as upstream registers them). */
export const notaryMethods: RpcMethod<NodeContext>[] = [method('nn_split', 'hidden', [0, 5], USAGE, nnSplit)];
