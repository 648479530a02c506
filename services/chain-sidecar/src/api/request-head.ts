/** The parts of a `POST /v1/rpc` request head the fast lane acts on. */
export interface RequestHead {
  readonly authorization: string | undefined;
  readonly contentLength: number;
  /** The client asked to close after this reply (`Connection: close`). */
  readonly close: boolean;
}

/** node:http's default --max-http-header-size: a longer head is node:http's to refuse (431). */
export const MAX_HEAD_BYTES = 16 * 1024;

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Control characters other than tab: llhttp refuses them in a value, so node:http answers those heads. */
function badValue(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f) return true;
  }
  return false;
}

/**
 * Reads a request head (the text before the empty line) when it is the plain case the fast lane
 * takes: `POST <path>[?query] HTTP/1.1`, a Host, at most one Content-Length of digits and one
 * Authorization, no Transfer-Encoding, Expect or Upgrade, no folded or malformed line. Anything else
 * is undefined and goes to node:http unchanged, so every unusual or hostile head meets node:http's
 * own parser and answers, never a second interpretation of it.
 */
export function parseRequestHead(text: string, path: string): RequestHead | undefined {
  const lines = text.split('\r\n');
  const first = lines[0] ?? '';
  if (!first.startsWith('POST ') || !first.endsWith(' HTTP/1.1')) return undefined;
  const target = first.slice(5, -9);
  if (target !== path && !(target.startsWith(`${path}?`) && !target.includes(' '))) return undefined;
  let authorization: string | undefined;
  let length: number | undefined;
  let close = false;
  let host = false;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const colon = line.indexOf(':');
    if (colon <= 0) return undefined;
    const name = line.slice(0, colon);
    if (!TOKEN.test(name)) return undefined; // also refuses a folded line (leading space or tab)
    const value = line.slice(colon + 1).trim();
    if (badValue(value)) return undefined;
    switch (name.toLowerCase()) {
      case 'content-length':
        if (length !== undefined || !/^\d{1,15}$/.test(value)) return undefined;
        length = Number(value);
        break;
      case 'authorization':
        if (authorization !== undefined) return undefined;
        authorization = value;
        break;
      case 'host':
        if (host) return undefined;
        host = true;
        break;
      case 'connection':
        close = /(?:^|,)\s*close\s*(?:,|$)/i.test(value);
        break;
      case 'transfer-encoding':
      case 'expect':
      case 'upgrade':
        return undefined;
    }
  }
  if (!host) return undefined;
  return { authorization, contentLength: length ?? 0, close };
}
