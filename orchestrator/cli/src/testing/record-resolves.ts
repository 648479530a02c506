import { appendFileSync } from 'node:fs';
import { register } from 'node:module';
import { isMainThread } from 'node:worker_threads';

// A module-resolution recorder for the tests that check what nnctl loads. Given to node with
// `--import tsx --import <this file>` and NN_RESOLVE_LOG=<file>, it registers itself as a resolve hook;
// on the hooks thread every specifier that resolves is appended to the file, one per line, with its URL
// (`<specifier>\t<url>`), so a test can see every package a command pulled in.

interface ResolveResult {
  readonly url: string;
}
type NextResolve = (specifier: string, context: unknown) => Promise<ResolveResult>;

let log: string | undefined;

export function initialize(data: { log: string }): void {
  log = data.log;
}

export async function resolve(
  specifier: string,
  context: unknown,
  next: NextResolve,
): Promise<ResolveResult> {
  const result = await next(specifier, context);
  if (log !== undefined) appendFileSync(log, `${specifier}\t${result.url}\n`);
  return result;
}

const file = process.env.NN_RESOLVE_LOG;
if (isMainThread && file !== undefined) register(import.meta.url, { data: { log: file } });
