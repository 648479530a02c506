import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { LayersInputError } from './layers-config.js';

export const WORKSPACE_FILE = 'pnpm-workspace.yaml';

export interface WorkspacePackage {
  readonly name: string;
  /** Absolute path of the package's directory. */
  readonly dir: string;
  /** The directory relative to the workspace root, with '/' separators. */
  readonly relDir: string;
  /** Every dependency the package.json declares, in any of the four dependency fields. */
  readonly dependencies: ReadonlySet<string>;
  readonly manifestText: string;
}

const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'];

/** The packages pnpm-workspace.yaml names, read from their package.json files. */
export function findWorkspacePackages(root: string): WorkspacePackage[] {
  const dirs = readWorkspaceGlobs(root).flatMap((glob) => expandGlob(root, glob));
  const unique = [...new Set(dirs)].filter((dir) => existsSync(join(dir, 'package.json'))).sort();
  return unique.map((dir) => readPackage(root, dir));
}

/**
 * The `packages:` list of pnpm-workspace.yaml. Only that list is read (a flow of `- "glob"` items), so a
 * plain line reader is enough and the tool needs no YAML parser; anything else in the list is refused.
 */
export function readWorkspaceGlobs(root: string): string[] {
  const path = join(root, WORKSPACE_FILE);
  if (!existsSync(path)) throw new LayersInputError(`${WORKSPACE_FILE}: not found in ${root}`);
  const lines = readFileSync(path, 'utf8').split('\n');
  const start = lines.findIndex((line) => /^packages:\s*(#.*)?$/.test(line));
  if (start < 0) throw new LayersInputError(`${WORKSPACE_FILE}: has no 'packages:' list`);
  const globs: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^\S/.test(line)) break;
    const item = line.replace(/\s+#.*$/, '').trim();
    if (item === '' || item.startsWith('#')) continue;
    const match = /^-\s+(?:"([^"]+)"|'([^']+)'|([^\s"']+))$/.exec(item);
    const glob = match?.[1] ?? match?.[2] ?? match?.[3];
    if (glob === undefined)
      throw new LayersInputError(`${WORKSPACE_FILE}: cannot read packages item '${item}'`);
    globs.push(glob);
  }
  return globs;
}

/** Expands a glob of literal segments and whole-segment '*' (the forms this workspace uses). */
function expandGlob(root: string, glob: string): string[] {
  const segments = glob.replace(/\/+$/, '').split('/');
  if (segments.some((s) => s === '**' || s.startsWith('!') || (s.includes('*') && s !== '*'))) {
    throw new LayersInputError(
      `${WORKSPACE_FILE}: packages glob '${glob}' is not supported (only literal segments and a whole '*')`,
    );
  }
  let dirs = [root];
  for (const segment of segments) {
    dirs = dirs.flatMap((dir) => {
      if (segment !== '*') return existsSync(join(dir, segment)) ? [join(dir, segment)] : [];
      return readdirSync(dir, { withFileTypes: true })
        .filter(
          (entry) => entry.isDirectory() && entry.name !== 'node_modules' && !entry.name.startsWith('.'),
        )
        .map((entry) => join(dir, entry.name));
    });
  }
  return dirs;
}

function readPackage(root: string, dir: string): WorkspacePackage {
  const manifestText = readFileSync(join(dir, 'package.json'), 'utf8');
  const relDir = relative(root, dir).split(sep).join('/');
  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(manifestText) as Record<string, unknown>;
  } catch (err) {
    throw new LayersInputError(`${relDir}/package.json: not JSON: ${(err as Error).message}`);
  }
  if (typeof manifest.name !== 'string' || manifest.name === '') {
    throw new LayersInputError(`${relDir}/package.json: name must be a non-empty string`);
  }
  const dependencies = new Set<string>();
  for (const field of DEPENDENCY_FIELDS) {
    const deps = manifest[field];
    if (typeof deps === 'object' && deps !== null) for (const dep of Object.keys(deps)) dependencies.add(dep);
  }
  return { name: manifest.name, dir, relDir, dependencies, manifestText };
}
