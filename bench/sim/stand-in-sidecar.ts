// BENCH-ONLY SIMULATION: one HTTP server standing in for every simulated unit's sidecar. The jobs'
// wait-ready step asks `<endpoint>/readyz` as it asks a real sidecar; this answers from the simulated
// runtime's record of the unit (200 once its containers "run", 503 before), never a fixed yes.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SimulatedRuntime } from './simulated-runtime.js';

export interface StandInSidecars {
  readonly base: string;
  /** /readyz requests served, for the bench's notes. */
  readonly served: { readyz: number };
  close(): Promise<void>;
}

export async function startStandInSidecars(runtime: () => SimulatedRuntime): Promise<StandInSidecars> {
  const served = { readyz: 0 };
  const server: Server = createServer((req, res) => {
    const m = /^\/u\/([^/]+)\/readyz$/.exec(req.url ?? '');
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'GET' || !m?.[1]) return send(404, { error: { message: 'not simulated' } });
    served.readyz++;
    if (runtime().isRunning(m[1])) return send(200, { ready: true, reason: null });
    send(503, { ready: false, reason: 'simulated unit not running' });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    served,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
