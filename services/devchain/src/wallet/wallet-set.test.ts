import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeWif, LTC_PREFIXES, p2pkhScriptForPubkey } from '@nn/chain-crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChainState } from '../chain/chainstate.js';
import type { Mempool } from '../chain/mempool.js';
import { keyB, mine, newChain, SUBSIDY } from '../chain/testkit.js';
import { ensureDataDir } from '../datadir/first-start.js';
import {
  NO_WALLET_LOADED,
  WALLET_NOT_SPECIFIED,
  WalletSet,
  walletDirOf,
  walletDirProblem,
} from './wallet-set.js';

let dir: string;
let chain: ChainState;
let mempool: Mempool;
let warnings: string[];
let sets: WalletSet[];

beforeEach(() => {
  dir = join(mkdtempSync(join(tmpdir(), 'devchain-wallets-')), '.litecoin');
  ({ chain, mempool } = newChain('bitcoin', 3));
  warnings = [];
  sets = [];
});

afterEach(() => {
  for (const s of sets) s.closeAll();
  rmSync(join(dir, '..'), { recursive: true, force: true });
});

/** A node's wallets as it starts on `dir` (a fresh data dir gets wallets/ first, as 0.21's GetDataDir). */
function start(names: string[] = [], walletdir?: string): WalletSet {
  ensureDataDir(dir, true);
  const set = new WalletSet({
    dataDir: dir,
    walletDir: walletDirOf(dir, walletdir),
    chain,
    mempool,
    prefixes: LTC_PREFIXES,
    warn: (m) => warnings.push(m),
  });
  sets.push(set);
  set.loadAtStart(names);
  return set;
}

function restart(names: string[] = []): WalletSet {
  for (const s of sets) s.closeAll();
  return start(names);
}

function rpcError(fn: () => unknown): { code: number; message: string } {
  try {
    fn();
  } catch (err) {
    const e = err as { code: number; message: string };
    return { code: e.code, message: e.message };
  }
  throw new Error('did not throw');
}

describe('WalletSet (litecoind 0.21 wallet loading)', () => {
  it('a fresh data dir gets wallets/ and no wallet: every wallet call is -18', () => {
    const set = start();
    expect(existsSync(join(dir, 'wallets'))).toBe(true);
    expect(existsSync(join(dir, 'wallets', 'wallet.dat'))).toBe(false);
    expect(set.walletDir).toBe(join(dir, 'wallets'));
    expect(set.names()).toEqual([]);
    expect(rpcError(() => set.forRequest(undefined))).toEqual({ code: -18, message: NO_WALLET_LOADED });
  });

  it('an existing data dir without wallets/ keeps its wallets in the data dir', () => {
    mkdirSync(dir, { recursive: true });
    expect(start().walletDir).toBe(dir);
  });

  it('createwallet "" with load_on_startup makes wallets/wallet.dat, writes settings.json, loads it after a restart', () => {
    const set = start();
    expect(set.create('', true)).toEqual({ name: '', warnings: [] });
    expect(existsSync(join(dir, 'wallets', 'wallet.dat'))).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8'))).toEqual({ wallet: [''] });
    const key = set.forRequest(undefined).defaultKey;
    const again = restart();
    expect(again.names()).toEqual(['']);
    expect(again.forRequest(undefined).defaultKey.publicKey).toEqual(key.publicKey);
  });

  it('the unnamed wallet is loaded at start when it exists and no wallet is named anywhere', () => {
    start().create('', undefined);
    expect(existsSync(join(dir, 'settings.json'))).toBe(false);
    expect(restart().names()).toEqual(['']);
    // Once a wallet is named (settings.json here), only the named ones are loaded.
    restart().create('other', true);
    expect(restart().names()).toEqual(['other']);
  });

  it('a second createwallet of a name is -4 "Database already exists"; a second loadwallet -35', () => {
    const set = start();
    set.create('', false);
    expect(rpcError(() => set.create('', false))).toEqual({
      code: -4,
      message: `Wallet file verification failed. Failed to create database path '${join(dir, 'wallets')}'. Database already exists.`,
    });
    expect(rpcError(() => set.load('', undefined))).toEqual({
      code: -35,
      message: `Wallet file verification failed. Refusing to load database. Data file '${join(dir, 'wallets', 'wallet.dat')}' is already loaded.`,
    });
  });

  it('loadwallet of a missing wallet is -18 with 0.21 texts; an unloaded one loads again', () => {
    const set = start();
    expect(rpcError(() => set.load('nope', undefined))).toEqual({
      code: -18,
      message: `Wallet file verification failed. Failed to load database path '${join(dir, 'wallets', 'nope')}'. Path does not exist.`,
    });
    expect(rpcError(() => set.load('', undefined))).toEqual({
      code: -18,
      message: `Wallet file verification failed. Failed to load database path '${join(dir, 'wallets')}'. Data is not in recognized format.`,
    });
    set.create('', undefined);
    set.unload('', undefined);
    expect(set.names()).toEqual([]);
    expect(set.load('', undefined).name).toBe('');
    expect(set.names()).toEqual(['']);
  });

  it('named wallets are directories; two loaded need /wallet/<name> (-19), listwalletdir lists both', () => {
    const set = start();
    set.create('', undefined);
    set.create('notary', undefined);
    expect(existsSync(join(dir, 'wallets', 'notary', 'wallet.dat'))).toBe(true);
    expect(rpcError(() => set.forRequest(undefined))).toEqual({ code: -19, message: WALLET_NOT_SPECIFIED });
    expect(set.forRequest('notary').name).toBe('notary');
    expect(rpcError(() => set.forRequest('x')).code).toBe(-18);
    expect(set.listDir().sort()).toEqual(['', 'notary']);
    expect(set.names()).toEqual(['', 'notary']);
  });

  it('load_on_startup false removes the name from settings.json; unloading a wallet not loaded is -18', () => {
    const set = start();
    set.create('a', true);
    set.create('b', true);
    set.unload('a', false);
    expect(JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8'))).toEqual({ wallet: ['b'] });
    expect(rpcError(() => set.unload('a', undefined)).code).toBe(-18);
    expect(restart().names()).toEqual(['b']);
  });

  it('-wallet names a missing wallet: skipped with a warning, never created; duplicates ignored', () => {
    const set = start(['w1', 'w1']);
    expect(set.names()).toEqual([]);
    expect(existsSync(join(dir, 'wallets', 'w1'))).toBe(false);
    expect(warnings[0]).toMatch(/^Skipping -wallet path that doesn't exist\. Failed to load database path/);
    expect(warnings).toContain('Ignoring duplicate -wallet w1.');
  });

  it('-walletdir: a missing or relative one is refused at start', () => {
    expect(walletDirProblem(join(dir, 'none'))).toBe(
      `Specified -walletdir "${join(dir, 'none')}" does not exist`,
    );
    expect(walletDirProblem('relative')).toMatch(/does not exist|is a relative path/);
    const wd = join(dir, '..', 'elsewhere');
    mkdirSync(wd);
    expect(walletDirProblem(wd)).toBeUndefined();
    const set = start([], wd);
    set.create('', undefined);
    expect(existsSync(join(wd, 'wallet.dat'))).toBe(true);
  });

  it('a rescan finds the coins and history of an imported key again', () => {
    const set = start();
    set.create('', undefined);
    mine(chain, mempool, 5, p2pkhScriptForPubkey(keyB.publicKey));
    const w = set.forRequest(undefined);
    w.importWif(encodeWif(keyB.privateKey, LTC_PREFIXES.wif, true));
    expect(w.walletTxs()).toHaveLength(0);
    w.rescanHistory(2, 4);
    expect(w.walletTxs()).toHaveLength(3);
    w.rescanHistory(0);
    expect(w.walletTxs()).toHaveLength(5);
    expect(w.balance(1)).toBe(SUBSIDY * 3n);
  });

  it('settings.json keeps its other keys when the wallet list changes', () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ other: 1 }));
    start().create('x', true);
    expect(JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8'))).toEqual({ other: 1, wallet: ['x'] });
  });
});
