import { existsSync, readFileSync } from 'node:fs';
import { parseConf } from '@nn/komodo-params';
import { DevchainConfigError } from './config-error.js';

/** A conf file's values by key (a key may repeat); undefined when there is no conf file. */
export type ConfValues = Map<string, string[]> | undefined;

export function readConf(path: string): ConfValues {
  if (!existsSync(path)) return undefined;
  try {
    return parseConf(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new DevchainConfigError(
      `Error reading configuration file ${path}: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

export function confInt(conf: ConfValues, key: string): number | undefined {
  const v = conf?.get(key)?.[0];
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new DevchainConfigError(`configuration file: ${key}=${v} is not a number`);
  return Number(v);
}

/** A boolean option: the flag wins, then the conf (anything but 0 is on), then the default. */
export function flagOn(v: boolean | undefined, conf: string | undefined, fallback: boolean): boolean {
  if (v !== undefined) return v;
  if (conf !== undefined) return conf !== '0';
  return fallback;
}
