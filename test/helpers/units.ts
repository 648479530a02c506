import { randomBytes } from 'node:crypto';
import type { SidecarConfig } from '@nn/chain-sidecar';
import { claim } from '@nn/testkit';
import { pack } from 'tar-stream';
import { docker } from './docker.js';

/** A file to place in a unit's data volume before it starts (owned by the images' uid 10001). */
export interface UnitFile {
  readonly path: string;
  readonly content: string;
  readonly mode?: number;
}

export interface UnitSpec {
  /** Container names derive from it: <name>-sidecar (owns the namespace), <name>-daemon. */
  readonly name: string;
  readonly project: string;
  readonly network: string;
  readonly daemonArgs: readonly string[];
  /** The sidecar's config (chain or Iguana sidecar); written to /data/nn/sidecar.json with tokensFile set. */
  readonly sidecar: Omit<SidecarConfig, 'tokensFile'> | Record<string, unknown>;
  readonly tokens: { viewer: string[]; operator: string[] };
  readonly files?: readonly UnitFile[];
  /** Defaults: the chain sidecar and devchain images. */
  readonly sidecarImage?: string;
  readonly daemonImage?: string;
  readonly daemonEnv?: readonly string[];
  /** The sidecar's environment; default NN_LOG_LEVEL=debug (the tests read its logs). */
  readonly sidecarEnv?: readonly string[];
}

export interface Unit {
  readonly name: string;
  readonly sidecarId: string;
  readonly daemonId: string;
  /** http://<sidecar ip>:8080 on the test network, reachable from the host. */
  readonly url: string;
}

const OWNER = 'notary-control-plane';
const UID = 10001;

export function newToken(): string {
  return randomBytes(24).toString('hex');
}

async function tarOf(files: readonly UnitFile[]): Promise<Buffer> {
  const p = pack();
  const dirs = new Set<string>();
  for (const f of files) {
    const parts = f.path.replace(/^\//, '').split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  for (const d of [...dirs].sort())
    p.entry({ name: `${d}/`, type: 'directory', mode: 0o700, uid: UID, gid: UID });
  for (const f of files)
    p.entry({ name: f.path.replace(/^\//, ''), mode: f.mode ?? 0o600, uid: UID, gid: UID }, f.content);
  p.finalize();
  const chunks: Buffer[] = [];
  for await (const c of p) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Starts a unit the way the design has it: a sidecar container that owns the network namespace, and
 * the daemon joining it (`--network container:<sidecar>`), both on the unit's data volume. The
 * sidecar starts first so the conf files its bridges write exist when the daemon reads them.
 */
export async function startUnit(spec: UnitSpec): Promise<Unit> {
  claimProject(spec.project);
  const labels = { 'nn.managed-by': OWNER, 'nn.project': spec.project, 'nn.unit': spec.name };
  const volume = `${spec.name}-data`;
  await docker.createVolume({ Name: volume, Labels: labels });
  const sidecarConfig = { ...spec.sidecar, tokensFile: '/data/nn/tokens.json' };
  const files: UnitFile[] = [
    { path: '/data/nn/sidecar.json', content: JSON.stringify(sidecarConfig) },
    { path: '/data/nn/tokens.json', content: JSON.stringify(spec.tokens) },
    ...(spec.files ?? []),
  ];
  const sidecar = await docker.createContainer({
    name: `${spec.name}-sidecar`,
    Image: spec.sidecarImage ?? 'nn/chain-sidecar:latest',
    Cmd: ['--config', '/data/nn/sidecar.json'],
    Labels: { ...labels, 'nn.role': 'sidecar' },
    Env: [...(spec.sidecarEnv ?? ['NN_LOG_LEVEL=debug'])],
    HostConfig: { NetworkMode: spec.network, Binds: [`${volume}:/data`] },
    NetworkingConfig: { EndpointsConfig: { [spec.network]: { Aliases: [`${spec.name}-sidecar`] } } },
  });
  await sidecar.putArchive(await tarOf(files), { path: '/' });
  await sidecar.start();
  const daemon = await docker.createContainer({
    name: `${spec.name}-daemon`,
    Image: spec.daemonImage ?? 'nn/devchain:latest',
    Cmd: [...spec.daemonArgs],
    Env: [...(spec.daemonEnv ?? [])],
    Labels: { ...labels, 'nn.role': 'daemon' },
    StopTimeout: 120,
    HostConfig: { NetworkMode: `container:${sidecar.id}`, Binds: [`${volume}:/data`] },
  });
  await daemon.start();
  const info = await sidecar.inspect();
  const ip = info.NetworkSettings.Networks[spec.network]?.IPAddress;
  if (!ip) throw new Error(`sidecar of ${spec.name} has no address on ${spec.network}`);
  return { name: spec.name, sidecarId: sidecar.id, daemonId: daemon.id, url: `http://${ip}:8080` };
}

/** Claims a project's labelled resources for this test run, once per project (see @nn/testkit). */
const claimed = new Set<string>();
function claimProject(project: string): void {
  if (claimed.has(project)) return;
  claimed.add(project);
  claim({ kind: 'docker-project', project });
}

export async function createNetwork(name: string, project: string): Promise<void> {
  claimProject(project);
  await docker.createNetwork({ Name: name, Labels: { 'nn.managed-by': OWNER, 'nn.project': project } });
}
