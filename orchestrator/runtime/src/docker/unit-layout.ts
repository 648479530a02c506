import { createHash } from 'node:crypto';
import type Docker from 'dockerode';
import {
  LABEL_API_PORT,
  LABEL_NODE,
  LABEL_OWNER,
  LABEL_ROLE,
  LABEL_SPEC_HASH,
  LABEL_UNIT,
  LABEL_VOLUME,
  OWNER,
} from '../labels.js';
import type { UnitSpec } from '../types/unit-spec.js';

/** Defaults of UnitSpec, in one place (documented on the interface). */
export const DEFAULT_SIDECAR_PORT = 8080;
export const DEFAULT_STOP_TIMEOUT_SEC = 300;
export const DEFAULT_MOUNT_PATH = '/data';
export const DEFAULT_LOG_MAX_SIZE_MB = 20;
export const DEFAULT_LOG_MAX_FILES = 10;

export const sidecarName = (unit: string): string => `${unit}-sidecar`;
export const daemonName = (unit: string): string => `${unit}-daemon`;
export const volumeName = (spec: UnitSpec): string => spec.volume?.name ?? `${spec.name}-data`;
export const mountPath = (spec: UnitSpec): string => spec.volume?.mountPath ?? DEFAULT_MOUNT_PATH;

/**
 * A digest of the whole spec, file contents included (hashed, so no secret is ever stored in a label).
 * Containers carry it; a leftover with another digest was made from another config and is replaced.
 */
export function specHash(spec: UnitSpec): string {
  const canonical = (v: unknown): unknown => {
    if (v instanceof Uint8Array || typeof v === 'string')
      return typeof v === 'string' && v.length < 4096 ? v : createHash('sha256').update(v).digest('hex');
    if (Array.isArray(v)) return v.map(canonical);
    if (v && typeof v === 'object')
      return Object.fromEntries(
        Object.entries(v)
          .filter(([, x]) => x !== undefined)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([k, x]) => [k, canonical(x)]),
      );
    return v;
  };
  const files = (spec.files ?? []).map((f) => ({
    ...f,
    content: createHash('sha256').update(f.content).digest('hex'),
  }));
  return createHash('sha256')
    .update(JSON.stringify(canonical({ ...spec, files })))
    .digest('hex')
    .slice(0, 32);
}

function labelsFor(spec: UnitSpec, role: 'sidecar' | 'daemon', hash: string): Record<string, string> {
  return {
    ...(spec.labels ?? {}),
    [LABEL_OWNER]: OWNER,
    [LABEL_UNIT]: spec.name,
    [LABEL_ROLE]: role,
    [LABEL_SPEC_HASH]: hash,
    [LABEL_NODE]: spec.node,
    [LABEL_API_PORT]: String(spec.sidecar.port ?? DEFAULT_SIDECAR_PORT),
    [LABEL_VOLUME]: volumeName(spec),
  };
}

const restartPolicy = (spec: UnitSpec) => ({ Name: spec.restart ?? 'unless-stopped' });

/**
 * json-file with rotation rather than the engine's default driver: `docker logs` (and the API's log
 * streaming) keep working, and a daemon's log is bounded whatever the engine's daemon.json says.
 */
export const logConfig = (spec: UnitSpec) => ({
  Type: 'json-file',
  Config: {
    'max-size': `${spec.logs?.maxSizeMb ?? DEFAULT_LOG_MAX_SIZE_MB}m`,
    'max-file': String(spec.logs?.maxFiles ?? DEFAULT_LOG_MAX_FILES),
  },
});

/**
 * The sidecar owns the unit's network namespace, so every published port of the unit is its. Ports
 * are published on the node's cluster address (`-p <addr>:<host>:<port>`) rather than relying on
 * routed container addresses: publishing works between any hosts that can reach each other, with no
 * routes on the hosts or the network to set up, and only the chosen ports become reachable (RPC ports
 * stay inside the unit). The engine's userland proxy carries it when iptables is off.
 */
export function sidecarOptions(
  spec: UnitSpec,
  /** The network's id (see ensureNetworkOn: a name may briefly match two networks). */
  network: string,
  address: string,
  hash: string,
): Docker.ContainerCreateOptions {
  const apiPort = `${spec.sidecar.port ?? DEFAULT_SIDECAR_PORT}/tcp`;
  const exposed: Record<string, object> = { [apiPort]: {} };
  const bindings: Record<string, Array<{ HostIp: string; HostPort: string }>> = {
    [apiPort]: [{ HostIp: address, HostPort: String(spec.sidecar.hostPort) }],
  };
  for (const p of spec.ports ?? []) {
    const key = `${p.container}/${p.protocol ?? 'tcp'}`;
    exposed[key] = {};
    bindings[key] = [{ HostIp: address, HostPort: String(p.host) }];
  }
  return {
    name: sidecarName(spec.name),
    Image: spec.sidecar.image,
    ...(spec.sidecar.cmd ? { Cmd: [...spec.sidecar.cmd] } : {}),
    ...(spec.sidecar.workdir ? { WorkingDir: spec.sidecar.workdir } : {}),
    Env: [...(spec.sidecar.env ?? [])],
    Labels: labelsFor(spec, 'sidecar', hash),
    ExposedPorts: exposed,
    // The sidecar's own SIGTERM path stops the daemon gracefully: it needs the same long grace.
    StopTimeout: spec.stopTimeoutSec ?? DEFAULT_STOP_TIMEOUT_SEC,
    HostConfig: {
      NetworkMode: network,
      Binds: [`${volumeName(spec)}:${mountPath(spec)}`],
      PortBindings: bindings,
      RestartPolicy: restartPolicy(spec),
      LogConfig: logConfig(spec),
    },
    NetworkingConfig: { EndpointsConfig: { [network]: { Aliases: [sidecarName(spec.name)] } } },
  };
}

export function daemonOptions(
  spec: UnitSpec,
  sidecarId: string,
  hash: string,
): Docker.ContainerCreateOptions {
  return {
    name: daemonName(spec.name),
    Image: spec.daemon.image,
    ...(spec.daemon.cmd ? { Cmd: [...spec.daemon.cmd] } : {}),
    ...(spec.daemon.workdir ? { WorkingDir: spec.daemon.workdir } : {}),
    Env: [...(spec.daemon.env ?? [])],
    Labels: labelsFor(spec, 'daemon', hash),
    StopTimeout: spec.stopTimeoutSec ?? DEFAULT_STOP_TIMEOUT_SEC,
    HostConfig: {
      NetworkMode: `container:${sidecarId}`,
      Binds: [
        `${volumeName(spec)}:${mountPath(spec)}`,
        ...(spec.mounts ?? []).map((m) => `${m.volume}:${m.path}${m.readOnly ? ':ro' : ''}`),
      ],
      RestartPolicy: restartPolicy(spec),
      LogConfig: logConfig(spec),
      ...(spec.memoryBytes ? { Memory: spec.memoryBytes } : {}),
      ...(spec.cpus ? { NanoCpus: Math.round(spec.cpus * 1e9) } : {}),
    },
  };
}

/** Host ports the unit binds, as `port/protocol`. */
export function hostPorts(spec: UnitSpec): Array<{ port: number; protocol: 'tcp' | 'udp' }> {
  return [
    { port: spec.sidecar.hostPort, protocol: 'tcp' as const },
    ...(spec.ports ?? []).map((p) => ({ port: p.host, protocol: p.protocol ?? ('tcp' as const) })),
  ];
}
