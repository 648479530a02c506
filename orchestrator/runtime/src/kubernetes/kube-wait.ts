import { setTimeout as sleep } from 'node:timers/promises';
import { ImageUnavailableError, PortConflictError } from '../errors.js';
import type { KubeContext } from './kube-context.js';
import { DAEMON, podName, SIDECAR } from './kube-names.js';
import { type PodObject, podOf, type SetObject } from './kube-units.js';

const IMAGE_REASONS = new Set(['ErrImagePull', 'ImagePullBackOff', 'ErrImageNeverPull', 'InvalidImageName']);

/** Why the pod cannot come up by itself, as a typed error; null while it still may. */
function blocked(pod: PodObject, node: string): Error | null {
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  for (const s of statuses) {
    const reason = s.state?.waiting?.reason;
    if (reason && IMAGE_REASONS.has(reason)) return new ImageUnavailableError(s.image, node, reason);
  }
  const conditions = (
    pod.status as { conditions?: Array<{ type: string; reason?: string; message?: string }> }
  )?.conditions;
  const unschedulable = conditions?.find((c) => c.type === 'PodScheduled' && c.reason === 'Unschedulable');
  if (unschedulable && /free ports/.test(unschedulable.message ?? ''))
    return new PortConflictError(node, 0, null);
  return null;
}

const running = (pod: PodObject | null, role: string) =>
  [...(pod?.status?.initContainerStatuses ?? []), ...(pod?.status?.containerStatuses ?? [])].some(
    (s) => s.name === role && s.state?.running !== undefined,
  );

/**
 * Waits for the pod to exist (`until: 'exists'`) or for both containers to run. It ends early with an
 * ImageUnavailableError or PortConflictError the pod shows, or returns the last pod at the time-out.
 */
export async function waitPod(
  ctx: KubeContext,
  set: SetObject,
  node: string,
  until: 'exists' | 'running',
): Promise<PodObject | null> {
  const deadline = Date.now() + ctx.config.readyTimeoutSec * 1000;
  let pod: PodObject | null = null;
  while (Date.now() < deadline) {
    pod = await podOf(ctx, set);
    if (pod && !pod.metadata?.deletionTimestamp) {
      if (until === 'exists') return pod;
      if (running(pod, SIDECAR) && running(pod, DAEMON)) return pod;
      const err = blocked(pod, node);
      if (err) throw err;
    }
    await sleep(1000);
  }
  return pod;
}

/**
 * Follows the pod until it is gone, keeping its last state: the containers' exit codes are in the
 * update the kubelet sends just before the pod is removed, which a watch sees and a poll may miss.
 */
export async function podGone(
  ctx: KubeContext,
  set: SetObject,
  pod: PodObject,
  timeoutMs: number,
): Promise<PodObject> {
  const { client } = ctx;
  let last = pod;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ended = await new Promise<boolean>((resolve) => {
      let controller: AbortController | undefined;
      const timer = setTimeout(() => resolve(false), Math.max(1000, deadline - Date.now()));
      client.watch
        .watch(
          `/api/v1/namespaces/${client.namespace}/pods`,
          {
            fieldSelector: `metadata.name=${podName(set.metadata?.name ?? '')}`,
            resourceVersion: last.metadata?.resourceVersion,
          },
          (type, obj: PodObject) => {
            last = obj;
            if (type !== 'DELETED') return;
            clearTimeout(timer);
            controller?.abort();
            resolve(true);
          },
          () => {
            clearTimeout(timer);
            resolve(false);
          },
        )
        .then((c) => {
          controller = c;
        })
        .catch(() => resolve(false));
    });
    // A watch that ended without DELETED (the server closes them now and then): is the pod still there?
    if (ended || !(await podOf(ctx, set))) return last;
  }
  return last;
}
