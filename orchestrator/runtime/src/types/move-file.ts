/**
 * What `Runtime.moveFile` found and did, so a re-run after a crash can tell its own earlier move from a
 * state it must not touch:
 * - `moved`: `from` was there and `to` was not; now `from` is gone and `to` holds it;
 * - `already-moved`: `from` is absent and `to` is there (an earlier call did it);
 * - `target-exists`: both are there; nothing was changed (the caller decides, e.g. a daemon that made
 *   a fresh `from` after an earlier move);
 * - `missing`: neither is there; nothing was changed.
 */
export type MoveFileOutcome = 'moved' | 'already-moved' | 'target-exists' | 'missing';
