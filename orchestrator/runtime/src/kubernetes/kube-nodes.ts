import type { V1Node } from '@kubernetes/client-node';
import type { NodeInfo } from '../types/node-info.js';

const SUFFIX: Readonly<Record<string, number>> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
};

/** A Kubernetes quantity ('3900m', '16Gi', '16392600Ki') as a number; NaN when it is none. */
export function parseQuantity(q: string | undefined): number {
  const m = /^([0-9.]+)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(q ?? '');
  if (!m) return Number.NaN;
  return Number(m[1]) * (SUFFIX[m[2] ?? ''] ?? Number.NaN);
}

/**
 * A node of the cluster as the Runtime lists nodes: reachable when its Ready condition is True,
 * capacity from `allocatable` (what pods may use, after the kubelet's reservations). Disk: unit data
 * lives on persistent volumes, not on the node's disk, so none is reported.
 */
export function toNodeInfo(node: V1Node): NodeInfo {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  const addresses = node.status?.addresses ?? [];
  const address =
    addresses.find((a) => a.type === 'InternalIP')?.address ??
    addresses.find((a) => a.type === 'ExternalIP')?.address ??
    '';
  const reachable = ready?.status === 'True';
  const allocatable = node.status?.allocatable ?? {};
  const memoryBytes = parseQuantity(allocatable.memory);
  const cpus = parseQuantity(allocatable.cpu);
  return {
    name: node.metadata?.name ?? '',
    address,
    labels: { ...(node.metadata?.labels ?? {}) },
    reachable,
    capacity:
      reachable && Number.isFinite(memoryBytes) && Number.isFinite(cpus)
        ? { memoryBytes: Math.floor(memoryBytes), cpus, diskBytes: null }
        : null,
    version: reachable ? (node.status?.nodeInfo?.kubeletVersion ?? null) : null,
    error: reachable
      ? null
      : `Ready is ${ready?.status ?? 'unknown'}${ready?.message ? `: ${ready.message}` : ''}`,
  };
}

/** Whether `ref` is among the images the kubelet reports on the node (status.images, up to 50 by default). */
export function nodeHasImage(node: V1Node, ref: string): boolean {
  const wanted = new Set([ref, `docker.io/${ref}`, `docker.io/library/${ref}`, `localhost/${ref}`]);
  if (!/:[^/]+$/.test(ref) && !ref.includes('@')) for (const w of [...wanted]) wanted.add(`${w}:latest`);
  return (node.status?.images ?? []).some((img) => (img.names ?? []).some((n) => wanted.has(n)));
}
