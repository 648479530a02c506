// The floor for any HTTP gateway on this machine: a forwarder with no checks at all (node:http in,
// an undici keep-alive pool out), run by bench/sidecar-rpc.ts as its own process next to the sidecar.
// Usage: floor-proxy.ts <listen port> <daemon origin> <Authorization header for the daemon>
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// undici as the sidecar has it (bench/ has no node_modules of its own).
const sidecarPackage = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'services',
  'chain-sidecar',
  'package.json',
);
const { Pool } = createRequire(sidecarPackage)('undici') as typeof import('undici');

const [port, origin, authorization] = process.argv.slice(2);
if (!port || !origin || !authorization) throw new Error('usage: floor-proxy.ts PORT ORIGIN AUTHORIZATION');
const pool = new Pool(origin, { connections: 64 });
createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    pool
      .request({
        path: '/',
        method: 'POST',
        headers: { authorization, 'content-type': 'application/json' },
        body: Buffer.concat(chunks),
      })
      .then(async (r) => {
        const body = Buffer.from(await r.body.arrayBuffer());
        res
          .writeHead(r.statusCode, { 'content-type': 'application/json', 'content-length': body.length })
          .end(body);
      })
      .catch(() => res.writeHead(502).end());
  });
}).listen(Number(port), '127.0.0.1', () => process.stdout.write('listening\n'));
