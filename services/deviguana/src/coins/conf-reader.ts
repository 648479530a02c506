import { readFileSync } from 'node:fs';

export interface ConfCredentials {
  readonly rpcuser: string | undefined;
  readonly rpcpassword: string | undefined;
  readonly rpcport: number | undefined;
}

/**
 * Iguana's extract_userpass (SuperNET iguana/iguana_chains.c): line by line, lines starting with '#'
 * skipped, the first of rpcuser / rpcpassword / rpcport found in a line (in that order) takes the value
 * after its '='. Later lines override earlier ones, as Iguana's loop keeps overwriting.
 */
export function extractUserpass(text: string): ConfCredentials {
  let rpcuser: string | undefined;
  let rpcpassword: string | undefined;
  let rpcport: number | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line.startsWith('#')) continue;
    const value = (key: string): string | undefined => {
      const at = line.indexOf(key);
      if (at < 0) return undefined;
      const eq = line.indexOf('=', at + key.length);
      return eq < 0 ? undefined : line.slice(eq + 1).trim();
    };
    const user = value('rpcuser');
    if (user !== undefined) {
      rpcuser = user;
      continue;
    }
    const pass = value('rpcpassword');
    if (pass !== undefined) {
      rpcpassword = pass;
      continue;
    }
    const port = value('rpcport');
    if (port !== undefined) {
      const n = Number.parseInt(port, 10);
      if (Number.isInteger(n) && n > 0 && n < 65536) rpcport = n;
    }
  }
  return { rpcuser, rpcpassword, rpcport };
}

/** `"/" + path + "/" + conf`, as Iguana joins the addcoin fields in notary mode (userhome empty). */
export function confFilePathFor(path: string, conf: string): string {
  return `/${path}/${conf}`;
}

/** Reads the conf; undefined when it cannot be opened (Iguana logs `extract_userpass cant open`). */
export function readConfCredentials(file: string): ConfCredentials | undefined {
  try {
    return extractUserpass(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}
