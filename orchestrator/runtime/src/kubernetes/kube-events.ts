import { setTimeout as sleep } from 'node:timers/promises';
import { AsyncQueue } from '../async-queue.js';
import type { RuntimeEvent } from '../types/runtime-event.js';
import type { EventsOptions } from '../types/stop-options.js';
import { call, statusOf } from './kube-client.js';
import type { KubeContext } from './kube-context.js';
import { podEvents } from './kube-event-map.js';
import { OWNED_SELECTOR, type PodObject } from './kube-units.js';

/** The whole namespace's stream: a 'node' event names the cluster, as every unit's pod is in it. */
export const CLUSTER_NODE = '*';

const nodeEvent = (action: 'lost' | 'restored', error: string | null): RuntimeEvent => ({
  kind: 'node',
  node: CLUSTER_NODE,
  action,
  time: new Date(),
  error,
});

/** What ends one watch: an error, the server closing it (null), or 'gone' (the version is too old). */
type WatchEnd = unknown;

/** One watch from `resourceVersion` until it ends; an ERROR event with 410 ends it as 'gone'. */
function watchOnce(
  ctx: KubeContext,
  resourceVersion: string,
  onEvent: (type: string, pod: PodObject) => void,
  signal: AbortSignal,
): Promise<WatchEnd> {
  return new Promise((resolve) => {
    let controller: AbortController | undefined;
    ctx.client.watch
      .watch(
        `/api/v1/namespaces/${ctx.client.namespace}/pods`,
        { labelSelector: OWNED_SELECTOR, resourceVersion, allowWatchBookmarks: true },
        (type: string, obj: PodObject & { code?: number }) => {
          if (type !== 'ERROR') return onEvent(type, obj);
          controller?.abort();
          resolve(obj.code === 410 ? 'gone' : new Error(`watch error ${obj.code ?? ''}`));
        },
        (err) => resolve(err ?? null),
      )
      .then((c) => {
        controller = c;
        signal.addEventListener('abort', () => c.abort(), { once: true });
      })
      .catch(resolve);
  });
}

/**
 * Pod watch of the namespace's owned pods, mapped to container events. A list gives the starting
 * resourceVersion (and, with `since`, what happened after it); the watch resumes from the last version
 * seen; a 410 (too old) lists again. Each break is a 'lost', each resumption a 'restored'.
 */
export function events(ctx: KubeContext, options: EventsOptions = {}): AsyncIterable<RuntimeEvent> {
  const queue = new AsyncQueue<RuntimeEvent>();
  const abort = new AbortController();
  options.signal?.addEventListener('abort', () => abort.abort(), { once: true });
  const seen = new Map<string, PodObject>();
  const run = async () => {
    let version: string | null = null;
    let broken = false;
    while (!abort.signal.aborted) {
      try {
        if (version === null) {
          const list = await call(ctx.client, 'list pods', () =>
            ctx.client.core.listNamespacedPod({
              namespace: ctx.client.namespace,
              labelSelector: OWNED_SELECTOR,
            }),
          );
          version = list.metadata?.resourceVersion ?? '';
          for (const pod of list.items as PodObject[]) {
            const replay = options.since && !seen.size ? podEvents(null, pod, false) : [];
            for (const e of replay) if (e.time >= (options.since as Date)) queue.push(e);
            seen.set(pod.metadata?.uid ?? '', pod);
          }
        }
        if (broken) queue.push(nodeEvent('restored', null));
        broken = false;
        const err = await watchOnce(
          ctx,
          version,
          (type, pod) => {
            version = pod.metadata?.resourceVersion ?? version;
            if (type === 'BOOKMARK') return;
            const uid = pod.metadata?.uid ?? '';
            for (const e of podEvents(seen.get(uid) ?? null, pod, type === 'DELETED')) queue.push(e);
            if (type === 'DELETED') seen.delete(uid);
            else seen.set(uid, pod);
          },
          abort.signal,
        );
        if (abort.signal.aborted) break;
        if (err === null) continue;
        if (err === 'gone' || statusOf(err) === 410) {
          version = null;
          continue;
        }
        throw err;
      } catch (err) {
        if (abort.signal.aborted) break;
        if (!broken) queue.push(nodeEvent('lost', err instanceof Error ? err.message : String(err)));
        broken = true;
        await sleep(2000, undefined, { signal: abort.signal }).catch(() => undefined);
      }
    }
    queue.close();
  };
  void run();
  return queue;
}
