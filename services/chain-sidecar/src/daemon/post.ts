import { Agent, request } from 'node:http';

/** An HTTP reply as it came: status, content type and the body bytes. */
export interface PostReply {
  readonly status: number;
  readonly contentType: string | undefined;
  readonly body: Buffer;
}

/** Keep-alive sockets for one peer (the daemon, an upstream sidecar). */
export function keepAliveAgent(maxSockets: number): Agent {
  return new Agent({ keepAlive: true, maxSockets });
}

/**
 * POSTs `body` over node:http and collects the reply. node:http parses with Node's built-in llhttp; an
 * HTTP client library (undici) compiles its own llhttp to WebAssembly in every process, ~11 MiB
 * resident per sidecar (issue 14). Network errors and time-outs (`ETIMEDOUT`: no byte for
 * `timeoutMs`) reject with an error carrying the socket's `code`.
 */
export function post(
  url: URL,
  headers: Record<string, string>,
  body: Buffer | string,
  agent: Agent,
  timeoutMs: number,
): Promise<PostReply> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        timeout: timeoutMs,
        headers: { ...headers, 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: res.headers['content-type'],
            body: Buffer.concat(chunks),
          }),
        );
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end(body);
  });
}
