import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

// Test support: small workspaces on disk for the checker's tests.

export interface FixturePackage {
  readonly name: string;
  readonly dependencies?: readonly string[];
  /** Path inside the package → file text. */
  readonly files?: Readonly<Record<string, string>>;
}

export interface FixtureWorkspace {
  readonly root: string;
  /** Writes (or overwrites) a file, path relative to the workspace root. */
  write(path: string, text: string): void;
  writePackage(dir: string, pkg: FixturePackage): void;
  writeLayers(config: unknown): void;
  remove(): void;
}

/** A workspace of `packages:` globs `globs`, with no package yet. */
export function createFixtureWorkspace(globs: readonly string[]): FixtureWorkspace {
  const root = mkdtempSync(join(tmpdir(), 'nn-layers-'));
  const write = (path: string, text: string): void => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  write('pnpm-workspace.yaml', `packages:\n${globs.map((g) => `  - "${g}"`).join('\n')}\n`);
  return {
    root,
    write,
    writePackage(dir, pkg) {
      const dependencies = Object.fromEntries((pkg.dependencies ?? []).map((d) => [d, 'workspace:*']));
      write(`${dir}/package.json`, `${JSON.stringify({ name: pkg.name, dependencies }, null, 2)}\n`);
      for (const [path, text] of Object.entries(pkg.files ?? {})) write(`${dir}/${path}`, text);
    },
    writeLayers(config) {
      write('layers.json', `${JSON.stringify(config, null, 2)}\n`);
    },
    remove() {
      rmSync(root, { recursive: true, force: true });
    },
  };
}
