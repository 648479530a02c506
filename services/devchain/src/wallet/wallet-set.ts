import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { NetworkPrefixes } from '@nn/chain-crypto';
import { writeFileAtomic } from '@nn/shared';
import type { ChainState } from '../chain/chainstate.js';
import type { Mempool } from '../chain/mempool.js';
import type { Tx } from '../chain/tx.js';
import { RpcError } from '../rpc/errors.js';
import { Wallet } from './wallet.js';

/**
 * Bitcoin Core 0.21's wallet codes (rpc/protocol.h): -4 RPC_WALLET_ERROR, -18 RPC_WALLET_NOT_FOUND,
 * -19 RPC_WALLET_NOT_SPECIFIED, -35 RPC_WALLET_ALREADY_LOADED.
 */
export class WalletSetError extends RpcError {
  constructor(code: -1 | -4 | -18 | -19 | -35, message: string) {
    super(code, message);
  }
}

export const NO_WALLET_LOADED =
  'No wallet is loaded. Load a wallet using loadwallet or create a new one with createwallet. (Note: A default wallet is no longer automatically created)';
export const WALLET_NOT_SPECIFIED =
  'Wallet file not specified (must request wallet RPC through /wallet/<filename> uri-path).';
export const WALLET_NOT_LOADED = 'Requested wallet does not exist or is not loaded';
const VERIFY_FAILED = 'Wallet file verification failed.';

/** `-walletdir`, else `<datadir>/wallets` when that directory exists, else the data dir (walletutil.cpp GetWalletDir). */
export function walletDirOf(dataDir: string, walletdir: string | undefined): string {
  if (walletdir !== undefined) return walletdir;
  const wallets = join(dataDir, 'wallets');
  return isDir(wallets) ? wallets : dataDir;
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function isFile(p: string): boolean {
  try {
    return lstatSync(p).isFile();
  } catch {
    return false;
  }
}

export interface WalletSetOptions {
  readonly dataDir: string;
  readonly walletDir: string;
  readonly chain: ChainState;
  readonly mempool: Mempool;
  readonly prefixes: NetworkPrefixes;
  readonly warn: (message: string) => void;
}

/**
 * litecoind/bitcoind 0.21's loaded wallets: none is ever created at start-up; `-wallet`/`wallet=` and
 * settings.json's "wallet" list name the ones loaded, else the unnamed "" wallet if it exists. A named
 * wallet is the directory `<walletdir>/<name>` holding wallet.dat; "" is `<walletdir>/wallet.dat`.
 */
export class WalletSet {
  private readonly loaded = new Map<string, Wallet>();

  constructor(private readonly o: WalletSetOptions) {}

  get walletDir(): string {
    return this.o.walletDir;
  }

  private get settingsPath(): string {
    return join(this.o.dataDir, 'settings.json');
  }

  /** Start-up (wallet/load.cpp VerifyWallets + LoadWallets): what to load, loaded in that order. */
  loadAtStart(argNames: readonly string[]): void {
    const names = [...argNames, ...this.settingsWallets()];
    // For backward compatibility the unnamed wallet is loaded when no wallet is named anywhere.
    if (names.length === 0 && this.dataFile('') !== undefined) names.push('');
    const seen = new Set<string>();
    for (const name of names) {
      const path = resolve(this.o.walletDir, name);
      if (seen.has(path)) {
        this.o.warn(`Ignoring duplicate -wallet ${name}.`);
        continue;
      }
      seen.add(path);
      const found = this.verify(name, 'load');
      if (found.error) {
        if (found.notFound) {
          this.o.warn(`Skipping -wallet path that doesn't exist. ${found.error}`);
          continue;
        }
        throw new WalletSetError(-4, found.error);
      }
      this.open(name, found.file);
    }
  }

  /** The loaded wallets' names, in load order (listwallets). */
  names(): string[] {
    return [...this.loaded.keys()];
  }

  all(): Wallet[] {
    return [...this.loaded.values()];
  }

  /** GetWalletForJSONRPCRequest: the /wallet/<name> one, else the only one loaded. */
  forRequest(name: string | undefined): Wallet {
    if (name !== undefined) {
      const w = this.loaded.get(name);
      if (!w) throw new WalletSetError(-18, WALLET_NOT_LOADED);
      return w;
    }
    const [first, second] = this.loaded.values();
    if (!first) throw new WalletSetError(-18, NO_WALLET_LOADED);
    if (second) throw new WalletSetError(-19, WALLET_NOT_SPECIFIED);
    return first;
  }

  /** createwallet: a new wallet at `name`, loaded; `loadOnStartup` edits settings.json. */
  create(name: string, loadOnStartup: boolean | undefined): { name: string; warnings: string[] } {
    const found = this.verify(name, 'create');
    if (found.error) throw new WalletSetError(-4, `${VERIFY_FAILED} ${found.error}`);
    mkdirSync(resolve(this.o.walletDir, name), { recursive: true, mode: 0o700 });
    this.open(name, found.file);
    return { name, warnings: this.updateSetting(name, loadOnStartup) };
  }

  /** loadwallet: an existing wallet; not found → -18, loaded already → -35, as 0.21's LoadWallet. */
  load(name: string, loadOnStartup: boolean | undefined): { name: string; warnings: string[] } {
    const found = this.verify(name, 'load');
    if (found.error)
      throw new WalletSetError(
        found.notFound ? -18 : found.loaded ? -35 : -4,
        `${VERIFY_FAILED} ${found.error}`,
      );
    this.open(name, found.file);
    return { name, warnings: this.updateSetting(name, loadOnStartup) };
  }

  unload(name: string, loadOnStartup: boolean | undefined): string[] {
    const w = this.loaded.get(name);
    if (!w) throw new WalletSetError(-18, WALLET_NOT_LOADED);
    w.close();
    this.loaded.delete(name);
    return this.updateSetting(name, loadOnStartup);
  }

  /** listwalletdir (db.cpp ListDatabases): directories holding wallet.dat, and top-level data files. */
  listDir(): string[] {
    const out: string[] = [];
    const walk = (dir: string, top: boolean): void => {
      let entries: import('node:fs').Dirent[];
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        const p = join(dir, e.name);
        if (e.isDirectory()) {
          if (isFile(join(p, 'wallet.dat'))) out.push(relative(this.o.walletDir, p));
          walk(p, false);
        } else if (top && e.isFile() && e.name === 'wallet.dat') out.push('');
      }
    };
    walk(this.o.walletDir, true);
    return out;
  }

  noticeMempoolTx(t: Tx): void {
    for (const w of this.loaded.values()) w.noticeMempoolTx(t);
  }

  closeAll(): void {
    for (const w of this.loaded.values()) w.close();
    this.loaded.clear();
  }

  private open(name: string, file: string): void {
    const w = Wallet.open(file, this.o.chain, this.o.mempool, this.o.prefixes, name);
    this.loaded.set(name, w);
    w.reacceptUnconfirmed();
  }

  /** The data file a wallet name stands for, when it exists (a directory's wallet.dat, or a top-level file). */
  private dataFile(name: string): string | undefined {
    const path = resolve(this.o.walletDir, name);
    if (isDir(path)) return isFile(join(path, 'wallet.dat')) ? join(path, 'wallet.dat') : undefined;
    return isFile(path) && !name.includes('/') ? path : undefined;
  }

  /** wallet.cpp MakeWalletDatabase + walletdb.cpp MakeDatabase, with 0.21's error texts. */
  private verify(
    name: string,
    mode: 'load' | 'create',
  ): { file: string; error?: string; notFound?: boolean; loaded?: boolean } {
    const path = resolve(this.o.walletDir, name);
    const pathExists = existsSync(path);
    const legacyFile = isFile(path) && !name.includes('/') && name !== '';
    if (pathExists && !isDir(path) && !legacyFile) {
      return {
        file: path,
        error: `Invalid -wallet path '${name}'. -wallet path should point to a directory where wallet.dat and database/log.?????????? files can be stored, a location where such a directory could be created, or (for backwards compatibility) the name of an existing data file in -walletdir (${this.o.walletDir})`,
      };
    }
    const file = legacyFile ? path : join(path, 'wallet.dat');
    const exists = this.dataFile(name) !== undefined;
    if (mode === 'create') {
      if (exists)
        return { file, error: `Failed to create database path '${path}'. Database already exists.` };
      return { file };
    }
    if (!pathExists)
      return { file, notFound: true, error: `Failed to load database path '${path}'. Path does not exist.` };
    // A directory without a data file: 0.21 answers "not in recognized format", mapped to -18 too.
    if (!exists)
      return {
        file,
        notFound: true,
        error: `Failed to load database path '${path}'. Data is not in recognized format.`,
      };
    for (const w of this.loaded.values()) {
      if (w.path === file)
        return {
          file,
          loaded: true,
          error: `Refusing to load database. Data file '${file}' is already loaded.`,
        };
    }
    return { file };
  }

  private readSettings(): Record<string, unknown> {
    if (!existsSync(this.settingsPath)) return {};
    try {
      const v: unknown = JSON.parse(readFileSync(this.settingsPath, 'utf8'));
      return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
    } catch {
      throw new WalletSetError(-1, `Failed loading settings file: ${this.settingsPath}`);
    }
  }

  private settingsWallets(): string[] {
    const w = this.readSettings().wallet;
    if (typeof w === 'string') return [w];
    return Array.isArray(w) ? w.filter((x): x is string => typeof x === 'string') : [];
  }

  /** wallet.cpp UpdateWalletSetting: true adds the name to settings.json's "wallet", false removes it. */
  private updateSetting(name: string, loadOnStartup: boolean | undefined): string[] {
    if (loadOnStartup === undefined) return [];
    const settings = this.readSettings();
    const list = this.settingsWallets();
    const next = loadOnStartup
      ? list.includes(name)
        ? list
        : [...list, name]
      : list.filter((n) => n !== name);
    try {
      writeFileAtomic(
        this.settingsPath,
        `${JSON.stringify({ ...settings, wallet: next }, null, 4)}\n`,
        0o600,
      );
      return [];
    } catch {
      return [
        loadOnStartup
          ? 'Wallet load on startup setting could not be updated, so wallet may not be loaded next node startup.'
          : 'Wallet load on startup setting could not be updated, so wallet may still be loaded next node startup.',
      ];
    }
  }
}

/** wallet/load.cpp VerifyWallets' check of -walletdir; the init error's text, or undefined when usable. */
export function walletDirProblem(dir: string): string | undefined {
  if (!existsSync(dir)) return `Specified -walletdir "${dir}" does not exist`;
  if (!isDir(dir)) return `Specified -walletdir "${dir}" is not a directory`;
  if (!isAbsolute(dir)) return `Specified -walletdir "${dir}" is a relative path`;
  return undefined;
}
