import type { KubernetesObject } from '@kubernetes/client-node';
import { NotOwnedError, UnitNotFoundError } from '../errors.js';
import { isOwned, LABEL_NODE, LABEL_OWNER, OWNER } from '../labels.js';
import { validateUnitName } from '../spec-schema.js';
import type { UnitHandle } from '../types/unit-handle.js';
import { readObject } from './kube-apply.js';
import { call } from './kube-client.js';
import type { KubeContext } from './kube-context.js';
import { podName, setName } from './kube-names.js';
import { toUnitHandle } from './kube-observe.js';
import type { PodLike, StatefulSetLike } from './kube-shapes.js';

export type SetObject = KubernetesObject & StatefulSetLike;
export type PodObject = KubernetesObject & PodLike;

export const OWNED_SELECTOR = `${LABEL_OWNER}=${OWNER}`;

/** The unit's StatefulSet, whoever made it; null when there is none. */
export async function readSet(ctx: KubeContext, unit: string): Promise<SetObject | null> {
  return (await readObject(ctx.client, 'apps/v1', 'StatefulSet', setName(unit))) as SetObject | null;
}

/**
 * The owned set of a unit. `foreign`: what a set of that name the runtime did not make means — not
 * found (inspect, stop: not ours is as good as absent) or NotOwnedError (logs).
 */
export async function ownedSet(
  ctx: KubeContext,
  raw: unknown,
  foreign: 'not-found' | 'not-owned',
): Promise<SetObject> {
  const unit = validateUnitName(raw);
  const set = await readSet(ctx, unit);
  if (!set) throw new UnitNotFoundError(unit);
  if (!isOwned(set.metadata?.labels, unit)) {
    if (foreign === 'not-found') throw new UnitNotFoundError(unit);
    throw new NotOwnedError(
      'container',
      setName(unit),
      set.metadata?.labels?.[LABEL_NODE] ?? ctx.client.name,
    );
  }
  return set;
}

/** The set's pod, only when that set controls it (a namesake pod of someone else's is none of ours). */
export async function podOf(ctx: KubeContext, set: SetObject): Promise<PodObject | null> {
  const pod = (await readObject(
    ctx.client,
    'v1',
    'Pod',
    podName(set.metadata?.name ?? ''),
  )) as PodObject | null;
  const controlled = pod?.metadata?.ownerReferences?.some((o) => o.uid === set.metadata?.uid);
  return pod && controlled ? pod : null;
}

export async function handleOf(ctx: KubeContext, set: SetObject): Promise<UnitHandle> {
  return toUnitHandle(set, await podOf(ctx, set), ctx.observe);
}

/** Every owned set and pod of the namespace, in two list calls. */
export async function listOwnedSets(ctx: KubeContext): Promise<{ sets: SetObject[]; pods: PodObject[] }> {
  const { objects, namespace } = ctx.client;
  const list = (apiVersion: string, kind: string) =>
    call(ctx.client, `list ${kind}`, () =>
      objects.list<KubernetesObject>(
        apiVersion,
        kind,
        namespace,
        undefined,
        undefined,
        undefined,
        undefined,
        OWNED_SELECTOR,
      ),
    );
  const [sets, pods] = await Promise.all([list('apps/v1', 'StatefulSet'), list('v1', 'Pod')]);
  return {
    // Objects being deleted are on their way out: not counted (a claim waits for its pod to go).
    sets: (sets.items as SetObject[]).filter(
      (s) => isOwned(s.metadata?.labels) && !s.metadata?.deletionTimestamp,
    ),
    pods: pods.items as PodObject[],
  };
}

/** Merge-patches the set (replicas, annotations): only ever called on an owned set. */
export async function patchSet(ctx: KubeContext, set: SetObject, patch: object): Promise<SetObject> {
  const name = set.metadata?.name ?? '';
  return (await call(ctx.client, `patch StatefulSet ${name}`, () =>
    ctx.client.objects.patch(
      {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { name, namespace: ctx.client.namespace },
        ...patch,
      },
      undefined,
      undefined,
      undefined,
      undefined,
      'application/merge-patch+json',
    ),
  )) as SetObject;
}
