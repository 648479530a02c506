import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { InvalidSpecError, NotOwnedError } from '../errors.js';
import { isOwned, LABEL_OWNER, LABEL_ROLE, OWNER } from '../labels.js';
import { applyObject, deleteOwned, readObject } from './kube-apply.js';
import type { KubeContext } from './kube-context.js';
import { ownerLabels } from './kube-labels.js';
import { listOwnedSets } from './kube-units.js';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** nn.unit of the network policy: a label value cannot be the Docker adapter's '-'. */
export const NETWORK_UNIT = 'nn-network';

function networkName(ctx: KubeContext, name: unknown): string {
  const n = name ?? ctx.config.network;
  if (typeof n !== 'string' || !DNS_LABEL.test(n))
    throw new InvalidSpecError(['network: on kubernetes a DNS label (a-z 0-9 -, at most 63)']);
  return n;
}

/**
 * The cluster network, on Kubernetes: every pod already shares the cluster's pod network, so what
 * the runtime makes is the namespace's baseline NetworkPolicy `<name>`, selecting every owned pod and
 * admitting nothing by itself (each unit's own policy adds what it admits). UnitSpec.network names it.
 */
export async function ensureNetwork(ctx: KubeContext, name?: unknown): Promise<void> {
  const n = networkName(ctx, name);
  const policy = new NetworkPolicy({
    metadata: {
      name: n,
      namespace: ctx.client.namespace,
      labels: { ...ownerLabels(NETWORK_UNIT), [LABEL_ROLE]: 'network' },
    },
    spec: { podSelector: { matchLabels: { [LABEL_OWNER]: OWNER } }, policyTypes: ['Ingress'], ingress: [] },
  });
  policy.validate();
  await applyObject(ctx.client, policy, NETWORK_UNIT, ctx.client.name, 'network');
}

/** Removes the baseline policy unless a unit still runs under it; NotOwnedError for a foreign one. */
export async function removeNetwork(ctx: KubeContext, name?: unknown): Promise<void> {
  const n = networkName(ctx, name);
  const existing = await readObject(ctx.client, 'networking.k8s.io/v1', 'NetworkPolicy', n);
  if (!existing) return;
  if (!isOwned(existing.metadata?.labels, NETWORK_UNIT))
    throw new NotOwnedError('network', n, ctx.client.name);
  if ((await listOwnedSets(ctx)).sets.length) return;
  await deleteOwned(ctx.client, 'networking.k8s.io/v1', 'NetworkPolicy', n, NETWORK_UNIT);
}
