import { acNameProblem, assetchainEntrySchema } from '@nn/komodo-params';
import { z } from 'zod';

// The orchestrator accepts the assetchains.json entries komodo-params accepts, with one more rule: the data
// dir must be the `${HOME}/.komodo/<folder>` form dPoW writes. komodod itself takes any path, but the
// orchestrator maps the data dir onto a volume it owns, and a free path (`${HOME}/../../etc`, `/`) could
// make two chains share a dir or point the daemon at the host.

const HOME_VAR = ['$', '{HOME}'].join('');
const DATADIR_PREFIX = `${HOME_VAR}/.komodo/`;

/** Why `datadir` is refused, or undefined. */
export function datadirProblem(datadir: string): string | undefined {
  if (!datadir.startsWith(DATADIR_PREFIX))
    return `must be ${DATADIR_PREFIX}<folder> (the form dPoW's assetchains.json uses)`;
  const folder = datadir.slice(DATADIR_PREFIX.length).replace(/\/$/, '');
  const problem = acNameProblem(folder);
  if (problem === "can't have assetchain named KMD")
    return 'folder must not be KMD (Iguana would take the chain for KMD)';
  return problem === undefined ? undefined : `folder ${problem}`;
}

/** One assetchains.json entry as the orchestrator accepts it. */
export const chainEntrySchema = assetchainEntrySchema.superRefine((entry, ctx) => {
  if (entry.datadir === undefined) return;
  const problem = datadirProblem(entry.datadir);
  if (problem) ctx.addIssue({ code: 'custom', path: ['datadir'], message: problem });
});
export type ChainEntry = z.infer<typeof chainEntrySchema>;

/** A whole assetchains.json file. */
export const chainEntriesSchema = z
  .array(chainEntrySchema, { error: 'must be a JSON array of assetchains.json entries' })
  .max(1000, { error: 'at most 1000 entries' });
