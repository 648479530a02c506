import { PortConflictError, UnitConflictError } from '../errors.js';
import { isOwned, LABEL_NODE } from '../labels.js';
import type { DeployOptions, DeployStep } from '../types/deploy-options.js';
import type { UnitHandle } from '../types/unit-handle.js';
import type { UnitSpec } from '../types/unit-spec.js';
import {
  type Applied,
  applyObject,
  assertOwned,
  deleteOwned,
  type ModelObject,
  readObject,
} from './kube-apply.js';
import { checkImage, checkPorts, readNode } from './kube-checks.js';
import type { KubeContext } from './kube-context.js';
import { ANNOTATION_SPEC_HASH, podName } from './kube-names.js';
import { handleOf, patchSet, podOf, readSet, type SetObject } from './kube-units.js';
import { waitPod } from './kube-wait.js';
import { unitObjects } from './manifests.js';

/** Everything is refused that would touch a foreign object, before the first change. */
async function checkOwnership(
  ctx: KubeContext,
  spec: UnitSpec,
  objects: ModelObject[],
): Promise<SetObject | null> {
  const set = await readSet(ctx, spec.name);
  assertOwned(set, spec.name, spec.node);
  const setNode = set?.metadata?.labels?.[LABEL_NODE];
  if (set && setNode && setNode !== spec.node) throw new UnitConflictError(spec.name, setNode);
  for (const o of objects) {
    const existing = await readObject(ctx.client, o.apiVersion, o.kind, o.metadata?.name ?? '');
    assertOwned(existing, spec.name, spec.node);
  }
  return set;
}

/**
 * deployUnit: checks (spec, node, images, ownership of every object, ports), then claims, Services and
 * NetworkPolicy, the files Secret, the StatefulSet; then waits for the pod and both containers. Each
 * object is create-or-replace by spec hash, so a crash at any step is finished by the next call. A
 * replaced set's old pod is deleted at once: a StatefulSet does not roll a pod that is not Ready, and a
 * chain unit is not Ready until its chain syncs.
 */
export async function deploy(
  ctx: KubeContext,
  raw: UnitSpec,
  options: DeployOptions = {},
): Promise<UnitHandle> {
  const step = async (s: DeployStep) => options.onStep?.(s);
  const objects = unitObjects(raw, ctx.unitOptions);
  const spec = raw;
  const node = await readNode(ctx, spec.node);
  checkImage(ctx, node, spec.sidecar.image);
  checkImage(ctx, node, spec.daemon.image);
  const sharedNames = new Set(objects.sharedClaims.map((c) => c.metadata?.name));
  const unitScoped: ModelObject[] = [
    objects.service,
    ...(objects.p2pService ? [objects.p2pService] : []),
    ...(objects.secret ? [objects.secret] : []),
    objects.networkPolicy,
    objects.dataClaim,
  ];
  const existingSet = await checkOwnership(ctx, spec, unitScoped);
  for (const c of objects.sharedClaims) {
    const existing = await readObject(ctx.client, 'v1', 'PersistentVolumeClaim', c.metadata?.name ?? '');
    // A shared claim of any of our units will do; one we did not make is refused.
    assertOwned(existing, undefined, spec.node);
  }
  await checkPorts(ctx, spec, objects);
  await step('checked');

  const made: ModelObject[] = [];
  const apply = async (o: ModelObject): Promise<Applied> => {
    const owner = sharedNames.has(o.metadata?.name) ? undefined : spec.name;
    const r = await applyObject(ctx.client, o, owner, spec.node, objects.specHash);
    if (r === 'created') made.push(o);
    return r;
  };
  try {
    for (const c of [objects.dataClaim, ...objects.sharedClaims]) await apply(c);
    await step('volume');
    for (const o of [objects.service, objects.p2pService, objects.networkPolicy]) if (o) await apply(o);
  } catch (err) {
    // A NodePort taken outside the namespace: nothing this call made stays behind.
    if (err instanceof PortConflictError)
      for (const o of made.reverse())
        await deleteOwned(ctx.client, o.apiVersion, o.kind, o.metadata?.name ?? '', spec.name);
    throw err;
  }
  await step('sidecar-created');
  if (objects.secret) await apply(objects.secret);
  await step('files');
  const applied = await apply(objects.statefulSet);
  let set = (await readSet(ctx, spec.name)) as SetObject;
  if (applied === 'kept' && existingSet && existingSet.spec?.replicas === 0)
    set = await patchSet(ctx, set, { spec: { replicas: 1 } });
  const pod = await podOf(ctx, set);
  if (pod && pod.metadata?.annotations?.[ANNOTATION_SPEC_HASH] !== objects.specHash)
    await deleteOwned(ctx.client, 'v1', 'Pod', podName(spec.name), spec.name);
  await step('sidecar-started');
  await waitPod(ctx, set, spec.node, 'exists');
  await step('daemon-created');
  await waitPod(ctx, set, spec.node, 'running');
  await step('daemon-started');
  const current = await readSet(ctx, spec.name);
  return handleOf(ctx, current && isOwned(current.metadata?.labels, spec.name) ? current : set);
}
