// Iguana reads request fields loosely (cJSON's jint/jstr): numbers given as strings are accepted.

export type Fields = Record<string, unknown>;

export function str(f: Fields, key: string): string | undefined {
  const v = f[key];
  return typeof v === 'string' ? v : undefined;
}

/** jint: a number, or a string holding one; anything else is 0. */
export function int(f: Fields, key: string): number {
  const v = f[key];
  if (typeof v === 'number' && Number.isFinite(v)) return Math.trunc(v);
  if (typeof v === 'string') {
    const n = Number.parseInt(v.trim(), 10);
    return Number.isFinite(n) ? n : 0;
  }
  return 0;
}

export function isIpv4(s: string): boolean {
  const parts = s.split('.');
  return (
    parts.length === 4 &&
    parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255) &&
    parts.some((p) => Number(p) !== 0)
  );
}
