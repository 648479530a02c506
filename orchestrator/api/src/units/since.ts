// `--since` as operators write it for `docker logs`: a duration back from now (90s, 10m, 1h30m) or a time
// (2026-01-02, 2026-01-02T15:04:05Z, with an offset or fractions). Shared by the API and nnctl, so a
// value the CLI accepts is one the API accepts.

const DURATION = /^(?:(\d{1,5})h)?(?:(\d{1,7})m)?(?:(\d{1,9})s)?$/;
const TIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

export const SINCE_FORMAT = 'a duration (90s, 10m, 1h30m) or a time (2026-01-02T15:04:05Z)';

/** The moment `since` names, or undefined when it is neither a duration nor a time. */
export function parseSince(since: string, now: number = Date.now()): Date | undefined {
  const d = DURATION.exec(since);
  if (d && since !== '') {
    const [h, m, s] = [d[1], d[2], d[3]].map((v) => Number(v ?? 0)) as [number, number, number];
    return new Date(now - ((h * 60 + m) * 60 + s) * 1000);
  }
  if (!TIME.test(since)) return undefined;
  const t = Date.parse(since.replace(' ', 'T'));
  return Number.isNaN(t) ? undefined : new Date(t);
}
