/**
 * The node units' desired state as `nnctl up` records it (the fields parseNodeUnitsDesired checks, with
 * the devnet's images; no secret: a dir path that does not exist), for the node-level route and CLI tests.
 */
export function recordedNodeUnits() {
  const daemon = (role: string) => ({ role, args: [] });
  return {
    version: 1,
    secretsDir: '/nonexistent/secrets',
    layout: {
      prefix: 'nn-',
      node: 'local',
      network: 'devnet',
      ports: { ltc: 7801, kmd: 7802, iguana: 7803 },
      images: {
        ltcDaemon: 'nn/devchain:0.1.0',
        kmdDaemon: 'nn/devchain:0.1.0',
        iguanaDaemon: 'nn/deviguana:0.1.0',
        chainSidecar: 'nn/chain-sidecar:0.1.0',
        iguanaSidecar: 'nn/iguana-sidecar:0.1.0',
      },
      daemons: { destination: daemon('destination'), main: daemon('main'), iguana: daemon('iguana') },
      stopTimeoutSec: 60,
    },
  };
}
