import { isOwned, LABEL_NODE, LABEL_UNIT } from '../labels.js';
import type { UnitContainer } from '../types/logs-options.js';
import type { RuntimeEvent } from '../types/runtime-event.js';
import { ANNOTATION_SPEC_HASH, DAEMON, SIDECAR } from './kube-names.js';
import { logicalId } from './kube-observe.js';
import { type ContainerStatusLike, type PodLike, toDate } from './kube-shapes.js';

const ROLES: readonly UnitContainer[] = [SIDECAR, DAEMON];

function status(pod: PodLike | null, role: UnitContainer): ContainerStatusLike | undefined {
  const list = role === SIDECAR ? pod?.status?.initContainerStatuses : pod?.status?.containerStatuses;
  return list?.find((s) => s.name === role);
}

const same = (a: Date | string | undefined, b: Date | string | undefined) =>
  a !== undefined && b !== undefined && new Date(a).getTime() === new Date(b).getTime();

type ContainerEvent = Extract<RuntimeEvent, { kind: 'container' }>;

/** What changed in one container between two observations of its pod. */
function roleEvents(
  prev: ContainerStatusLike | undefined,
  next: ContainerStatusLike | undefined,
  base: Omit<ContainerEvent, 'action' | 'exitCode' | 'health' | 'time'>,
  now: Date,
): ContainerEvent[] {
  if (!next) return [];
  const out: ContainerEvent[] = [];
  const event = (action: ContainerEvent['action'], time: Date | null, exitCode: number | null = null) =>
    out.push({ ...base, action, exitCode, health: null, time: time ?? now });
  // A restart between two observations: the run that ended is in lastState.
  const restarted = prev !== undefined && next.restartCount > prev.restartCount;
  const last = next.lastState?.terminated;
  if (restarted && last && !same(last.finishedAt, prev?.state?.terminated?.finishedAt))
    event('die', toDate(last.finishedAt), last.exitCode);
  const term = next.state?.terminated;
  if (term && !same(term.finishedAt, prev?.state?.terminated?.finishedAt))
    event('die', toDate(term.finishedAt), term.exitCode);
  const run = next.state?.running;
  if (run && (restarted || !prev?.state?.running || !same(run.startedAt, prev.state.running.startedAt)))
    event('start', toDate(run.startedAt));
  if (base.role === SIDECAR && prev !== undefined && prev.ready !== next.ready)
    out.push({
      ...base,
      action: 'health',
      exitCode: null,
      health: next.ready ? 'healthy' : 'unhealthy',
      time: now,
    });
  return out;
}

/**
 * RuntimeEvents of an owned unit pod from a watch event: `prev` is the pod as last seen (null the first
 * time), `next` the pod now; `deleted` for a DELETED event (whose object is the pod's final state: its
 * containers' exits come first, then their destroy). A foreign pod yields nothing.
 */
export function podEvents(
  prev: PodLike | null,
  next: PodLike,
  deleted: boolean,
  now = new Date(),
): RuntimeEvent[] {
  const pod = next;
  const labels = pod?.metadata?.labels;
  if (!isOwned(labels)) return [];
  const setUid = pod.metadata?.ownerReferences?.find((o) => o.kind === 'StatefulSet')?.uid ?? '-';
  const hash = pod.metadata?.annotations?.[ANNOTATION_SPEC_HASH];
  const events: RuntimeEvent[] = [];
  for (const role of ROLES) {
    const base = {
      kind: 'container' as const,
      node: pod.spec?.nodeName ?? labels?.[LABEL_NODE] ?? '',
      unit: labels?.[LABEL_UNIT] ?? '',
      role,
      containerId: logicalId(setUid, role, hash),
    };
    events.push(...roleEvents(status(prev, role), status(next, role), base, now));
    if (deleted) events.push({ ...base, action: 'destroy', exitCode: null, health: null, time: now });
  }
  return events;
}
