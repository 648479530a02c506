import type { IguanaBuild } from './build.js';

// Iguana's request reading (dPoW iguana/iguana_rpc.c iguana_rpcloop / SuperNET_rpcparse): headers, then a
// body up to Content-Length; one request per connection.

export interface HttpRequest {
  readonly method: string;
  /** The request target as sent, e.g. `/` or `/api/iguana/addcoin?newcoin=KMD`. */
  readonly target: string;
  /** Header names lower-cased; the first value wins. */
  readonly headers: ReadonlyMap<string, string>;
  readonly body: string;
}

export type ReadResult =
  | { readonly kind: 'incomplete' }
  | { readonly kind: 'bad'; readonly reason: string }
  | { readonly kind: 'request'; readonly request: HttpRequest };

/** Largest request deviguana accepts; Iguana's own buffer is 512 KiB (IGUANA_MAXPACKETSIZE-ish). */
export const MAX_REQUEST_BYTES = 512 * 1024;

/**
 * The body's length as Iguana finds it (iguana_getcontentlen): the text after the first
 * `Content-Length: ` of the head, case and spacing exact; the kmdclassic build also looks for
 * `content-length: ` (c72ec4c). Not found: no body is read.
 */
function contentLengthOf(head: string, build: IguanaBuild): string | undefined {
  const keys = build === 'kmdclassic' ? ['Content-Length: ', 'content-length: '] : ['Content-Length: '];
  for (const key of keys) {
    const at = head.indexOf(key);
    if (at >= 0) return /^\s*(-?\d*)/.exec(head.slice(at + key.length))?.[1] ?? '';
  }
  return undefined;
}

/** Tries to read one request from the bytes received so far on a connection. */
export function readHttpRequest(buf: Buffer, build: IguanaBuild = 'komodoplatform'): ReadResult {
  if (buf.length > MAX_REQUEST_BYTES) return { kind: 'bad', reason: 'request too large' };
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return { kind: 'incomplete' };
  const head = buf.subarray(0, end).toString('latin1');
  const lines = head.split('\r\n');
  const requestLine = lines[0] ?? '';
  const parts = requestLine.split(' ');
  if (parts.length < 2 || !parts[0] || !parts[1]) return { kind: 'bad', reason: 'bad request line' };
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  const lengthText = contentLengthOf(head, build);
  const length = lengthText === undefined ? 0 : Number.parseInt(lengthText, 10);
  if (!Number.isFinite(length) || length < 0) return { kind: 'bad', reason: 'bad Content-Length' };
  const bodyStart = end + 4;
  if (buf.length - bodyStart < length) return { kind: 'incomplete' };
  const body = buf.subarray(bodyStart, bodyStart + length).toString('utf8');
  return { kind: 'request', request: { method: parts[0], target: parts[1], headers, body } };
}

/** What Iguana makes of a request before dispatch. */
export type IguanaInput =
  | { readonly kind: 'json'; readonly value: unknown; readonly framed: boolean }
  | { readonly kind: 'unparsable'; readonly framed: boolean };

function decodeQueryComponent(s: string): string {
  const spaced = s.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

/**
 * POST: the body is the JSON (object or array). GET /api/<agent>/<method>?k=v: agent and method from
 * the path, query pairs (and further /key/value path pairs) as string fields, `coin` upper-cased.
 * Any other GET gets its JSON reply without HTTP framing (jsonflag = postflag = 0 in Iguana).
 */
export function toIguanaInput(req: HttpRequest): IguanaInput {
  if (req.method === 'POST') {
    try {
      return { kind: 'json', value: JSON.parse(req.body) as unknown, framed: true };
    } catch {
      return { kind: 'unparsable', framed: true };
    }
  }
  const [path = '', query] = splitOnce(req.target, '?');
  const segments = path.split('/').filter((s) => s.length > 0);
  if (segments[0] !== 'api') return { kind: 'unparsable', framed: false };
  const out: Record<string, string> = {};
  if (segments[1] !== undefined) out.agent = decodeQueryComponent(segments[1]);
  if (segments[2] !== undefined) out.method = decodeQueryComponent(segments[2]);
  for (let i = 3; i + 1 < segments.length; i += 2) {
    addField(
      out,
      decodeQueryComponent(segments[i] as string),
      decodeQueryComponent(segments[i + 1] as string),
    );
  }
  if (query !== undefined) {
    for (const pair of query.split('&')) {
      if (pair.length === 0) continue;
      const [k = '', v = ''] = splitOnce(pair, '=');
      addField(out, decodeQueryComponent(k), decodeQueryComponent(v));
    }
  }
  return { kind: 'json', value: out, framed: true };
}

function addField(out: Record<string, string>, key: string, value: string): void {
  if (key.length === 0) return;
  out[key] = key === 'coin' ? value.toUpperCase() : value;
}

function splitOnce(s: string, sep: string): [string, string | undefined] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, undefined] : [s.slice(0, i), s.slice(i + sep.length)];
}

/** Origins Iguana accepts without `remoteorigin` (SuperNET_rpcparse). */
const LOCAL_ORIGIN_PREFIXES = [
  'http://127.0.0.',
  'http://localhost:',
  'null',
  'agama://',
  'file://127.0.0.',
  'chrome-extension://',
  'http://easydex.supernet.org',
];

/** True when an Origin or Referer header names a page Iguana refuses ("remote origin not enabled"). */
export function isRemoteOrigin(headers: ReadonlyMap<string, string>): boolean {
  for (const name of ['origin', 'referer']) {
    const v = headers.get(name);
    if (v !== undefined && !LOCAL_ORIGIN_PREFIXES.some((p) => v.startsWith(p))) return true;
  }
  return false;
}

/** Iguana treats 127.0.0.* peers as local (remoteaddr = 0); everything else is "remote". */
export function isLocalPeer(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4.startsWith('127.0.0.');
}
