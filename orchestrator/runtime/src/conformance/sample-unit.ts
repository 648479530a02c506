import { randomBytes } from 'node:crypto';
import type { UnitSpec } from '../types/unit-spec.js';

export interface SampleImages {
  readonly daemon: string;
  readonly sidecar: string;
}

export interface SampleUnit {
  readonly spec: UnitSpec;
  /** A viewer token of the unit's sidecar API. */
  readonly viewerToken: string;
}

/**
 * A KMD devchain unit with its chain sidecar, as the orchestrator will make them: the sidecar config,
 * its tokens and komodod's conf (with a fresh RPC password) travel only as files in the volume.
 */
export function sampleKmdUnit(args: {
  name: string;
  node: string;
  hostPort: number;
  p2pPort?: number;
  images: SampleImages;
  labels?: Record<string, string>;
  daemonArgs?: string[];
  stopTimeoutSec?: number;
  withFiles?: boolean;
  volumeName?: string;
}): SampleUnit {
  const viewerToken = randomBytes(24).toString('hex');
  return {
    viewerToken,
    spec: {
      name: args.name,
      node: args.node,
      labels: args.labels ?? {},
      sidecar: {
        image: args.images.sidecar,
        cmd: ['--config', '/data/nn/sidecar.json'],
        hostPort: args.hostPort,
      },
      daemon: { image: args.images.daemon, cmd: args.daemonArgs ?? ['-devblocktime=1'] },
      ...(args.p2pPort ? { ports: [{ container: 7770, host: args.p2pPort }] } : {}),
      ...(args.volumeName ? { volume: { name: args.volumeName } } : {}),
      ...(args.withFiles === false ? {} : { files: sampleKmdFiles(viewerToken) }),
      stopTimeoutSec: args.stopTimeoutSec ?? 120,
    },
  };
}

export function sampleKmdFiles(viewerToken: string) {
  const sidecar = {
    flavour: 'komodo',
    chain: 'KMD',
    listen: '0.0.0.0:8080',
    daemon: { conf: '/data/.komodo/komodo.conf', datadir: '/data/.komodo' },
    tokensFile: '/data/nn/tokens.json',
  };
  const tokens = { viewer: [viewerToken], operator: [randomBytes(24).toString('hex')] };
  const password = randomBytes(16).toString('hex');
  return [
    { path: 'nn/sidecar.json', content: JSON.stringify(sidecar) },
    { path: 'nn/tokens.json', content: JSON.stringify(tokens) },
    {
      path: '.komodo/komodo.conf',
      content: `rpcuser=kmd\nrpcpassword=${password}\nrpcport=7771\nport=7770\nserver=1\n`,
    },
  ];
}
