import type Docker from 'dockerode';
import { LABEL_API_PORT, LABEL_SPEC_HASH, RESERVED_LABELS } from '../labels.js';
import type { ContainerState, UnitHandle, UnitState } from '../types/unit-handle.js';
import type { Engine } from './engine.js';
import { DEFAULT_SIDECAR_PORT, sidecarName } from './unit-layout.js';

const date = (s: string | undefined): Date | null => (!s || s.startsWith('0001-') ? null : new Date(s));

export function containerState(info: Docker.ContainerInspectInfo): ContainerState {
  const st = info.State;
  const config = info.Config as Docker.ContainerInspectInfo['Config'] & { StopTimeout?: number };
  return {
    id: info.Id,
    name: info.Name.replace(/^\//, ''),
    image: info.Config.Image,
    status: st.Status,
    running: st.Running,
    health: st.Health?.Status ?? null,
    exitCode: st.Running ? null : st.ExitCode,
    startedAt: date(st.StartedAt),
    finishedAt: date(st.FinishedAt),
    stopTimeoutSec: config.StopTimeout ?? null,
    specHash: info.Config.Labels?.[LABEL_SPEC_HASH] ?? null,
  };
}

function stateOf(
  sidecar: Docker.ContainerInspectInfo | null,
  daemon: Docker.ContainerInspectInfo | null,
): UnitState {
  if (!sidecar || !daemon) return 'partial';
  const s = sidecar.State.Running;
  const d = daemon.State.Running;
  if (!s && !d) return 'stopped';
  if (s !== d) return 'partial';
  // A container joined with --network container:<sidecar> keeps the namespace it joined: if the sidecar
  // started again after the daemon did, the daemon is cut off from the network and its bridges.
  if (daemon.HostConfig.NetworkMode !== `container:${sidecar.Id}`) return 'degraded';
  const sStart = date(sidecar.State.StartedAt);
  const dStart = date(daemon.State.StartedAt);
  if (sStart && dStart && sStart.getTime() > dStart.getTime()) return 'degraded';
  return 'running';
}

export function unitHandle(
  engine: Engine,
  unit: string,
  sidecar: Docker.ContainerInspectInfo | null,
  daemon: Docker.ContainerInspectInfo | null,
  volume: string,
): UnitHandle {
  const any = sidecar ?? daemon;
  const labels = Object.fromEntries(
    Object.entries(any?.Config.Labels ?? {}).filter(([k]) => !RESERVED_LABELS.includes(k)),
  );
  // Image labels are inherited: keep only what the spec gave (images carry org.opencontainers.* too).
  for (const k of Object.keys(labels)) if (k.startsWith('org.opencontainers.')) delete labels[k];
  let endpoint: string | null = null;
  let port = DEFAULT_SIDECAR_PORT;
  if (sidecar) {
    port = Number(sidecar.Config.Labels?.[LABEL_API_PORT] ?? DEFAULT_SIDECAR_PORT);
    const bindings = sidecar.HostConfig.PortBindings as
      | Record<string, Array<{ HostIp?: string; HostPort?: string }> | null>
      | undefined;
    const hostPort = bindings?.[`${port}/tcp`]?.[0]?.HostPort;
    if (hostPort) endpoint = engine.url(Number(hostPort));
  }
  return {
    name: unit,
    node: engine.name,
    state: stateOf(sidecar, daemon),
    sidecar: sidecar ? containerState(sidecar) : null,
    daemon: daemon ? containerState(daemon) : null,
    volume,
    endpoint,
    localEndpoint: `http://${sidecarName(unit)}:${port}`,
    labels,
  };
}
