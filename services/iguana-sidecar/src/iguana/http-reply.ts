/**
 * Reads Iguana's HTTP reply leniently. Iguana writes its headers with sprintf (dPoW iguana_rpc.c
 * iguana_rpcloop), two of them with a space before the colon (`Cache-Control :`, `Content-Length :`),
 * a Content-Length that leaves out the trailing "\n", and for some GETs no header at all. Node's
 * llhttp (http, fetch/undici) rejects the space before the colon as an invalid header token, and its
 * `insecureHTTPParser` leniencies do not promise to cover it. So the client reads the raw bytes of a
 * `Connection: close` exchange (Iguana closes after each reply anyway) and parses them here.
 */
export interface RawHttpReply {
  /** The status code, or 200 when Iguana sent the body without any header. */
  readonly status: number;
  /** Header names lower-cased and trimmed (`content-length`), values trimmed. */
  readonly headers: ReadonlyMap<string, string>;
  readonly body: string;
}

export class IguanaProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IguanaProtocolError';
  }
}

export function parseIguanaHttpReply(raw: Buffer): RawHttpReply {
  if (raw.subarray(0, 5).toString('latin1') !== 'HTTP/') {
    // No headers at all: the JSON alone (Iguana's GET-without-/api path).
    return { status: 200, headers: new Map(), body: raw.toString('utf8') };
  }
  let end = raw.indexOf('\r\n\r\n');
  let sepLength = 4;
  if (end < 0) {
    end = raw.indexOf('\n\n');
    sepLength = 2;
  }
  if (end < 0) throw new IguanaProtocolError('reply ends inside its headers');
  const lines = raw.subarray(0, end).toString('latin1').split(/\r?\n/);
  const statusLine = lines.shift() ?? '';
  const m = /^HTTP\/\d(?:\.\d)?\s+(\d{3})/.exec(statusLine);
  if (!m) throw new IguanaProtocolError(`bad status line: ${statusLine.slice(0, 60)}`);
  const headers = new Map<string, string>();
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  let body = raw.subarray(end + sepLength);
  const length = headers.get('content-length');
  if (length !== undefined && /^\d+$/.test(length)) {
    const n = Number(length);
    if (body.length < n) throw new IguanaProtocolError(`reply body has ${body.length} of ${n} bytes`);
    // Iguana appends "\n" after the counted bytes: cut at the count.
    body = body.subarray(0, n);
  }
  return { status: Number(m[1]), headers, body: body.toString('utf8') };
}
