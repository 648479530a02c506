import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root (this package lives in test/kit). */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Path of a shared data file in test/fixtures (data, read by tests of several packages). */
export function fixturePath(name: string): string {
  return join(REPO_ROOT, 'test', 'fixtures', name);
}
