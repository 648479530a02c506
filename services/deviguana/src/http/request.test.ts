import { describe, expect, it } from 'vitest';
import { isLocalPeer, isRemoteOrigin, readHttpRequest, toIguanaInput } from './request.js';

const post = (body: string, extra = '') =>
  Buffer.from(
    `POST / HTTP/1.1\r\nHost: 127.0.0.1:7776\r\n${extra}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );

function parse(buf: Buffer) {
  const r = readHttpRequest(buf);
  if (r.kind !== 'request') throw new Error(`not a request: ${r.kind}`);
  return r.request;
}

describe('readHttpRequest', () => {
  it('waits for the headers and the whole body', () => {
    const full = post('{"agent":"SuperNET","method":"help"}');
    expect(readHttpRequest(full.subarray(0, 20)).kind).toBe('incomplete');
    expect(readHttpRequest(full.subarray(0, full.length - 3)).kind).toBe('incomplete');
    const req = parse(full);
    expect(req.method).toBe('POST');
    expect(req.body).toBe('{"agent":"SuperNET","method":"help"}');
    expect(req.headers.get('host')).toBe('127.0.0.1:7776');
  });

  it('finds the length as iguana_getcontentlen does: exact `Content-Length: `; kmdclassic also `content-length: `', () => {
    const body = '{"agent":"SuperNET","method":"help"}';
    const lower = Buffer.from(`POST / HTTP/1.1\r\ncontent-length: ${body.length}\r\n\r\n${body}`);
    // KomodoPlatform's build sees no length in a lower-case header: it reads no body.
    expect(parse(lower).body).toBe('');
    const r = readHttpRequest(lower, 'kmdclassic');
    expect(r.kind === 'request' ? r.request.body : r.kind).toBe(body);
    const upper = Buffer.from(`POST / HTTP/1.1\r\nCONTENT-LENGTH: ${body.length}\r\n\r\n${body}`);
    const u = readHttpRequest(upper, 'kmdclassic');
    expect(u.kind === 'request' ? u.request.body : u.kind).toBe('');
    expect(parse(post(body)).body).toBe(body);
    const k = readHttpRequest(post(body), 'kmdclassic');
    expect(k.kind === 'request' ? k.request.body : k.kind).toBe(body);
  });

  it('refuses a broken request line and a negative length', () => {
    expect(readHttpRequest(Buffer.from('garbage\r\n\r\n')).kind).toBe('bad');
    expect(readHttpRequest(Buffer.from('POST / HTTP/1.1\r\nContent-Length: -5\r\n\r\n')).kind).toBe('bad');
  });
});

describe('toIguanaInput', () => {
  it('POST: an object or an array body', () => {
    expect(toIguanaInput(parse(post('{"method":"x"}')))).toEqual({
      kind: 'json',
      value: { method: 'x' },
      framed: true,
    });
    expect(toIguanaInput(parse(post('[{"a":1},{"b":2}]')))).toEqual({
      kind: 'json',
      value: [{ a: 1 }, { b: 2 }],
      framed: true,
    });
    expect(toIguanaInput(parse(post('not json')))).toEqual({ kind: 'unparsable', framed: true });
  });

  it('GET /api/<agent>/<method>?k=v: string fields, + as space, coin upper-cased, /key/value pairs', () => {
    const req = parse(
      Buffer.from('GET /api/iguana/addcoin/coin/kmd?newcoin=KMD&path=home/a+b&startpend=64 HTTP/1.1\r\n\r\n'),
    );
    expect(toIguanaInput(req)).toEqual({
      kind: 'json',
      framed: true,
      value: {
        agent: 'iguana',
        method: 'addcoin',
        coin: 'KMD',
        newcoin: 'KMD',
        path: 'home/a b',
        startpend: '64',
      },
    });
  });

  it('a GET outside /api is answered without HTTP framing', () => {
    expect(toIguanaInput(parse(Buffer.from('GET /favicon.ico HTTP/1.1\r\n\r\n')))).toEqual({
      kind: 'unparsable',
      framed: false,
    });
  });
});

describe('remote callers', () => {
  it('refuses Origin/Referer pages other than Iguana’s local list', () => {
    const h = (o: Record<string, string>) => new Map(Object.entries(o));
    expect(isRemoteOrigin(h({}))).toBe(false);
    expect(isRemoteOrigin(h({ origin: 'http://127.0.0.1:3000' }))).toBe(false);
    expect(isRemoteOrigin(h({ origin: 'http://localhost:8080' }))).toBe(false);
    expect(isRemoteOrigin(h({ origin: 'null' }))).toBe(false);
    expect(isRemoteOrigin(h({ origin: 'chrome-extension://abc' }))).toBe(false);
    expect(isRemoteOrigin(h({ origin: 'https://evil.example' }))).toBe(true);
    expect(isRemoteOrigin(h({ referer: 'http://10.0.0.1/page' }))).toBe(true);
  });

  it('127.0.0.* peers are local, others remote', () => {
    expect(isLocalPeer('127.0.0.1')).toBe(true);
    expect(isLocalPeer('::ffff:127.0.0.5')).toBe(true);
    expect(isLocalPeer('10.0.0.2')).toBe(false);
    expect(isLocalPeer('::1')).toBe(false);
    expect(isLocalPeer(undefined)).toBe(false);
  });
});
