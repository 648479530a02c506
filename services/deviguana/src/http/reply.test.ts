import { describe, expect, it } from 'vitest';
import { framedReply, unframedReply } from './reply.js';

describe('framedReply: Iguana iguana_rpcloop bytes', () => {
  it('writes status 200, the headers with a space before the colon, a %8d length and an uncounted newline', () => {
    const json = '{"result":"success","tag":"4936795073768664824"}';
    expect(framedReply(json).toString('latin1')).toBe(
      'HTTP/1.1 200 OK\r\n' +
        'Access-Control-Allow-Origin: *\r\n' +
        'Access-Control-Allow-Credentials: true\r\n' +
        'Access-Control-Allow-Methods: GET, POST\r\n' +
        'Cache-Control :  no-cache, no-store, must-revalidate\r\n' +
        `Content-Length :       ${json.length}\r\n` +
        '\r\n' +
        `${json}\n`,
    );
  });

  it('counts bytes, not characters, and pads the length to 8 columns', () => {
    const json = '{"error":"é"}';
    const text = framedReply(json).toString('utf8');
    expect(text).toContain(`Content-Length : ${String(Buffer.byteLength(json)).padStart(8, ' ')}\r\n`);
    expect(text).not.toContain('Content-Type');
    expect(text.endsWith(`${json}\n`)).toBe(true);
  });

  it('the kmdclassic build (kmdclassic/dPoW c2f1230): no space before the colons, one after Cache-Control', () => {
    const json = '{"result":"coin added","tag":"1"}';
    expect(framedReply(json, 'kmdclassic').toString('latin1')).toBe(
      'HTTP/1.1 200 OK\r\n' +
        'Access-Control-Allow-Origin: *\r\n' +
        'Access-Control-Allow-Credentials: true\r\n' +
        'Access-Control-Allow-Methods: GET, POST\r\n' +
        'Cache-Control: no-cache, no-store, must-revalidate\r\n' +
        `Content-Length:       ${json.length}\r\n` +
        '\r\n' +
        `${json}\n`,
    );
  });

  it('an unframed reply is the JSON only', () => {
    expect(unframedReply('{"a":1}').toString()).toBe('{"a":1}');
  });
});
