import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the server answers on `<METHOD> <path>`: a status and a body (a string is sent as it is). */
export type Replies = Record<string, { status: number; body: unknown }>;

export interface ReplyServer {
  readonly url: string;
  /** Set per test; a request for anything else gets 404. */
  replies: Replies;
  /** Every request: method, path, authorization header and body. */
  readonly requests: Array<{ method: string; path: string; auth: string | undefined; body: string }>;
  close(): Promise<void>;
}

/**
 * A loopback HTTP server that answers what a test sets, in the place of a sidecar: the clients' own
 * handling of each reply (and of replies off the contract, which a real sidecar never sends) is what
 * these tests check. The sidecars' tests check that their real replies match the contract.
 */
export async function startReplyServer(): Promise<ReplyServer> {
  const requests: ReplyServer['requests'] = [];
  let server: ReplyServer | undefined;
  const http: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      const key = `${req.method} ${req.url}`;
      requests.push({ method: req.method ?? '', path: req.url ?? '', auth: req.headers.authorization, body });
      const reply = server?.replies[key] ?? { status: 404, body: { error: `no route ${key}` } };
      res.writeHead(reply.status, { 'content-type': 'application/json' });
      res.end(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  server = {
    url: `http://127.0.0.1:${port}`,
    replies: {},
    requests,
    close: () => new Promise<void>((resolve) => http.close(() => resolve())),
  };
  return server;
}
