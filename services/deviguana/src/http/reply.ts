// Iguana's reply bytes (dPoW iguana/iguana_rpc.c iguana_rpcloop): status 200 whatever the content, the
// headers below verbatim (note the space before the colon of Cache-Control and Content-Length, which
// strict parsers reject), a Content-Length that counts the JSON only, then one uncounted "\n".

export function framedReply(json: string): Buffer {
  const body = Buffer.from(json, 'utf8');
  const head =
    'HTTP/1.1 200 OK\r\n' +
    'Access-Control-Allow-Origin: *\r\n' +
    'Access-Control-Allow-Credentials: true\r\n' +
    'Access-Control-Allow-Methods: GET, POST\r\n' +
    'Cache-Control :  no-cache, no-store, must-revalidate\r\n' +
    `Content-Length : ${String(body.length).padStart(8, ' ')}\r\n` +
    '\r\n';
  return Buffer.concat([Buffer.from(head, 'latin1'), body, Buffer.from('\n')]);
}

/** A GET without /api: Iguana writes the JSON with no HTTP header at all. */
export function unframedReply(json: string): Buffer {
  return Buffer.from(json, 'utf8');
}
