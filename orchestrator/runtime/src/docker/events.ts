import type { Logger } from 'pino';
import { LABEL_OWNER, LABEL_ROLE, LABEL_UNIT, OWNER } from '../labels.js';
import type { RuntimeEvent } from '../types/runtime-event.js';
import type { Engine } from './engine.js';
import { followJsonLines } from './json-lines.js';

const ACTIONS = new Set(['start', 'die', 'destroy']);

/** A Docker event line to a RuntimeEvent, or null for events units do not care about. */
export function parseDockerEvent(node: string, line: Record<string, unknown>): RuntimeEvent | null {
  if (line.Type !== 'container') return null;
  const action = typeof line.Action === 'string' ? line.Action : '';
  const actor = line.Actor as { ID?: string; Attributes?: Record<string, string> } | undefined;
  const attrs = actor?.Attributes ?? {};
  const unit = attrs[LABEL_UNIT];
  const roleLabel = attrs[LABEL_ROLE];
  if (attrs[LABEL_OWNER] !== OWNER || !unit || unit === '-') return null;
  if (roleLabel !== 'sidecar' && roleLabel !== 'daemon') return null;
  const role: 'sidecar' | 'daemon' = roleLabel;
  const timeNano = typeof line.timeNano === 'number' ? line.timeNano : null;
  const time = timeNano ? new Date(Math.floor(timeNano / 1e6)) : new Date(Number(line.time ?? 0) * 1000);
  const base = { kind: 'container' as const, node, unit, role, containerId: actor?.ID ?? '', time };
  if (ACTIONS.has(action)) {
    const code = attrs.exitCode;
    return {
      ...base,
      action: action as 'start' | 'die' | 'destroy',
      exitCode: action === 'die' && code !== undefined ? Number(code) : null,
      health: null,
    };
  }
  if (action.startsWith('health_status')) {
    return { ...base, action: 'health', exitCode: null, health: action.split(':')[1]?.trim() ?? null };
  }
  return null;
}

/**
 * Follows one engine's events forever: by line, filtered to owned unit containers. When the stream
 * ends or fails (engine restart, network cut) it reports the node lost, retries with back-off and
 * resumes with `since` = the last event's second, dropping the replayed duplicates it already passed.
 */
export async function followEngineEvents(
  engine: Engine,
  push: (e: RuntimeEvent) => void,
  signal: AbortSignal,
  since: Date | undefined,
  log: Logger,
): Promise<void> {
  let last = since ? Math.floor(since.getTime() / 1000) : Math.floor(Date.now() / 1000);
  const seen = new Set<string>();
  let lost = false;
  let delay = 250;
  while (!signal.aborted) {
    try {
      const stream = await engine.long.getEvents({
        since: last,
        filters: { type: ['container'], label: [`${LABEL_OWNER}=${OWNER}`, LABEL_UNIT] },
      });
      const destroy = () => (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      signal.addEventListener('abort', destroy, { once: true });
      if (lost) {
        lost = false;
        push({ kind: 'node', node: engine.name, action: 'restored', time: new Date(), error: null });
      }
      delay = 250;
      try {
        await followJsonLines(stream, (line) => {
          const key = `${String(line.id)}:${String(line.Action)}:${String(line.timeNano)}`;
          if (seen.has(key)) return;
          seen.add(key);
          if (seen.size > 5000) seen.clear();
          if (typeof line.time === 'number') last = line.time;
          const ev = parseDockerEvent(engine.name, line);
          if (ev) push(ev);
        });
      } finally {
        signal.removeEventListener('abort', destroy);
      }
      if (signal.aborted) return;
      throw new Error('event stream ended');
    } catch (err) {
      if (signal.aborted) return;
      if (!lost) {
        lost = true;
        const error = err instanceof Error ? err.message : String(err);
        log.warn({ node: engine.name, error }, 'event stream lost; reconnecting');
        push({ kind: 'node', node: engine.name, action: 'lost', time: new Date(), error });
      }
      await new Promise<void>((r) => {
        const t = setTimeout(r, delay);
        signal.addEventListener(
          'abort',
          () => {
            clearTimeout(t);
            r();
          },
          { once: true },
        );
      });
      delay = Math.min(delay * 2, 10_000);
    }
  }
}
