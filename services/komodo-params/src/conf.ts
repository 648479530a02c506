import { asciiBytes, bytesToHex, concatBytes, le } from './bytes.js';
import { crc32 } from './crc32.js';
import { ConfParseError } from './errors.js';

/**
 * Parses a komodod/bitcoind conf file the way util.cpp ReadConfigFile() reads it through boost's
 * config_file_iterator: everything after `#` is a comment, lines are trimmed (space, tab, CR, LF), blank
 * lines are skipped, `[section]` prefixes later keys with `section.`, `key=value` splits at the first `=`
 * with both sides trimmed, and a non-blank line without `=` is an error. Repeated keys keep every value in
 * file order (mapMultiArgs; komodod's GetArg uses the first one for conf values). `-nofoo` negation is not
 * applied here.
 */
export function parseConf(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let prefix = '';
  const lines = text.split('\n');
  lines.forEach((rawLine, index) => {
    const hash = rawLine.indexOf('#');
    const line = trimWs(hash < 0 ? rawLine : rawLine.slice(0, hash));
    if (line.length === 0) return;
    if (line.startsWith('[') && line.endsWith(']')) {
      const section = line.slice(1, -1);
      prefix = section.endsWith('.') ? section : `${section}.`;
      return;
    }
    const eq = line.indexOf('=');
    if (eq < 0) throw new ConfParseError(index + 1, `not a key=value line: "${line}"`);
    const key = prefix + trimWs(line.slice(0, eq));
    const value = trimWs(line.slice(eq + 1));
    const list = out.get(key);
    if (list) list.push(value);
    else out.set(key, [value]);
  });
  return out;
}

function trimWs(s: string): string {
  return s.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
}

export interface AssetchainConfValues {
  /** Full user name, e.g. `user3452345234`. */
  readonly rpcuser: string;
  /** Full password, e.g. `pass` + 66 hex characters. */
  readonly rpcpassword: string;
  readonly rpcport: number;
}

/**
 * NAME.conf exactly as komodod writes it on an assetchain's first start (komodo_configfile() in
 * src/komodo_utils.cpp): these eight lines in this order, `\n` line endings, a trailing newline.
 */
export function renderAssetchainConf(v: AssetchainConfValues): string {
  return (
    `rpcuser=${v.rpcuser}\nrpcpassword=${v.rpcpassword}\nrpcport=${v.rpcport}\n` +
    'server=1\ntxindex=1\nrpcworkqueue=256\nrpcallowip=127.0.0.1\nrpcbind=127.0.0.1\n'
  );
}

/**
 * komodod creates NAME.conf with fopen(..., "wb"): mode 0666 minus the umask, so 0644 under the usual
 * umask 022 - not 0600. Writers in this project should use 0o600 for their own conf files.
 */
export const KOMODOD_CONF_FILE_MODE = 0o644;

/**
 * The rpcuser/rpcpassword komodod generates (komodo_configfile()):
 * - rpcuser = "user" + crc32(le32(time(NULL)) || le32((uint32)milliseconds-since-epoch) || NAME), decimal.
 *   Not random: it only depends on the start time and the name.
 * - rpcpassword = "pass" + hex of 33 bytes from /dev/urandom (66 hex characters): the only random part.
 */
export function newAssetchainConfCredentials(
  name: string,
  randomBytes: (length: number) => Uint8Array,
  nowMs: number = Date.now(),
): { rpcuser: string; rpcpassword: string } {
  const seconds = BigInt(Math.floor(nowMs / 1000));
  const millis = BigInt(Math.floor(nowMs)); // stored into a uint32_t: the low 32 bits survive
  const crc = crc32(concatBytes([le(seconds, 4), le(millis, 4), asciiBytes(name)]));
  const random = randomBytes(33);
  if (random.length !== 33) throw new Error('randomBytes must return 33 bytes');
  return { rpcuser: `user${crc}`, rpcpassword: `pass${bytesToHex(random)}` };
}
