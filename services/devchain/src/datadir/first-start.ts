import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { newAssetchainConfCredentials, renderAssetchainConf } from '@nn/komodo-params';
import { writeFileAtomic } from '@nn/shared';

/**
 * komodod's first start of an assetchain: NAME.conf is written when missing, with a generated
 * rpcuser/rpcpassword and the chain's RPC port. Written whole through a temp file and a rename, so a
 * crash leaves either no conf or a complete one; mode 0600 because it holds the RPC password
 * (komodod itself leaves it at the umask default, usually 0644).
 */
export function writeAssetchainConf(
  path: string,
  name: string,
  rpcPort: number,
): { rpcuser: string; rpcpassword: string } {
  const creds = newAssetchainConfCredentials(name, (n) => new Uint8Array(randomBytes(n)));
  const text = renderAssetchainConf({ ...creds, rpcport: rpcPort });
  writeFileAtomic(path, text, 0o600);
  return creds;
}

/**
 * Makes the data dir and its blocks/ when missing. `walletsDir`: Bitcoin Core (since 0.16, util/system.cpp
 * GetDataDir) also makes `wallets/` when it creates the data dir itself, "the first run"; an existing
 * data dir (e.g. one holding only the conf) gets none, and its wallets then live in the data dir.
 */
export function ensureDataDir(dataDir: string, walletsDir = false): void {
  if (!existsSync(dataDir)) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    if (walletsDir) mkdirSync(`${dataDir}/wallets`, { mode: 0o700 });
  }
  mkdirSync(`${dataDir}/blocks`, { recursive: true, mode: 0o700 });
}
