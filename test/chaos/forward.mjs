// A TCP forwarder run inside an engine's network namespace (`ip netns exec NS node forward.mjs ...`):
// listens on the namespace's own address and passes each connection to 127.0.0.1:<port> there, so the
// test (in the host's namespace) reaches a node's API that listens on the namespace's loopback only.
//   node forward.mjs LISTEN_HOST PORT
import { createConnection, createServer } from 'node:net';

const [host, portText] = process.argv.slice(2);
const port = Number(portText);
if (!host || !Number.isInteger(port)) {
  process.stderr.write('usage: forward.mjs LISTEN_HOST PORT\n');
  process.exit(2);
}
const server = createServer((inbound) => {
  const outbound = createConnection({ host: '127.0.0.1', port });
  inbound.pipe(outbound).pipe(inbound);
  const end = () => {
    inbound.destroy();
    outbound.destroy();
  };
  inbound.on('error', end);
  outbound.on('error', end);
  inbound.on('close', end);
  outbound.on('close', end);
});
server.listen(port, host, () => process.stdout.write(`forwarding ${host}:${port}\n`));
