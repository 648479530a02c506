// Iguana's API listener (dPoW iguana_rpc.c iguana_rpcloop): TCP on 127.0.0.1 only, one request per
// connection, the reply written and the socket closed. Plain `net` so the bytes are exactly Iguana's.
import { createServer, type Server, type Socket } from 'node:net';
import type { Logger } from 'pino';
import type { IguanaBuild } from './build.js';
import { framedReply, unframedReply } from './reply.js';
import { type HttpRequest, isLocalPeer, isRemoteOrigin, readHttpRequest, toIguanaInput } from './request.js';

export type JsonHandler = (value: unknown, ctx: { remote: boolean }) => Promise<string>;

const READ_TIMEOUT_MS = 30_000;

/** The reply bytes for one parsed request (exported for unit tests). */
export async function answer(
  req: HttpRequest,
  remoteAddress: string | undefined,
  handle: JsonHandler,
  build: IguanaBuild = 'komodoplatform',
): Promise<Buffer> {
  if (isRemoteOrigin(req.headers))
    return framedReply(JSON.stringify({ error: 'remote origin not enabled' }), build);
  const input = toIguanaInput(req);
  const ctx = { remote: !isLocalPeer(remoteAddress) };
  const json = input.kind === 'json' ? await handle(input.value, ctx) : await handle(undefined, ctx);
  return input.framed ? framedReply(json, build) : unframedReply(json);
}

export function startApiServer(
  port: number,
  handle: JsonHandler,
  log: Logger,
  host = '127.0.0.1',
  build: IguanaBuild = 'komodoplatform',
): Promise<Server> {
  const server = createServer((socket: Socket) => {
    let buf = Buffer.alloc(0);
    let done = false;
    socket.setTimeout(READ_TIMEOUT_MS, () => socket.destroy());
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      if (done) return;
      buf = Buffer.concat([buf, chunk]);
      const r = readHttpRequest(buf, build);
      if (r.kind === 'incomplete') return;
      done = true;
      if (r.kind === 'bad') {
        socket.destroy();
        return;
      }
      answer(r.request, socket.remoteAddress, handle, build)
        .then((bytes) => socket.end(bytes))
        .catch((err: unknown) => {
          log.warn({ problem: (err as Error).message }, 'API request failed');
          socket.destroy();
        });
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      log.info(`>>>>>>>>>> iguana_rpcloop ${host}:${port} bind sock iguana API enabled <<<<<<<<<`);
      resolve(server);
    });
  });
}
