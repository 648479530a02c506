import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '@nn/shared';
import { z } from 'zod';
import { type ResolvedCoin, resolveCoin } from '../coins/resolve.js';
import { type CoinConfig, ConfigError, coinSchema, formatIssues } from '../config.js';

// The state file keeps the coins added at runtime (POST /v1/coins) so they survive a sidecar restart.
// Configured coins are not in it: the config is theirs.
const stateFileSchema = z.strictObject({ coins: z.array(coinSchema) });

/** Replaces the state file (atomically) with these coins; without a stateFile nothing is kept. */
export function writeRuntimeCoins(stateFile: string | undefined, coins: readonly CoinConfig[]): void {
  if (!stateFile) return;
  const state: z.infer<typeof stateFileSchema> = { coins: [...coins] };
  writeFileAtomic(stateFile, `${JSON.stringify(state, null, 2)}\n`);
}

/**
 * Coins added at runtime by an earlier run, checked like the configured ones. A missing file is an empty
 * list; a coin that clashes with a configured one (name, bridge port, conf) is left out.
 */
export function readRuntimeCoins(
  cfg: { readonly stateFile?: string | undefined; readonly home: string },
  configured: readonly ResolvedCoin[],
): ResolvedCoin[] {
  if (!cfg.stateFile) return [];
  let text: string;
  try {
    text = readFileSync(cfg.stateFile, 'utf8');
  } catch {
    return [];
  }
  const parsed = stateFileSchema.safeParse(JSON.parse(text));
  if (!parsed.success)
    throw new ConfigError(`stateFile ${cfg.stateFile}: ${formatIssues(parsed.error.issues).join('; ')}`);
  const out: ResolvedCoin[] = [];
  parsed.data.coins.forEach((c, i) => {
    const r = resolveCoin(c, cfg.home, `stateFile.coins.${i}`);
    const clash = [...configured, ...out].find(
      (o) => o.name === r.name || o.rpcPort === r.rpcPort || o.confPath === r.confPath,
    );
    // A configured coin wins: the operator moved it into the config.
    if (!clash) out.push(r);
  });
  return out;
}
