import { basename } from 'node:path';
import { IGUANA_BUILDS, type IguanaBuild, isIguanaBuild } from './http/build.js';

// deviguana's command line: Iguana's (dPoW iguana/main.c iguana_main) plus a few devnet options.

/** IGUANA_NOTARYPORT / IGUANA_NOTARYPORT2 (dPoW main.c, SuperNET iguana777.h). */
export const IGUANA_NOTARYPORT = 7776;
export const IGUANA_NOTARYPORT2 = 7779;

export interface CliOptions {
  readonly mode: 'notary' | 'file' | 'port';
  /** The API port before the elected file's optional `rpcport` override. */
  readonly port: number;
  /** The port came from -port=N. */
  readonly explicitPort: boolean;
  readonly electedPath: string;
  readonly devnet: boolean;
  readonly pollMs: number;
  /** Which Iguana build's reply bytes to write (--build, else $DEVIGUANA_BUILD, else komodoplatform). */
  readonly build: IguanaBuild;
}

export class CliError extends Error {}

export const USAGE = `deviguana — development stand-in for Iguana's dPoW notary (not the real Iguana)

Usage:
  deviguana notary              API on 127.0.0.1:7776, elected notaries from ./elected
  deviguana <electedfile>       API on 127.0.0.1:7779, elected notaries from <electedfile>
  deviguana -port=N             API on 127.0.0.1:N, elected notaries from ./elected
deviguana's own options:
  --elected PATH   read the elected-notaries file from PATH (any mode)
  --devnet         lower DPOW_MINSIGS' floor from 4 to 1 so a devnet of 1-3 notaries can
                   notarise KMD->LTC (BTCminsigs from the elected file), and count notarisations
                   with fewer than 11 signatures in dpow/notarizations
  --pollms N       milliseconds between looks at each source chain's tip (default 1000)
  --build B        answer as that Iguana build: komodoplatform (KomodoPlatform/dPoW, the default:
                   "Content-Length : %8d") or kmdclassic (kmdclassic/dPoW: "Content-Length: %8d", and
                   a lower-case content-length accepted); also $DEVIGUANA_BUILD
  --help           this text
Started as \`deviguana iguana notary\` (the image's \`iguana\` entry point), the program name is skipped.`;

function port(text: string, what: string): number {
  if (!/^\d+$/.test(text)) throw new CliError(`${what}: "${text}" is not a port number`);
  const n = Number(text);
  if (n < 1 || n > 65535) throw new CliError(`${what}: ${n} is not a port (1-65535)`);
  return n;
}

function buildOf(text: string, what: string): IguanaBuild {
  if (!isIguanaBuild(text))
    throw new CliError(`${what}: "${text}" is not one of ${IGUANA_BUILDS.join(', ')}`);
  return text;
}

export function parseCli(
  argvIn: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
): CliOptions | 'help' {
  // `iguana notary` as the unit's command line, run through the bundle: the program's own name first.
  const argv = argvIn[0] !== undefined && basename(argvIn[0]) === 'iguana' ? argvIn.slice(1) : argvIn;
  let positional: string | undefined;
  let build: IguanaBuild =
    env.DEVIGUANA_BUILD === undefined || env.DEVIGUANA_BUILD === ''
      ? 'komodoplatform'
      : buildOf(env.DEVIGUANA_BUILD, 'DEVIGUANA_BUILD');
  let explicitPort: number | undefined;
  let elected: string | undefined;
  let devnet = false;
  let pollMs = 1000;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const next = (name: string): string => {
      const eq = a.indexOf('=');
      if (eq >= 0) return a.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined || v.startsWith('-')) throw new CliError(`${name} needs a value`);
      return v;
    };
    if (a === '--help' || a === '-h' || a === '-help' || a === '-?') return 'help';
    else if (a.startsWith('-port=')) explicitPort = port(a.slice(6), '-port');
    else if (a === '--elected' || a.startsWith('--elected=')) {
      elected = next('--elected');
      if (elected.length === 0) throw new CliError('--elected needs a path');
    } else if (a === '--build' || a.startsWith('--build=')) build = buildOf(next('--build'), '--build');
    else if (a === '--devnet') devnet = true;
    else if (a === '--pollms' || a.startsWith('--pollms=')) {
      const v = next('--pollms');
      if (!/^\d+$/.test(v) || Number(v) < 50 || Number(v) > 600_000)
        throw new CliError(`--pollms: "${v}" must be a number of milliseconds between 50 and 600000`);
      pollMs = Number(v);
    } else if (a.startsWith('-')) throw new CliError(`unknown option ${a}`);
    else if (positional !== undefined) throw new CliError(`one mode only: got "${positional}" and "${a}"`);
    else positional = a;
  }
  if (positional === undefined && explicitPort === undefined) {
    throw new CliError('deviguana runs as a notary: give `notary`, an elected file, or -port=N');
  }
  const mode: CliOptions['mode'] =
    positional === undefined ? 'port' : positional.startsWith('notary') ? 'notary' : 'file';
  const electedPath = elected ?? (mode === 'file' ? (positional as string) : 'elected');
  const base = mode === 'file' ? IGUANA_NOTARYPORT2 : IGUANA_NOTARYPORT;
  return {
    mode,
    port: explicitPort ?? base,
    explicitPort: explicitPort !== undefined,
    electedPath,
    devnet,
    pollMs,
    build,
  };
}
