import { readFileSync } from 'node:fs';

// A node as `nnctl up --network devnet` records it, for the season tests of the API and of nnctl: the
// shipped devnet file (as JSON, the network schema's defaults already written out in it) and the node
// units' desired state built from its own daemons and Iguana section (no secret: a dir path).

export type NetworkJson = Record<string, unknown> & {
  daemons: Array<Record<string, unknown> & { role: string }>;
  iguana: Record<string, unknown> & { p2p: number; api: number; addnotary: string[]; elected: unknown };
  assetchains: { entries: Array<Record<string, unknown>>; image: { ref: string } };
};

/** networks/devnet.json, read afresh (callers change it). */
export const devnetSeason = (): NetworkJson =>
  JSON.parse(
    readFileSync(new URL('../../../../networks/devnet.json', import.meta.url), 'utf8'),
  ) as NetworkJson;

/** The node units' desired state as `nnctl up` writes it for the devnet (no secret: a dir path). */
export function nodeUnitsOf(n: NetworkJson) {
  const role = (r: string) => n.daemons.find((d) => d.role === r) ?? null;
  return {
    version: 1,
    secretsDir: '/nonexistent/secrets',
    layout: {
      prefix: 'nn-season-',
      node: 'local',
      ports: { ltc: 7781, kmd: 7782, iguana: 7783 },
      images: {
        ltcDaemon: 'nn/devchain:0.1.0',
        kmdDaemon: 'nn/devchain:0.1.0',
        iguanaDaemon: 'nn/deviguana:0.1.0',
        chainSidecar: 'nn/chain-sidecar:0.1.0',
        iguanaSidecar: 'nn/iguana-sidecar:0.1.0',
      },
      daemons: { destination: role('destination'), main: role('main'), iguana: role('iguana') },
      iguanaPort: n.iguana.api,
      iguanaP2pPort: n.iguana.p2p,
      addnotary: n.iguana.addnotary,
      elected: n.iguana.elected,
      programFirst: false,
      stopTimeoutSec: 60,
    },
  };
}
