import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const SOURCE_FILE = /\.(?:[cm]?ts|tsx)$/;
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'coverage']);

/**
 * Every TypeScript file of the package in `dir`, sources and tests alike, without those of packages nested
 * inside it (`otherPackageDirs`): a file belongs to the innermost package that holds it.
 */
export function listSourceFiles(dir: string, otherPackageDirs: ReadonlySet<string>): string[] {
  const files: string[] = [];
  const walk = (current: string): void => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name) && !entry.name.startsWith('.') && !otherPackageDirs.has(path))
          walk(path);
      } else if (entry.isFile() && SOURCE_FILE.test(entry.name)) {
        files.push(path);
      }
    }
  };
  walk(dir);
  return files.sort();
}
