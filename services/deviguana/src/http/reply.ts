import type { IguanaBuild } from './build.js';

// Iguana's reply bytes (dPoW iguana/iguana_rpc.c iguana_rpcloop): status 200 whatever the content, the
// headers below verbatim, a Content-Length that counts the JSON only, then one uncounted "\n". The
// KomodoPlatform build puts a space before the colon of Cache-Control and Content-Length (strict
// parsers reject it); the kmdclassic build (kmdclassic/dPoW c2f1230) does not.

const COMMON =
  'HTTP/1.1 200 OK\r\n' +
  'Access-Control-Allow-Origin: *\r\n' +
  'Access-Control-Allow-Credentials: true\r\n' +
  'Access-Control-Allow-Methods: GET, POST\r\n';

export function framedReply(json: string, build: IguanaBuild = 'komodoplatform'): Buffer {
  const body = Buffer.from(json, 'utf8');
  const length = String(body.length).padStart(8, ' ');
  const head =
    build === 'kmdclassic'
      ? `${COMMON}Cache-Control: no-cache, no-store, must-revalidate\r\nContent-Length: ${length}\r\n\r\n`
      : `${COMMON}Cache-Control :  no-cache, no-store, must-revalidate\r\nContent-Length : ${length}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), body, Buffer.from('\n')]);
}

/** A GET without /api: Iguana writes the JSON with no HTTP header at all. */
export function unframedReply(json: string): Buffer {
  return Buffer.from(json, 'utf8');
}
