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

export function ensureDataDir(dataDir: string): void {
  if (!existsSync(dataDir)) mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  mkdirSync(`${dataDir}/blocks`, { recursive: true, mode: 0o700 });
}
