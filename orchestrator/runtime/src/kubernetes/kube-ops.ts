import { UnitNotFoundError } from '../errors.js';
import { isOwned, LABEL_NODE, LABEL_UNIT } from '../labels.js';
import { validateUnitName } from '../spec-schema.js';
import type { ListOptions, RemoveOptions, StopOptions } from '../types/stop-options.js';
import type { UnitHandle } from '../types/unit-handle.js';
import { deleteOwned } from './kube-apply.js';
import { call } from './kube-client.js';
import type { KubeContext } from './kube-context.js';
import {
  ANNOTATION_LAST_EXIT,
  ANNOTATION_RESTARTED_AT,
  apiServiceName,
  DAEMON,
  filesSecretName,
  p2pServiceName,
  podName,
  policyName,
  SIDECAR,
  setName,
} from './kube-names.js';
import { toUnitHandle } from './kube-observe.js';
import {
  handleOf,
  listOwnedSets,
  OWNED_SELECTOR,
  ownedSet,
  type PodObject,
  patchSet,
  podOf,
  readSet,
  type SetObject,
} from './kube-units.js';
import { podGone, waitPod } from './kube-wait.js';

const graceOf = (set: SetObject, options: StopOptions) =>
  options.timeoutSec ?? set.spec?.template.spec?.terminationGracePeriodSeconds ?? 300;

const exitOf = (pod: PodObject, role: string) => {
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  const s = statuses.find((x) => x.name === role);
  return s?.state?.terminated?.exitCode ?? s?.lastState?.terminated?.exitCode ?? null;
};

export async function inspect(ctx: KubeContext, name: unknown): Promise<UnitHandle> {
  return handleOf(ctx, await ownedSet(ctx, name, 'not-found'));
}

export async function list(ctx: KubeContext, options: ListOptions = {}): Promise<UnitHandle[]> {
  const { sets, pods } = await listOwnedSets(ctx);
  const handles = sets.map((set) => {
    const pod = pods.find(
      (p) =>
        p.metadata?.name === podName(set.metadata?.name ?? '') &&
        p.metadata?.ownerReferences?.some((o) => o.uid === set.metadata?.uid),
    );
    return toUnitHandle(set, pod ?? null, ctx.observe);
  });
  const wanted = Object.entries(options.labels ?? {});
  return handles.filter(
    (h) =>
      wanted.every(([k, v]) => h.labels[k] === v) && (options.node === undefined || h.node === options.node),
  );
}

/**
 * Scales the set to 0 and deletes its pod with the grace asked for (the pod's own grace by default:
 * the unit's stop timeout); the sidecar, a native sidecar, stops after the daemon. The exit codes seen
 * are kept on the set for later handles.
 */
export async function stop(ctx: KubeContext, name: unknown, options: StopOptions = {}): Promise<UnitHandle> {
  let set = await ownedSet(ctx, name, 'not-found');
  const unit = set.metadata?.name ?? '';
  const grace = graceOf(set, options);
  const pod = await podOf(ctx, set);
  set = await patchSet(ctx, set, { spec: { replicas: 0 } });
  if (pod) {
    await deleteOwned(ctx.client, 'v1', 'Pod', podName(unit), unit, grace);
    const last = await podGone(ctx, set, pod, (grace + 30) * 1000);
    const exits = { [SIDECAR]: exitOf(last, SIDECAR), [DAEMON]: exitOf(last, DAEMON) };
    set = await patchSet(ctx, set, {
      metadata: { annotations: { [ANNOTATION_LAST_EXIT]: JSON.stringify(exits) } },
    });
  }
  return toUnitHandle(set, null, ctx.observe);
}

/**
 * A stopped unit is scaled back to 1; a running one gets the rollout-restart annotation and its pod is
 * deleted with the grace asked for (the set makes it again: files step, sidecar, then daemon).
 */
export async function restart(
  ctx: KubeContext,
  name: unknown,
  options: StopOptions = {},
): Promise<UnitHandle> {
  let set = await ownedSet(ctx, name, 'not-found');
  const unit = set.metadata?.name ?? '';
  const pod = await podOf(ctx, set);
  if (set.spec?.replicas === 0) set = await patchSet(ctx, set, { spec: { replicas: 1 } });
  else {
    const restartedAt = new Date().toISOString();
    set = await patchSet(ctx, set, {
      spec: { template: { metadata: { annotations: { [ANNOTATION_RESTARTED_AT]: restartedAt } } } },
    });
    if (pod) {
      await deleteOwned(ctx.client, 'v1', 'Pod', podName(unit), unit, graceOf(set, options));
      await podGone(ctx, set, pod, (graceOf(set, options) + 30) * 1000);
    }
  }
  await waitPod(ctx, set, set.metadata?.labels?.[LABEL_NODE] ?? '', 'running');
  return handleOf(ctx, set);
}

/** Claims this unit made that no other owned set mounts. */
async function unitClaims(ctx: KubeContext, unit: string): Promise<string[]> {
  const claims = await call(ctx.client, 'list claims', () =>
    ctx.client.core.listNamespacedPersistentVolumeClaim({
      namespace: ctx.client.namespace,
      labelSelector: `${OWNED_SELECTOR},${LABEL_UNIT}=${unit}`,
    }),
  );
  const { sets } = await listOwnedSets(ctx);
  const inUse = new Set(
    sets
      .filter((s) => s.metadata?.name !== setName(unit))
      .flatMap(
        (s) =>
          (s.spec?.template.spec as { volumes?: Array<{ persistentVolumeClaim?: { claimName: string } }> })
            ?.volumes ?? [],
      )
      .map((v) => v.persistentVolumeClaim?.claimName),
  );
  return claims.items
    .filter((c) => isOwned(c.metadata?.labels, unit) && !inUse.has(c.metadata?.name ?? ''))
    .map((c) => c.metadata?.name ?? '');
}

/** Graceful stop, then the set and the unit's other objects; its claims only with `volumes`. Idempotent. */
export async function remove(ctx: KubeContext, name: unknown, options: RemoveOptions = {}): Promise<void> {
  const unit = validateUnitName(name);
  // One StatefulSet per unit cluster-wide: "the copy on a node" is the unit itself, when it is there.
  if (options.node !== undefined) {
    const here = await inspect(ctx, unit).then(
      (h) => h.node === options.node,
      (err: unknown) => {
        if (err instanceof UnitNotFoundError) return false;
        throw err;
      },
    );
    if (!here) return;
  }
  const set = await readSet(ctx, unit);
  if (set && isOwned(set.metadata?.labels, unit)) {
    await stop(ctx, unit, options).catch((err: unknown) => {
      if (!(err instanceof UnitNotFoundError)) throw err;
    });
    await deleteOwned(ctx.client, 'apps/v1', 'StatefulSet', setName(unit), unit);
  }
  const others: Array<[string, string, string]> = [
    ['v1', 'Service', apiServiceName(unit)],
    ['v1', 'Service', p2pServiceName(unit)],
    ['v1', 'Secret', filesSecretName(unit)],
    ['networking.k8s.io/v1', 'NetworkPolicy', policyName(unit)],
  ];
  for (const [apiVersion, kind, objectName] of others)
    await deleteOwned(ctx.client, apiVersion, kind, objectName, unit);
  if (!options.volumes) return;
  for (const claim of await unitClaims(ctx, unit))
    await deleteOwned(ctx.client, 'v1', 'PersistentVolumeClaim', claim, unit);
}
