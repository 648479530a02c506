import type { MoveFileOutcome } from './types/move-file.js';

/**
 * The shell every adapter's move helper runs inside the volume mounted at `dir`, with the two paths as
 * positional arguments (never spliced into the script): it reports what it found by its exit code
 * (MOVE_OUTCOMES), and renames only when the target is absent.
 */
export function moveScript(dir: string): string {
  return [
    `cd ${dir} || exit 3`,
    'if [ -e "$2" ]; then if [ -e "$1" ]; then exit 11; fi; exit 10; fi',
    '[ -e "$1" ] || exit 12',
    'mv -n -- "$1" "$2" || exit 4',
    '[ -e "$2" ] && [ ! -e "$1" ] || exit 5',
    'sync',
  ].join('\n');
}

/** The move script's exit codes; any other code is a failure of the helper. */
export const MOVE_OUTCOMES: Readonly<Record<number, MoveFileOutcome>> = {
  0: 'moved',
  10: 'already-moved',
  11: 'target-exists',
  12: 'missing',
};
