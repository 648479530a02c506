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
