import { createServer } from 'node:net';

/** Ports already handed out in this process: the kernel may give a just-closed port again. */
const handedOut = new Set<number>();

function probePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** A free TCP port on 127.0.0.1, never one handed out before in this process. */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await probePort();
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
}

/** A fresh free TCP port for each name, e.g. `const { p2p, rpc } = await freePorts('p2p', 'rpc')`. */
export async function freePorts<K extends string>(...names: K[]): Promise<Record<K, number>> {
  const out = {} as Record<K, number>;
  for (const name of names) out[name] = await freePort();
  return out;
}
