import { readFileSync } from 'node:fs';
import { iguanaPassphraseKey, toHex } from '@nn/chain-crypto';
import { TokenStore } from '@nn/chain-sidecar';
import { parseElectedFile } from '@nn/komodo-params';
import { readSecretFile } from '@nn/shared';
import type { Logger } from 'pino';
import { buildApi } from './api/server.js';
import { CoinConfigError, type ResolvedCoin, resolveCoins } from './coins/resolve.js';
import { ConfigError, type IguanaSidecarConfig } from './config.js';
import { readRuntimeCoins } from './driver/persistence.js';
import { IguanaDriver } from './driver.js';
import { messageOf } from './errors.js';
import { IguanaClient } from './iguana/client.js';
import { IguanaMetrics } from './metrics.js';

export interface RunningIguanaSidecar {
  /** host:port the API listens on (the real port when 0 was asked). */
  readonly address: string;
  readonly driver: IguanaDriver;
  close(): Promise<void>;
}

/**
 * Refuses a passphrase whose key is not the configured notary pubkey (Iguana would sign with another
 * key than the daemons' -pubkey). The message names the file, never the passphrase or a key.
 */
export function checkPassphrase(cfg: Pick<IguanaSidecarConfig, 'passphraseFile' | 'notaryPubkey'>): void {
  let passphrase: string;
  try {
    passphrase = readSecretFile(cfg.passphraseFile);
  } catch (err) {
    throw new ConfigError(`passphraseFile: ${messageOf(err)}`);
  }
  if (toHex(iguanaPassphraseKey(passphrase).publicKey) !== cfg.notaryPubkey.toLowerCase()) {
    throw new ConfigError(
      `notaryPubkey: not the key of the passphrase in ${cfg.passphraseFile}; refusing to start`,
    );
  }
}

function checkElectedFile(path: string): void {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new ConfigError(`electedFile: cannot read ${path}`);
  }
  try {
    parseElectedFile(text);
  } catch (err) {
    throw new ConfigError(`electedFile: ${messageOf(err)}`);
  }
}

/** Checks the secrets and files, opens the bridges (confs first), serves the API, starts driving Iguana. */
export async function startIguanaSidecar(
  cfg: IguanaSidecarConfig,
  log: Logger,
  opts: { tokens?: TokenStore } = {},
): Promise<RunningIguanaSidecar> {
  checkPassphrase(cfg);
  checkElectedFile(cfg.electedFile);
  let configured: ResolvedCoin[];
  let runtime: ResolvedCoin[];
  try {
    configured = resolveCoins(cfg.coins, cfg.home);
    runtime = readRuntimeCoins(cfg, configured);
  } catch (err) {
    if (err instanceof CoinConfigError) throw new ConfigError(err.message);
    throw err;
  }
  const tokens = opts.tokens ?? TokenStore.fromFile(cfg.tokensFile);
  const metrics = new IguanaMetrics();
  const driver = new IguanaDriver({
    iguana: new IguanaClient(cfg.iguanaPort, cfg.iguanaTimeoutMs),
    notaryPubkey: cfg.notaryPubkey.toLowerCase(),
    myipaddr: cfg.myipaddr,
    passphraseFile: cfg.passphraseFile,
    electedFile: cfg.electedFile,
    ...(cfg.addnotary ? { addnotary: cfg.addnotary } : {}),
    home: cfg.home,
    pollIntervalMs: cfg.pollIntervalMs,
    maxBodyBytes: cfg.maxBodyBytes,
    statusCacheMs: cfg.statusCacheMs,
    stateFile: cfg.stateFile,
    metrics,
    log,
  });
  await driver.open(configured, runtime);
  let app: Awaited<ReturnType<typeof buildApi>> | undefined;
  let address: string;
  try {
    app = await buildApi({
      driver,
      tokens,
      metrics,
      log,
      maxBodyBytes: cfg.maxBodyBytes,
      rateLimitPerMinute: cfg.rateLimitPerMinute,
    });
    const sep = cfg.listen.lastIndexOf(':');
    address = await app.listen({
      host: cfg.listen.slice(0, sep).replace(/^\[|\]$/g, ''),
      port: Number(cfg.listen.slice(sep + 1)),
    });
  } catch (err) {
    await app?.close();
    await driver.close();
    throw err;
  }
  const api = app;
  driver.startLoop();
  log.info(
    { address, iguanaPort: cfg.iguanaPort, coins: [...configured, ...runtime].map((c) => c.name) },
    'iguana sidecar listening',
  );
  return {
    address: address.replace(/^https?:\/\//, ''),
    driver,
    async close() {
      await api.close();
      await driver.close();
    },
  };
}
