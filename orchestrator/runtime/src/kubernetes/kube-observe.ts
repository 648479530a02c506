import { isOwned, LABEL_API_PORT, LABEL_NODE, LABEL_VOLUME, RESERVED_LABELS } from '../labels.js';
import type { UnitContainer } from '../types/logs-options.js';
import type { ContainerState, UnitHandle, UnitState } from '../types/unit-handle.js';
import {
  ANNOTATION_LAST_EXIT,
  ANNOTATION_SPEC_HASH,
  APP_INSTANCE,
  APP_MANAGED_BY,
  apiServiceName,
  DAEMON,
  SIDECAR,
} from './kube-names.js';
import { type ContainerStatusLike, type PodLike, type StatefulSetLike, toDate } from './kube-shapes.js';

const HIDDEN_LABELS = new Set([...RESERVED_LABELS, APP_MANAGED_BY, APP_INSTANCE]);

/**
 * A container's identity here is logical: Kubernetes makes a new container at every pod start, so the
 * id names the set (its uid), the container and the spec hash. It stays across stop and restart and
 * changes when the spec does, as a Docker container id would.
 */
export function logicalId(setUid: string, container: UnitContainer, hash: string | undefined): string {
  return `${setUid}/${container}/${hash ?? '-'}`;
}

function statusOf(pod: PodLike | null, role: UnitContainer): ContainerStatusLike | undefined {
  const list = role === SIDECAR ? pod?.status?.initContainerStatuses : pod?.status?.containerStatuses;
  return list?.find((s) => s.name === role);
}

/** One container as the pod reports it (or as the template describes it when no pod runs). */
export function containerState(
  set: StatefulSetLike,
  pod: PodLike | null,
  role: UnitContainer,
): ContainerState {
  const template = set.spec?.template;
  const hash = (pod?.metadata ?? template?.metadata)?.annotations?.[ANNOTATION_SPEC_HASH];
  const specContainers = [...(template?.spec?.initContainers ?? []), ...(template?.spec?.containers ?? [])];
  const s = statusOf(pod, role);
  const state = s?.state;
  const ended = state?.terminated ?? s?.lastState?.terminated;
  const status = state?.running
    ? 'running'
    : state?.terminated
      ? 'exited'
      : state?.waiting
        ? 'restarting'
        : 'created';
  return {
    id: logicalId(set.metadata?.uid ?? '-', role, hash),
    name: `${pod?.metadata?.name ?? set.metadata?.name ?? '-'}/${role}`,
    image: s?.image ?? specContainers.find((c) => c.name === role)?.image ?? '',
    status: pod ? status : 'exited',
    running: state?.running !== undefined,
    // Only the sidecar has probes: its readiness is the unit's health, as its HEALTHCHECK is on Docker.
    health: role === SIDECAR && s ? (s.ready ? 'healthy' : state?.running ? 'starting' : 'unhealthy') : null,
    exitCode: ended?.exitCode ?? null,
    startedAt: toDate(state?.running?.startedAt ?? ended?.startedAt),
    finishedAt: state?.running ? null : toDate(ended?.finishedAt),
    stopTimeoutSec: template?.spec?.terminationGracePeriodSeconds ?? null,
    specHash: hash ?? null,
  };
}

/**
 * running: both run; stopped: no pod (scaled to 0) or neither runs; partial: one runs. Never
 * degraded: the pod's network namespace belongs to the pod (its pause container), not to the sidecar,
 * so a sidecar restart cannot strand the daemon.
 */
export function unitState(sidecar: ContainerState, daemon: ContainerState): UnitState {
  if (sidecar.running && daemon.running) return 'running';
  if (!sidecar.running && !daemon.running) return 'stopped';
  return 'partial';
}

/** With no pod (stopped), the exit code stopUnit saw, from the set's annotation. */
function withLastExit(
  set: StatefulSetLike,
  pod: PodLike | null,
  c: ContainerState,
  role: UnitContainer,
): ContainerState {
  if (pod) return c;
  try {
    const exits = JSON.parse(set.metadata?.annotations?.[ANNOTATION_LAST_EXIT] ?? '{}') as Record<
      string,
      unknown
    >;
    const code = exits[role];
    return typeof code === 'number' ? { ...c, exitCode: code } : c;
  } catch {
    return c;
  }
}

export interface ObserveContext {
  readonly namespace: string;
  readonly apiExposure: 'cluster' | 'hostPort';
}

/** The handle of an owned unit from its StatefulSet and its pod (null when scaled to 0 or not made yet). */
export function toUnitHandle(set: StatefulSetLike, pod: PodLike | null, ctx: ObserveContext): UnitHandle {
  const name = set.metadata?.name ?? '';
  const labels = set.metadata?.labels ?? {};
  const sidecar = withLastExit(set, pod, containerState(set, pod, SIDECAR), SIDECAR);
  const daemon = withLastExit(set, pod, containerState(set, pod, DAEMON), DAEMON);
  const port = labels[LABEL_API_PORT] ?? '8080';
  const sidecarSpec = set.spec?.template.spec?.initContainers?.find((c) => c.name === SIDECAR);
  const hostPort = sidecarSpec?.ports?.find((p) => p.name === 'api')?.hostPort;
  const hostIP = pod?.status?.hostIP;
  const endpoint =
    ctx.apiExposure === 'hostPort'
      ? hostIP && hostPort
        ? `http://${hostIP.includes(':') ? `[${hostIP}]` : hostIP}:${hostPort}`
        : null
      : `http://${apiServiceName(name)}.${ctx.namespace}.svc:${port}`;
  return {
    name,
    node: pod?.spec?.nodeName ?? labels[LABEL_NODE] ?? '',
    state: pod ? unitState(sidecar, daemon) : 'stopped',
    sidecar,
    daemon,
    volume: labels[LABEL_VOLUME] ?? `${name}-data`,
    endpoint,
    localEndpoint: `http://${apiServiceName(name)}:${port}`,
    labels: Object.fromEntries(Object.entries(labels).filter(([k]) => !HIDDEN_LABELS.has(k))),
  };
}

/** True when the set was made by this runtime for `unit`. */
export const ownsSet = (set: StatefulSetLike, unit?: string): boolean => isOwned(set.metadata?.labels, unit);
