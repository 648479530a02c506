// biome-ignore-all lint/suspicious/noTemplateCurlyInString: network files write placeholders as ${name}, literally
import { z } from 'zod';

// The small field schemas every part of a network file uses. Names and paths in a network file end up
// as unit names, directories, conf file names and argv words, so anything that could escape those
// (path separators, "..", shell metacharacters, NUL and other control characters) is refused here.

// NUL and the other C0 controls, DEL: none belongs in a name, path or argv word.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
const CONTROL = /[\u0000-\u001f\u007f]/;

/** A zod error option: "missing" when the field is absent, else `message`. */
export const orMissing = (message: string) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined ? 'missing' : message),
});

/** A word with no control character (NUL included): every string of a network file is one. */
export const text = (max = 400) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !CONTROL.test(s), 'must not contain control characters (NUL, newline, ...)');

export const port = z
  .number(orMissing('must be a port number'))
  .int('must be a port number')
  .min(1, 'must be a port number 1-65535')
  .max(65535, 'must be a port number 1-65535');

/** A chain or coin symbol as komodod, Iguana and the unit names use it: KMD, LTC, GLEEC_OLD. */
export const symbol = z
  .string()
  .regex(/^[A-Z0-9][A-Za-z0-9_]{0,63}$/, 'must be a chain symbol (A-Z, 0-9, _; starting with A-Z or 0-9)');

/** A program name inside the image: a bare file name, looked up on the image's PATH. */
export const binary = z
  .string()
  .regex(/^[a-z][a-z0-9_.-]{0,63}$/, 'must be a program name (a-z, 0-9, "_", ".", "-"; no path)');

/** A file name in a data dir: no directory part. */
export const fileName = z
  .string()
  .regex(
    /^(\$\{ac_name\}|[A-Za-z0-9_][A-Za-z0-9_.-]{0,63})(\.[a-z]{1,8})?$/,
    'must be a file name (A-Z, a-z, 0-9, "_", ".", "-"; no directory, may be ${ac_name}.conf)',
  );

/**
 * A path relative to the unit's home (its volume): no leading "/", no "." or ".." segment, only
 * A-Z a-z 0-9 _ . - and the ${ac_name} placeholder.
 */
export const homePath = z.string().superRefine((s, ctx) => {
  const reason = homePathProblem(s);
  if (reason) ctx.addIssue({ code: 'custom', message: reason });
});

export function homePathProblem(s: string): string | undefined {
  if (CONTROL.test(s)) return 'must not contain control characters (NUL, newline, ...)';
  if (s.startsWith('/') || s.startsWith('~'))
    return "must be relative to the unit's home (its volume): no leading / or ~";
  const segments = s.split('/');
  if (segments.some((seg) => seg === '..' || seg === '.' || seg === ''))
    return 'must stay inside the unit\'s volume (no "..", "." or empty segment)';
  if (!segments.every((seg) => /^(\$\{ac_name\}|[A-Za-z0-9_.-]){1,64}$/.test(seg)))
    return 'may only contain A-Z, a-z, 0-9, "_", ".", "-", "/" and ${ac_name}';
  return undefined;
}

/** A Docker image reference, tag or digest pinned (no bare name that means :latest). */
export const imageRef = z
  .string(orMissing('must be an image reference'))
  .regex(
    /^[a-z0-9]+(?:[._/-][a-z0-9]+)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[0-9a-f]{64})$/,
    'must be an image reference with a tag or digest (name:tag)',
  );

/** Where a daemon is built from: the upstream repository and the commit (never a branch name). */
export const upstreamSource = z.strictObject({
  repository: z
    .string(orMissing('must be owner/name of the upstream repository'))
    .regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/, 'must be owner/name'),
  commit: z
    .string(orMissing('must be the commit the image is built from'))
    .regex(/^[0-9a-f]{7,40}$/, 'must be a commit hash (7-40 hex; branch and tag names move)'),
  /** The tag or branch the commit carries, for people; the commit is what counts. */
  ref: text(100).optional(),
});

/** A stand-in of this project, built by images/build.sh from one of its Dockerfiles. */
export const projectSource = z.strictObject({
  dockerfile: z
    .string(orMissing('must name the Dockerfile'))
    .regex(/^images\/[a-z0-9-]+\.Dockerfile$/, 'must be images/<name>.Dockerfile of this repository'),
});

export const source = z.union([upstreamSource, projectSource], {
  error: 'must be {repository, commit} of the upstream, or {dockerfile} of a stand-in',
});

/** A daemon's image: the real one, the project's stand-in that replaces it with --stand-ins, its source. */
export const image = z.strictObject({
  ref: imageRef,
  standIn: imageRef,
  source,
});
