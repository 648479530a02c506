// Iguana's API methods, replies and error strings (docs/reference/iguana.md §3).
import {
  encodeWif,
  fromHex,
  isValidPublicKey,
  serialize,
  signInput,
  toHex,
  txid as txidOf,
} from '@nn/chain-crypto';
import { DPOW_MINSIGS, decodeNotarisationData } from '@nn/komodo-params';
import { AddcoinError, type Coin, coinAddress, coinFromAddcoin } from '../coins/coin.js';
import { addressIsMine, getinfo } from '../dpow/daemon-ops.js';
import type { DpowEntry } from '../dpow/engine.js';
import { dpowSettings } from '../dpow/settings.js';
import { planSplit, prevScriptOf, SplitError, type SplitUtxo } from '../dpow/split-tx.js';
import type { IguanaState } from '../state.js';
import { WalletKey } from '../wallet.js';
import { type Fields, int, isIpv4, str } from './fields.js';
import { helpItems } from './help.js';

export interface CallContext {
  /** The caller is not on 127.0.0.* (Iguana's remoteaddr ≠ 0). */
  readonly remote: boolean;
}

export type Reply = Record<string, unknown> | unknown[];
export type Handler = (s: IguanaState, f: Fields, ctx: CallContext, coin: Coin | undefined) => Promise<Reply>;

const err = (error: string): Reply => ({ error });

/** SuperNET myipaddr: stores the first valid IPv4 only; always answers the current one. */
const myipaddr: Handler = async (s, f) => {
  const ip = str(f, 'ipaddr');
  if (!s.ipaddr && ip !== undefined && isIpv4(ip)) {
    s.ipaddr = ip;
    s.log.info({ ipaddr: ip }, 'myipaddr set');
  }
  return { result: s.ipaddr };
};

/** iguana addnotary: Iguana connects its notary network to <ip>:<port>; deviguana only records the peer. */
const addnotary: Handler = async (s, f) => {
  const ip = str(f, 'ipaddr') ?? '';
  if (ip && !s.notaryPeers.includes(ip)) s.notaryPeers.push(ip);
  s.log.info(`addnotary (${ip}) -> (${s.ipaddr})`);
  return { result: 'notary node added' };
};

const addcoin: Handler = async (s, f) => {
  const symbol = str(f, 'newcoin');
  if (!symbol) return err('addcoin needs newcoin');
  if (s.coins.has(symbol)) return { result: 'coin already there' };
  let coin: Coin;
  try {
    coin = coinFromAddcoin(f, symbol);
  } catch (e) {
    if (e instanceof AddcoinError) {
      s.log.warn({ coin: symbol }, e.message);
      return err('error adding coin');
    }
    throw e;
  }
  if (!coin.confRead) s.log.warn({ coin: symbol }, `extract_userpass cant open.(${coin.confFile})`);
  s.coins.set(symbol, coin);
  // iguana_launchcoin: if rpcsymbol is not an active coin, the first added coin becomes the default.
  if (!s.coins.has(s.rpcsymbol)) s.rpcsymbol = symbol;
  s.log.info({ coin: symbol, rpcport: coin.endpoint.port, conf: coin.confFile }, 'coin added');
  return { result: 'coin added' };
};

function activehandle(s: IguanaState): Record<string, unknown> {
  const w = s.wallet;
  const out: Record<string, unknown> = {};
  if (w) {
    out.pubkey = w.curvePubkeyHex;
    out.btcpubkey = w.pubkeyHex;
    out.rmd160 = w.rmd160Hex;
    for (const coin of s.coins.values()) out[coin.symbol] = coinAddress(coin, w.key.publicKey);
  }
  out.result = 'success';
  out.handle = '';
  out.myip = s.ipaddr;
  if (w) out.persistent = w.curvePubkeyHex;
  out.status = w?.isUnlocked() ? 'unlocked' : 'locked';
  if (w) out.duration = w.secondsLeft();
  return out;
}

const walletpassphrase: Handler = async (s, f, ctx, coin) => {
  if (ctx.remote) return err('no remote');
  if (!coin) return err('null return from iguana_bitcoinRPC');
  const timeout = int(f, 'timeout');
  if (timeout <= 0) return err('timeout must be positive');
  const password = str(f, 'password') || str(f, 'passphrase');
  if (!password) return err('must have password field');
  const wallet = WalletKey.fromPassphrase(password, timeout);
  // Iguana imports the key into the bound coin's daemon (its ismine check misreads, so it always does).
  const wif = encodeWif(wallet.key.privateKey, coin.prefixes.wif, true);
  try {
    await s.caller.call(coin.endpoint, 'importprivkey', [wif, '', false]);
  } catch (e) {
    s.log.warn({ coin: coin.symbol, problem: (e as Error).message }, 'importprivkey failed');
  }
  s.wallet = wallet;
  s.log.info({ coin: coin.symbol, pubkey: wallet.pubkeyHex }, 'wallet unlocked');
  return activehandle(s);
};

const activehandleMethod: Handler = async (s, _f, ctx) => (ctx.remote ? err('no remote') : activehandle(s));

const stop: Handler = async (s, _f, ctx) => {
  if (ctx.remote) return err('cant do a remote stop of this node');
  setImmediate(() => s.requestStop());
  return { result: 'exit started' };
};

const dpow: Handler = async (s, f) => {
  if (!s.ipaddr) return err('must be running as notary node');
  if (s.dpowPending) return err('cant dPoW more than one coin at a time');
  const pubkey = str(f, 'pubkey');
  if (pubkey === undefined || !/^[0-9a-fA-F]{66}$/.test(pubkey)) return err('need 33 byte pubkey');
  const symbol = str(f, 'symbol') || 'KMD';
  let dest = str(f, 'dest') || (symbol === 'KMD' ? 'LTC' : 'KMD');
  if (!s.coins.has(symbol)) return err('cant dPoW an inactive coin');
  if (symbol === 'KMD') {
    dest = 'LTC';
    if (!s.coins.has('LTC')) return err('cant dPoW KMD without LTC');
  } else if (!s.coins.has(dest)) return err('cant dPoW without KMD (dest)');
  if (s.engine.entries.has(symbol)) return err('cant dPoW same coin again');
  const src = s.coins.get(symbol);
  const destCoin = s.coins.get(dest);
  if (!src || !destCoin) return err('source coin or dest coin not there');
  s.dpowPending = true;
  try {
    const pub = fromHex(pubkey.toLowerCase());
    const srcaddr = coinAddress(src, pub);
    const destaddr = coinAddress(destCoin, pub);
    let mine = false;
    try {
      mine =
        (await addressIsMine(s.caller, src, srcaddr)) && (await addressIsMine(s.caller, destCoin, destaddr));
    } catch (e) {
      s.log.warn({ coin: symbol, problem: (e as Error).message }, 'validateaddress failed');
    }
    if (!mine) return err('source address or dest address has no privkey, importprivkey');
    if (!isValidPublicKey(pub)) return err('illegal pubkey');
    const floor = s.options.devnet ? 1 : DPOW_MINSIGS;
    const settings = dpowSettings(symbol, dest, int(f, 'freq'), s.elected, floor);
    let ccid = 0;
    try {
      const info = await getinfo(s.caller, src);
      ccid = typeof info.CCid === 'number' ? info.CCid & 0xffff : 0;
    } catch {
      // CCid stays 0, as juint of a missing field.
    }
    const entry: DpowEntry = {
      symbol,
      pubkey: pubkey.toLowerCase(),
      ...settings,
      ccid,
      lastHeight: undefined,
      prevDestHeight: 0,
      rounds: 0,
      completed: 0,
      current: undefined,
      last: undefined,
      lastProblem: undefined,
    };
    s.engine.add(entry);
    s.engine.start();
    s.log.info(
      `DPOW with pubkey.(${entry.pubkey}) ${srcaddr}.valid1 ${symbol} -> ${dest} ${destaddr}.valid1, num.${s.elected.notaries.length} freq.${settings.freq} minsigs.${settings.minsigs} CCid.${ccid}`,
    );
    return { result: 'success' };
  } finally {
    s.dpowPending = false;
  }
};

interface UnspentJson {
  txid?: unknown;
  vout?: unknown;
  amount?: unknown;
  scriptPubKey?: unknown;
  spendable?: unknown;
}

const splitfunds: Handler = async (s, f, ctx, coin) => {
  if (ctx.remote) return err('no remote');
  const wallet = s.wallet;
  if (!wallet?.isUnlocked()) return err('need to unlock wallet');
  if (!coin) return err('need active coin');
  const duplicates = int(f, 'duplicates');
  const satoshis = BigInt(Math.max(0, int(f, 'satoshis')));
  const sendflag = int(f, 'sendflag');
  const address = coinAddress(coin, wallet.key.publicKey);
  try {
    const list = await s.caller.call<UnspentJson[]>(coin.endpoint, 'listunspent', [1, 99999999, [address]]);
    const utxos: SplitUtxo[] = (Array.isArray(list) ? list : []).flatMap((u) =>
      u.spendable !== false &&
      typeof u.txid === 'string' &&
      typeof u.vout === 'number' &&
      typeof u.amount === 'number' &&
      typeof u.scriptPubKey === 'string'
        ? [
            {
              txid: u.txid,
              vout: u.vout,
              value: BigInt(Math.round(u.amount * 1e8)),
              scriptPubKey: u.scriptPubKey,
            },
          ]
        : [],
    );
    const plan = planSplit({
      format: coin.format,
      pubkey: wallet.key.publicKey,
      satoshis,
      duplicates,
      txfee: coin.txfeeSats,
      utxos,
      ...(coin.symbol === 'BTC' ? { maxInputs: Math.floor((duplicates <= 0 ? 1 : duplicates) / 2) } : {}),
    });
    let tx = plan.tx;
    plan.inputs.forEach((u, i) => {
      tx = signInput(tx, i, {
        privateKey: wallet.key.privateKey,
        prevScript: prevScriptOf(u),
        prevValue: u.value,
        format: coin.format,
      });
    });
    const hex = toHex(serialize(tx, coin.format));
    const id = txidOf(tx, coin.format);
    if (sendflag !== 0) await s.caller.call(coin.endpoint, 'sendrawtransaction', [hex]);
    s.log.info({ coin: coin.symbol, txid: id, duplicates, fee: String(plan.fee) }, 'splitfunds');
    return { result: hex, txid: id, completed: true };
  } catch (e) {
    s.log.warn({ coin: coin.symbol, problem: (e as Error).message }, 'splitfunds failed');
    if (e instanceof SplitError || e instanceof Error) return err('couldnt create duplicates tx');
    throw e;
  }
};

interface RawTxJson {
  vin?: Array<{ txid?: string; vout?: number; coinbase?: string }>;
  vout?: Array<{ scriptPubKey?: { hex?: string } }>;
}

/** dpow notarizations: who signed the notarisations of `symbol` in a range of its blocks. */
const notarizations: Handler = async (s, f) => {
  const symbol = str(f, 'symbol') ?? '';
  const coin = s.coins.get(symbol);
  if (!coin) return err('cant find coin');
  const start = int(f, 'height');
  const numblocks = int(f, 'numblocks');
  const info = await getinfo(s.caller, coin);
  const maxheight = typeof info.blocks === 'number' ? info.blocks : 0;
  const notaryIndex = new Map(s.elected.notaries.map((n) => [`21${n.pubkey}ac`, n.index]));
  const threshold = s.options.devnet ? Math.min(11, s.elected.minsigs) : 11;
  const counts = new Map<number, number>();
  const call = <T>(method: string, params: unknown[]) => s.caller.call<T>(coin.endpoint, method, params);
  for (let h = start; h < start + numblocks && h <= maxheight; h++) {
    const hash = await call<string>('getblockhash', [h]);
    const block = await call<{ tx?: unknown[] }>('getblock', [hash]);
    for (const t of block.tx ?? []) {
      const id = typeof t === 'string' ? t : (t as { txid?: string }).txid;
      if (!id) continue;
      const tx = await call<RawTxJson>('getrawtransaction', [id, 1]);
      const last = tx.vout?.[tx.vout.length - 1]?.scriptPubKey?.hex ?? '';
      if (!last.startsWith('6a')) continue;
      const data = opReturnData(last);
      if (!data || decodeNotarisationData(data, symbol)?.symbol !== symbol) continue;
      const signers = new Set<number>();
      for (const vin of tx.vin ?? []) {
        if (!vin.txid || vin.vout === undefined) continue;
        const prev = await call<RawTxJson>('getrawtransaction', [vin.txid, 1]);
        const k = notaryIndex.get(prev.vout?.[vin.vout]?.scriptPubKey?.hex ?? '');
        if (k !== undefined) signers.add(k);
      }
      if (signers.size < threshold) continue;
      for (const k of signers) counts.set(k, (counts.get(k) ?? 0) + 1);
    }
  }
  return {
    coin: symbol,
    start,
    numblocks,
    maxheight,
    notarizations: [...counts.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([k, n]) => ({ notary: s.elected.notaries[k]?.name ?? '', id: k, notarizations: n })),
  };
};

/** The data of an OP_RETURN script (`6a` + one push). */
export function opReturnData(scriptHex: string): Uint8Array | undefined {
  const b = fromHex(scriptHex);
  if (b[0] !== 0x6a || b.length < 2) return undefined;
  const op = b[1] as number;
  if (op < 0x4c) return b.subarray(2, 2 + op);
  if (op === 0x4c) return b.subarray(3, 3 + (b[2] ?? 0));
  if (op === 0x4d) return b.subarray(4, 4 + ((b[2] ?? 0) | ((b[3] ?? 0) << 8)));
  return undefined;
}

/** Iguana's list is compiled in; deviguana answers KMD, BTC and the coins added. */
const notarychains: Handler = async (s) => ['KMD', 'BTC', ...[...s.coins.keys()].filter((c) => c !== 'KMD')];

const active: Handler = async (s) => {
  const round = [...s.engine.entries.values()].find((e) => e.current);
  if (!round) return err('there is no dpow round yet started to check.');
  return s.elected.notaries
    .filter((n) => n.pubkey === round.pubkey)
    .map((n) => ({ notary: n.name, bestk: n.index, recvmask: 2 ** n.index, bestmask: 2 ** n.index }));
};

const ipaddrs: Handler = async (s) => [...s.notaryPeers];

/** deviguana's own status (Iguana has none): per dpow'd coin the rounds, last notarisation and problem. */
const devstatus: Handler = async (s) => ({
  result: 'success',
  devnet: s.options.devnet,
  elected: {
    file: s.options.electedPath,
    notaries: s.elected.notaries.length,
    minsigs: s.elected.minsigs,
    BTCminsigs: s.elected.btcMinsigs ?? null,
  },
  wallet: s.wallet?.isUnlocked() ? 'unlocked' : 'locked',
  myip: s.ipaddr,
  coins: [...s.coins.values()].map((c) => ({ coin: c.symbol, rpcport: c.endpoint.port, conf: c.confFile })),
  dpow: [...s.engine.entries.values()].map((e) => ({
    symbol: e.symbol,
    dest: e.dest,
    pubkey: e.pubkey,
    freq: e.freq,
    minsigs: e.minsigs,
    srcconfirms: e.srcconfirms,
    CCid: e.ccid,
    lastheight: e.lastHeight ?? null,
    rounds: e.rounds,
    completed: e.completed,
    current: e.current ?? null,
    last: e.last ?? null,
    problem: e.lastProblem ?? null,
  })),
});

const help: Handler = async (s) => ({ result: { API: helpItems(s.options.port) } });

/** agent/method → handler. */
export const AGENT_METHODS: ReadonlyMap<string, Handler> = new Map([
  ['SuperNET/help', help],
  ['SuperNET/myipaddr', myipaddr],
  ['SuperNET/activehandle', activehandleMethod],
  ['SuperNET/stop', stop],
  ['iguana/addnotary', addnotary],
  ['iguana/addcoin', addcoin],
  ['iguana/dpow', dpow],
  ['iguana/splitfunds', splitfunds],
  ['bitcoinrpc/walletpassphrase', walletpassphrase],
  ['dpow/notarizations', notarizations],
  ['dpow/notarychains', notarychains],
  ['dpow/active', active],
  ['dpow/ipaddrs', ipaddrs],
  ['dpow/devstatus', devstatus],
]);

/** Iguana's bitcoin-RPC table entries deviguana serves: positional params → named fields, remote flag. */
export const RPC_CALLS: ReadonlyMap<string, { fields: readonly string[]; remote: boolean }> = new Map([
  ['walletpassphrase', { fields: ['password', 'timeout', 'permanentfile'], remote: false }],
]);
