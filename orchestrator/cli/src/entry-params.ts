import { CliError, EXIT } from './io.js';

// `nnctl chain add NAME --param k=v ...` builds one assetchains.json entry the way dPoW writes them:
// every value a string (numbers too), `addnode` a list that each --param addnode=... adds to. Keys are not
// checked here: the API refuses an unknown key naming it, so the CLI cannot drift from the server.

const KEY = /^[a-z][a-z0-9_]{0,63}$/;

export function entryFromParams(
  name: string | undefined,
  params: readonly string[],
): Record<string, unknown> {
  const entry: Record<string, string | string[]> = {};
  const addnode: string[] = [];
  for (const param of params) {
    const eq = param.indexOf('=');
    if (eq <= 0) throw new CliError(`--param ${param}: expected key=value`, EXIT.usage);
    const key = param.slice(0, eq);
    const value = param.slice(eq + 1);
    if (!KEY.test(key)) throw new CliError(`--param ${key}: not an assetchains.json key`, EXIT.usage);
    if (key === 'addnode') {
      addnode.push(value);
      continue;
    }
    if (key in entry) throw new CliError(`--param ${key}: given twice`, EXIT.usage);
    entry[key] = value;
  }
  if (name !== undefined) {
    if (entry.ac_name !== undefined && entry.ac_name !== name)
      throw new CliError(
        `--param ac_name=${String(entry.ac_name)} disagrees with the name ${name}`,
        EXIT.usage,
      );
    entry.ac_name = name;
  }
  if (entry.ac_name === undefined)
    throw new CliError('give the chain name (nnctl chain add NAME ...)', EXIT.usage);
  if (addnode.length > 0) entry.addnode = addnode;
  // ac_name first, as in dPoW's file.
  const { ac_name, ...rest } = entry;
  return { ac_name, ...rest };
}
