import { readFileSync } from 'node:fs';
import { type SidecarConfig, sidecarConfigSchema } from './contract/config.js';

export class SidecarConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SidecarConfigError';
  }
}

/** Validates a config object; the error names each bad field and why. */
export function parseSidecarConfig(raw: unknown): SidecarConfig {
  const result = sidecarConfigSchema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.map(
      (i) => `${i.path.length ? i.path.join('.') : '(config)'}: ${i.message}`,
    );
    throw new SidecarConfigError(`invalid sidecar config:\n  ${lines.join('\n  ')}`);
  }
  return result.data;
}

export function loadSidecarConfig(path: string): SidecarConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new SidecarConfigError(`cannot read sidecar config ${path}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new SidecarConfigError(
      `sidecar config ${path} is not JSON: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  return parseSidecarConfig(raw);
}
