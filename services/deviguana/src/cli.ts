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
  --help           this text`;

function port(text: string, what: string): number {
  if (!/^\d+$/.test(text)) throw new CliError(`${what}: "${text}" is not a port number`);
  const n = Number(text);
  if (n < 1 || n > 65535) throw new CliError(`${what}: ${n} is not a port (1-65535)`);
  return n;
}

export function parseCli(argv: readonly string[]): CliOptions | 'help' {
  let positional: string | undefined;
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
    } else if (a === '--devnet') devnet = true;
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
  };
}
