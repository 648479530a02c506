import { setTimeout as sleep } from 'node:timers/promises';
import type { KubernetesObject } from '@kubernetes/client-node';
import { NotOwnedError, PortConflictError } from '../errors.js';
import { isOwned } from '../labels.js';
import { call, type KubeClient, readOrNull, statusOf } from './kube-client.js';
import { ANNOTATION_SPEC_HASH } from './kube-names.js';

/** A typed object of kubernetes-models, as the API takes it. */
export interface ModelObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string };
  toJSON(): unknown;
}

/** What the Runtime's errors call the kind (NotOwnedError names containers, volumes or networks). */
export function resourceKind(kind: string): 'container' | 'volume' | 'network' {
  if (kind === 'PersistentVolumeClaim') return 'volume';
  if (kind === 'NetworkPolicy') return 'network';
  return 'container';
}

export const header = (apiVersion: string, kind: string, name: string, namespace: string) => ({
  apiVersion,
  kind,
  metadata: { name, namespace },
});

/** The object as it is in the cluster, or null. */
export function readObject(client: KubeClient, apiVersion: string, kind: string, name: string) {
  return readOrNull(client, `read ${kind} ${name}`, () =>
    client.objects.read<KubernetesObject>(header(apiVersion, kind, name, client.namespace)),
  );
}

/**
 * The object exists and is not ours: refused, before anything changes. `unit` narrows ownership to one
 * unit (shared claims: any unit of ours).
 */
export function assertOwned(existing: KubernetesObject | null, unit: string | undefined, node: string): void {
  if (existing && !isOwned(existing.metadata?.labels, unit))
    throw new NotOwnedError(resourceKind(existing.kind ?? ''), existing.metadata?.name ?? '', node);
}

const hashOf = (o: { metadata?: { annotations?: Record<string, string> } } | null) =>
  o?.metadata?.annotations?.[ANNOTATION_SPEC_HASH];

/** A 422 of a Service whose nodePort another Service holds. */
function portTaken(err: unknown): number | null {
  const text = err instanceof Error ? err.message : String(err);
  const m = /Invalid value: (\d+): provided port is already allocated/.exec(text);
  return statusOf(err) === 422 && m ? Number(m[1]) : null;
}

export type Applied = 'created' | 'kept' | 'replaced';

/**
 * The object as it is, once any deletion of it has finished (a claim of a unit just removed waits for
 * its pod to go): using an object on its way out would leave the new pod pending on it.
 */
async function goneOrPresent(
  client: KubeClient,
  desired: ModelObject,
  name: string,
): Promise<KubernetesObject | null> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const existing = await readObject(client, desired.apiVersion, desired.kind, name);
    if (!existing?.metadata?.deletionTimestamp || Date.now() > deadline) return existing;
    await sleep(1000);
  }
}

/**
 * Create-or-replace by spec hash. Missing: created (a 409 means a concurrent deploy made it: then it is
 * checked as an existing one). Present and owned with the same hash: kept; another hash: replaced (PUT
 * for StatefulSets, keeping their pods' identity; delete-and-create otherwise, as Services cannot
 * change every field in place). Never touches an object it does not own.
 */
export async function applyObject(
  client: KubeClient,
  desired: ModelObject,
  /** Whose it must be if it exists; undefined: any unit of ours (shared claims). */
  unit: string | undefined,
  node: string,
  hash: string,
): Promise<Applied> {
  const name = desired.metadata?.name ?? '';
  const body = { ...(desired.toJSON() as KubernetesObject) };
  body.metadata = {
    ...body.metadata,
    annotations: { ...body.metadata?.annotations, [ANNOTATION_SPEC_HASH]: hash },
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    const existing = await goneOrPresent(client, desired, name);
    assertOwned(existing, unit, node);
    if (existing && (hashOf(existing) === hash || desired.kind === 'PersistentVolumeClaim')) return 'kept';
    try {
      if (!existing) {
        await client.objects.create(body);
        return 'created';
      }
      if (desired.kind === 'StatefulSet') {
        body.metadata = { ...body.metadata, resourceVersion: existing.metadata?.resourceVersion ?? '' };
        await client.objects.replace(body);
        return 'replaced';
      }
      await call(client, `delete ${desired.kind} ${name}`, () => client.objects.delete(existing));
      await client.objects.create(body);
      return 'replaced';
    } catch (err) {
      const port = portTaken(err);
      if (port !== null) throw new PortConflictError(node, port, null);
      // 409: made or changed concurrently; read again and decide again.
      if (statusOf(err) !== 409)
        await call(client, `apply ${desired.kind} ${name}`, () => Promise.reject(err));
    }
  }
  await call(client, `apply ${desired.kind} ${name}`, () =>
    Promise.reject(new Error('kept conflicting (409)')),
  );
  return 'kept';
}

/** Deletes the object if it is ours (for `unit`); missing or foreign ones stay as they are. */
export async function deleteOwned(
  client: KubeClient,
  apiVersion: string,
  kind: string,
  name: string,
  unit: string | undefined,
  gracePeriodSeconds?: number,
): Promise<boolean> {
  const existing = await readObject(client, apiVersion, kind, name);
  if (!existing || !isOwned(existing.metadata?.labels, unit)) return false;
  try {
    await client.objects.delete(existing, undefined, undefined, gracePeriodSeconds, undefined, 'Background');
  } catch (err) {
    if (statusOf(err) !== 404) await call(client, `delete ${kind} ${name}`, () => Promise.reject(err));
  }
  return true;
}
