/** The parts of a `POST /v1/rpc` request head the fast lane acts on. */
export interface RequestHead {
  readonly authorization: string | undefined;
  readonly contentLength: number;
  /** The client asked to close after this reply (`Connection: close`). */
  readonly close: boolean;
}

/** node:http's default --max-http-header-size: a longer head is node:http's to refuse (431). */
export const MAX_HEAD_BYTES = 16 * 1024;

// The whole head in one match: the request line, then lines of a token name, a colon and a value
// without control characters other than tab (llhttp refuses those, so node:http answers such heads);
// a folded line (leading space or tab) or a line without a colon does not match.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what it refuses
const PLAIN_HEAD = /^POST [^ ]+ HTTP\/1\.1(?:\r\n[!#$%&'*+.^_`|~0-9A-Za-z-]+:[^\x00-\x08\x0a-\x1f\x7f]*)*$/;

/**
 * Reads a request head (the text before the empty line) when it is the plain case the fast lane
 * takes: `POST <path>[?query] HTTP/1.1`, a Host, at most one Content-Length of digits and one
 * Authorization, no Transfer-Encoding, Expect or Upgrade, no folded or malformed line. Anything else
 * is undefined and goes to node:http unchanged, so every unusual or hostile head meets node:http's
 * own parser and answers, never a second interpretation of it.
 */
export function parseRequestHead(text: string, path: string): RequestHead | undefined {
  if (!PLAIN_HEAD.test(text)) return undefined;
  const firstEnd = text.indexOf('\r\n');
  const target = text.slice(5, (firstEnd < 0 ? text.length : firstEnd) - 9);
  if (target !== path && !target.startsWith(`${path}?`)) return undefined;
  let authorization: string | undefined;
  let length: number | undefined;
  let close = false;
  let host = false;
  // Line by line with indexOf: no array of lines, and only the names that matter are sliced.
  for (let start = firstEnd + 2; firstEnd >= 0 && start < text.length + 2; ) {
    const found = text.indexOf('\r\n', start);
    const end = found < 0 ? text.length : found;
    const colon = text.indexOf(':', start) - start;
    const lineStart = start;
    start = end + 2;
    // Only names of the lengths below matter: the others are not lower-cased or read at all.
    if (
      colon !== 4 &&
      colon !== 6 &&
      colon !== 7 &&
      colon !== 10 &&
      colon !== 13 &&
      colon !== 14 &&
      colon !== 17
    )
      continue;
    const line = text.slice(lineStart, end);
    const value = line.slice(colon + 1).trim();
    switch (line.slice(0, colon).toLowerCase()) {
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
        close = close || /(?:^|,)\s*close\s*(?:,|$)/i.test(value);
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
