import type { V1Node } from '@kubernetes/client-node';
import { ImageUnavailableError, NodeNotFoundError, PortConflictError } from '../errors.js';
import { LABEL_NODE, LABEL_UNIT } from '../labels.js';
import type { UnitSpec } from '../types/unit-spec.js';
import { call } from './kube-client.js';
import type { KubeContext } from './kube-context.js';
import { nodeHasImage } from './kube-nodes.js';
import { listOwnedSets } from './kube-units.js';
import type { UnitObjects } from './manifests.js';

/** The node by name (nodes are cluster-scoped: the service account needs get on nodes). */
export async function readNode(ctx: KubeContext, name: string): Promise<V1Node> {
  const nodes = await call(ctx.client, 'list nodes', () => ctx.client.core.listNode());
  const node = nodes.items.find((n) => n.metadata?.name === name);
  if (!node) throw new NodeNotFoundError(name);
  return node;
}

/** With images: node-images, an image the node does not list is refused before anything is made. */
export function checkImage(ctx: KubeContext, node: V1Node, ref: string): void {
  if (ctx.config.images === 'kubelet-pulls') return;
  if (!nodeHasImage(node, ref))
    throw new ImageUnavailableError(
      ref,
      node.metadata?.name ?? '',
      "not among the node's images (status.images), and this runtime is set to images: node-images (no registry): load it on the node",
    );
}

/**
 * Host ports (hostPort exposure) another owned unit on the same node already binds, and NodePorts an
 * owned Service of the namespace holds: PortConflictError before anything is made. Ports held outside
 * the namespace show up later: a NodePort as the API's 422, a hostPort as an unschedulable pod.
 */
export async function checkPorts(ctx: KubeContext, spec: UnitSpec, objects: UnitObjects): Promise<void> {
  const wanted = new Map<string, number>();
  const template = objects.statefulSet.spec?.template.spec;
  for (const c of [...(template?.initContainers ?? []), ...(template?.containers ?? [])])
    for (const p of c.ports ?? [])
      if (p.hostPort) wanted.set(`${p.hostPort}/${p.protocol ?? 'TCP'}`, p.hostPort);
  const { sets } = await listOwnedSets(ctx);
  for (const set of sets) {
    const labels = set.metadata?.labels ?? {};
    if (labels[LABEL_UNIT] === spec.name || labels[LABEL_NODE] !== spec.node) continue;
    const pod = set.spec?.template.spec;
    for (const c of [...(pod?.initContainers ?? []), ...(pod?.containers ?? [])])
      for (const p of c.ports ?? []) {
        const port = wanted.get(`${p.hostPort}/${(p as { protocol?: string }).protocol ?? 'TCP'}`);
        if (port) throw new PortConflictError(spec.node, port, `unit ${labels[LABEL_UNIT]}`);
      }
  }
  const nodePorts = new Set((objects.p2pService?.spec?.ports ?? []).map((p) => p.nodePort).filter(Boolean));
  if (!nodePorts.size) return;
  const services = await call(ctx.client, 'list services', () =>
    ctx.client.core.listNamespacedService({ namespace: ctx.client.namespace }),
  );
  for (const s of services.items) {
    if (s.metadata?.labels?.[LABEL_UNIT] === spec.name) continue;
    for (const p of s.spec?.ports ?? [])
      if (p.nodePort && nodePorts.has(p.nodePort))
        throw new PortConflictError(spec.node, p.nodePort, `service ${s.metadata?.name}`);
  }
}
