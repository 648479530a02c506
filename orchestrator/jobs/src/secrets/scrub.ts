import type { JobsDeps } from '../context.js';

/**
 * Replaces every known secret value in a text with `[redacted]`. Error messages from daemons, sidecars or
 * engines should never carry secrets, but failedReason and statusReason are stored and shown to viewers,
 * so they are scrubbed against the values this job handled anyway.
 */
export function scrubSecrets(text: string, secrets: Iterable<string | undefined>): string {
  let out = text;
  for (const s of secrets) if (s !== undefined && s.length >= 6) out = out.split(s).join('[redacted]');
  return out;
}

/**
 * The node-wide secrets any job may have handled: the notary WIF, KMD's and LTC's viewer tokens and
 * Iguana's operator token, read from their files (a missing file has nothing to scrub).
 */
export function nodeSecretValues(deps: Pick<JobsDeps, 'config' | 'secrets'>): string[] {
  const { config, secrets } = deps;
  const out: string[] = [];
  for (const file of [
    config.notary?.wifFile,
    config.kmd?.viewerTokenFile,
    config.ltc?.viewerTokenFile,
    config.iguana?.operatorTokenFile,
  ]) {
    if (file === undefined) continue;
    try {
      out.push(secrets.readExternal(file));
    } catch {
      // nothing to scrub
    }
  }
  return out;
}
