import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { newAssetchainConfCredentials } from '@nn/komodo-params';
import { chainIdSchema, parseOrThrow } from '@nn/orchestrator-core';
import { readSecretFile, readStoredSecret, secretOnce } from '@nn/shared';

// Secrets the orchestrator generates for a chain (its daemon's RPC credentials, its sidecar's tokens)
// live as 0600 files under <secretsDir>/chains/<chainId>/, never in Redis or job data. Each is generated
// once: the file is linked into place only if absent, so a job re-run after a crash (or a second worker)
// reads the value the first run stored, and the conf already in the volume keeps matching.

/** Everything secret a chain unit needs. */
export interface ChainSecrets {
  readonly rpcuser: string;
  readonly rpcpassword: string;
  /** Bearer token of the chain sidecar's viewer role. */
  readonly viewerToken: string;
  /** Bearer token of the chain sidecar's operator role (the orchestrator, Iguana). */
  readonly operatorToken: string;
}

const token = () => randomBytes(24).toString('hex');

export class SecretStore {
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
  }

  private chainDir(chainId: string): string {
    return join(this.dir, 'chains', parseOrThrow(chainIdSchema, chainId, 'chainId'));
  }

  /** The chain's secrets, generated on first use and read back after. */
  chain(chainId: string, acName: string): ChainSecrets {
    const dir = this.chainDir(chainId);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const creds = () => newAssetchainConfCredentials(acName, (n) => randomBytes(n));
    const rpcuser = secretOnce(join(dir, 'rpcuser'), () => creds().rpcuser);
    return {
      rpcuser,
      rpcpassword: secretOnce(join(dir, 'rpcpassword'), () => creds().rpcpassword),
      viewerToken: secretOnce(join(dir, 'viewer.token'), token),
      operatorToken: secretOnce(join(dir, 'operator.token'), token),
    };
  }

  /** True when the chain has stored secrets. */
  has(chainId: string): boolean {
    try {
      readFileSync(join(this.chainDir(chainId), 'rpcpassword'));
      return true;
    } catch {
      return false;
    }
  }

  /** The chain's stored secret values (none generated), for scrubbing error texts. */
  known(chainId: string): string[] {
    const dir = this.chainDir(chainId);
    return ['rpcpassword', 'viewer.token', 'operator.token']
      .map((name) => readStoredSecret(join(dir, name)))
      .filter((v): v is string => v !== undefined);
  }

  /** Deletes the chain's secrets (with its data: they only match the conf in that volume). */
  remove(chainId: string): void {
    rmSync(this.chainDir(chainId), { recursive: true, force: true });
  }

  /** A secret supplied by the operator (WIF, tokens of other units): a 0600 file, trimmed. */
  readExternal(path: string): string {
    return readSecretFile(path);
  }
}
