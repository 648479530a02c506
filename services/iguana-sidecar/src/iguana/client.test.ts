import { request } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeIguana, iguanaReplyBytes } from '../testing/fake-iguana.js';
import { freePort } from '../testing/harness.js';
import { IguanaClient, IguanaUnreachable } from './client.js';
import { parseIguanaHttpReply } from './http-reply.js';

let fake: FakeIguana | undefined;
afterEach(async () => {
  await fake?.stop();
  fake = undefined;
});

describe("Iguana's reply bytes", () => {
  it('are what iguana_rpcloop writes: space before the colon, right-aligned length, an uncounted newline', () => {
    const text = iguanaReplyBytes('{"result":"coin added"}').toString('latin1');
    expect(text).toContain('\r\nCache-Control :  no-cache, no-store, must-revalidate\r\n');
    expect(text).toContain('\r\nContent-Length :       23\r\n\r\n{"result":"coin added"}\n');
    expect(text).not.toMatch(/content-type/i);
  });

  it("are rejected by Node's strict HTTP parser (why the client reads the socket itself)", async () => {
    fake = await FakeIguana.start();
    const port = fake.port;
    const outcome = await new Promise<string>((resolve) => {
      const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/' }, (res) => {
        res.resume();
        resolve(`status ${res.statusCode}`);
      });
      req.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
      req.end('{"agent":"SuperNET","method":"help"}');
    });
    expect(outcome).toMatch(/^HPE_/);
  });

  it('are parsed leniently: the length cuts the extra newline, header names are trimmed', () => {
    const r = parseIguanaHttpReply(iguanaReplyBytes('{"result":"success"}'));
    expect(r.status).toBe(200);
    expect(r.headers.get('content-length')).toBe('20');
    expect(r.headers.get('cache-control')).toBe('no-cache, no-store, must-revalidate');
    expect(r.body).toBe('{"result":"success"}');
  });

  it('parse a reply without any header (the GET path) as the bare JSON', () => {
    expect(parseIguanaHttpReply(Buffer.from('{"error":"no method"}\n')).body).toBe('{"error":"no method"}\n');
  });

  it('of the kmdclassic build (kmdclassic/dPoW c2f1230, no space before the colons) parse the same', () => {
    const json = '{"result":"coin added","tag":"7"}';
    const raw = Buffer.from(
      'HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Allow-Credentials: true\r\n' +
        'Access-Control-Allow-Methods: GET, POST\r\nCache-Control: no-cache, no-store, must-revalidate\r\n' +
        `Content-Length: ${String(json.length).padStart(8, ' ')}\r\n\r\n${json}\n`,
      'latin1',
    );
    const r = parseIguanaHttpReply(raw);
    expect(r.headers.get('content-length')).toBe(String(json.length));
    expect(r.headers.get('cache-control')).toBe('no-cache, no-store, must-revalidate');
    expect(r.body).toBe(json);
  });

  it('refuse a truncated body', () => {
    const full = iguanaReplyBytes('{"result":"coin added"}');
    expect(() => parseIguanaHttpReply(full.subarray(0, full.length - 6))).toThrow(/of 23 bytes/);
  });
});

describe('IguanaClient', () => {
  it('talks to the fake Iguana: replies carry a decimal-string tag', async () => {
    fake = await FakeIguana.start();
    const client = new IguanaClient(fake.port, 2_000);
    const reply = await client.call({ agent: 'iguana', method: 'addcoin', newcoin: 'KMD' }, 'addcoin KMD');
    expect(reply.result).toBe('coin added');
    expect(reply.tag).toMatch(/^\d+$/);
    expect(
      (await client.call({ agent: 'iguana', method: 'addcoin', newcoin: 'KMD' }, 'addcoin KMD')).result,
    ).toBe('coin already there');
  });

  it('reads a kmdclassic-build reply from a server that keeps the socket open after it', async () => {
    const json = '{"result":"success","tag":"9"}';
    const sockets: Socket[] = [];
    const server: Server = createServer((socket) => {
      sockets.push(socket);
      socket.once('data', () =>
        socket.write(
          'HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Allow-Credentials: true\r\n' +
            'Access-Control-Allow-Methods: GET, POST\r\nCache-Control: no-cache, no-store, must-revalidate\r\n' +
            `Content-Length: ${String(json.length).padStart(8, ' ')}\r\n\r\n${json}\n`,
        ),
      );
    });
    const port = await freePort();
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
    try {
      const reply = await new IguanaClient(port, 2_000).call({ agent: 'iguana', method: 'dpow' }, 'dpow KMD');
      expect(reply).toEqual({ result: 'success', tag: '9' });
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    }
  });

  it('reports a closed port as IguanaUnreachable, naming the call and not the body', async () => {
    const client = new IguanaClient(await freePort(), 2_000);
    const err = await client
      .call({ method: 'walletpassphrase', params: ['secret-words-here', 9999999] }, 'walletpassphrase')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IguanaUnreachable);
    expect(String((err as Error).message)).toMatch(/^iguana walletpassphrase: ECONNREFUSED/);
    expect(String((err as Error).message)).not.toContain('secret-words-here');
  });
});
