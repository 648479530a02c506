import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { type IguanaSidecarConfig, iguanaSidecarConfigSchema } from './contract/config.js';

// The schemas live in the contract; these names stay here for the sidecar's own modules.
export {
  type CoinConfig,
  type CoinInput,
  coinName,
  coinSchema,
  type IguanaSidecarConfig,
  iguanaSidecarConfigSchema,
} from './contract/config.js';

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** zod issues as `field.path: message` lines. */
export function formatIssues(issues: readonly z.core.$ZodIssue[], root = '(config)'): string[] {
  return issues.map((i) => `${i.path.length ? i.path.join('.') : root}: ${i.message}`);
}

/** Validates a config object; the error names each bad field and why. Cross-coin rules: resolveCoins. */
export function parseConfig(raw: unknown): IguanaSidecarConfig {
  const r = iguanaSidecarConfigSchema.safeParse(raw);
  if (!r.success)
    throw new ConfigError(`invalid iguana-sidecar config:\n  ${formatIssues(r.error.issues).join('\n  ')}`);
  return r.data;
}

export function loadConfig(path: string): IguanaSidecarConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new ConfigError(`cannot read iguana-sidecar config ${path}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(
      `iguana-sidecar config ${path} is not JSON: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  return parseConfig(raw);
}
