import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { type Network, networkSchema } from './network-schema.js';

// A network is named (one of the files the project ships in networks/) or given as a path to a file of
// the operator's own. Either way the file is checked whole, and every problem is reported as
// `<file>: <field path>: <reason>`.

/**
 * Where the shipped network files are: the repository's networks/ folder, or, for the bundled nnctl
 * (dist/nnctl/nnctl.mjs, images/bundle.mjs), the networks/ folder beside the bundle.
 */
const BESIDE_BUNDLE = new URL('./networks/', import.meta.url);
export const SHIPPED_DIR = fileURLToPath(
  existsSync(BESIDE_BUNDLE) ? BESIDE_BUNDLE : new URL('../../../networks/', import.meta.url),
);

const SHIPPED_NAME = /^[a-z][a-z0-9-]{0,31}$/;
const MAX_FILE_BYTES = 4 * 1024 * 1024;

export class NetworkFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(problems.map((p) => `${file}: ${p}`).join('\n'));
    this.name = 'NetworkFileError';
  }
}

/** The names of the shipped networks. */
export function shippedNetworks(dir = SHIPPED_DIR): string[] {
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch (err) {
    // A bundled nnctl copied without its networks/ folder ships none: the caller's message says so.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return files
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

/** A name or path as `nnctl up --network` takes it: a path has a "/" or ends in .json. */
export const isNetworkPath = (nameOrPath: string) => nameOrPath.includes('/') || nameOrPath.endsWith('.json');

export interface LoadedNetwork {
  readonly network: Network;
  /** The file it was read from (absolute). */
  readonly file: string;
  readonly shipped: boolean;
}

/** Loads a shipped network by name, or a network file by path (relative to `cwd`). */
export function loadNetwork(nameOrPath: string, opts: { cwd?: string; dir?: string } = {}): LoadedNetwork {
  if (nameOrPath.includes('\0')) throw new NetworkFileError('--network', ['must not contain NUL']);
  const dir = opts.dir ?? SHIPPED_DIR;
  if (!isNetworkPath(nameOrPath)) {
    const names = shippedNetworks(dir);
    if (!SHIPPED_NAME.test(nameOrPath) || !names.includes(nameOrPath))
      throw new NetworkFileError('--network', [
        `${JSON.stringify(nameOrPath)} is not a shipped network (${names.length > 0 ? names.join(', ') : `none found in ${dir}`}) nor a path to a network file (./mynet.json)`,
      ]);
    return { ...readNetworkFile(resolve(dir, `${nameOrPath}.json`)), shipped: true };
  }
  return { ...readNetworkFile(resolve(opts.cwd ?? process.cwd(), nameOrPath)), shipped: false };
}

/** Reads and checks one network file. */
export function readNetworkFile(file: string): { network: Network; file: string } {
  let textContent: string;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new NetworkFileError(file, ['is not a file']);
    if (st.size > MAX_FILE_BYTES)
      throw new NetworkFileError(file, [`is ${st.size} bytes; at most ${MAX_FILE_BYTES}`]);
    textContent = readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof NetworkFileError) throw err;
    throw new NetworkFileError(file, [
      `cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`,
    ]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(textContent);
  } catch (err) {
    throw new NetworkFileError(file, [`is not JSON (${err instanceof Error ? err.message : String(err)})`]);
  }
  return { network: parseNetwork(raw, file), file };
}

/** Checks a network already parsed from JSON; `file` names it in errors. */
export function parseNetwork(raw: unknown, file: string): Network {
  const r = networkSchema.safeParse(raw);
  if (!r.success) throw new NetworkFileError(file, issueLines(r.error.issues));
  const stem = basename(file).replace(/\.json$/, '');
  if (SHIPPED_NAME.test(stem) && file.startsWith(SHIPPED_DIR) && r.data.name !== stem)
    throw new NetworkFileError(file, [
      `name: is ${r.data.name}, but a shipped file's name is its file name (${stem})`,
    ]);
  return r.data;
}

function fieldPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(file)';
  return path
    .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
    .join('')
    .replace(/^\./, '');
}

/** zod issues as `field: reason` lines; an unknown key is its own field; union noise is narrowed. */
export function issueLines(issues: readonly z.core.$ZodIssue[]): string[] {
  const out: string[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push(`${fieldPath([...issue.path, key])}: unknown key`);
      continue;
    }
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      // The alternative that got furthest says most: the one with the fewest issues.
      const best = [...issue.errors].sort((a, b) => a.length - b.length)[0] ?? [];
      out.push(...issueLines(best.map((i) => ({ ...i, path: [...issue.path, ...i.path] }))));
      continue;
    }
    const last = issue.path.at(-1);
    let message = issue.message;
    if (typeof last === 'string')
      for (const prefix of [`${last}: `, `-${last}: `])
        if (message.startsWith(prefix)) message = message.slice(prefix.length);
    const missing = issue.code === 'invalid_type' && / received undefined$/.test(message);
    out.push(`${fieldPath(issue.path)}: ${missing ? 'missing' : message}`);
  }
  return out;
}
