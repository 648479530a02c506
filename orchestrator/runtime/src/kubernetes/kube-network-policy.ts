import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { DEFAULT_SIDECAR_PORT } from '../docker/unit-layout.js';
import { LABEL_OWNER, OWNER } from '../labels.js';
import type { UnitSpec } from '../types/unit-spec.js';
import { selectorLabels, unitLabels } from './kube-labels.js';
import { bridgeLabel, kubeProtocol, policyName } from './kube-names.js';
import type { KubeUnitOptions } from './kube-options.js';

/**
 * Ingress of the unit's pod: the sidecar API from the orchestrator's pods (and its address blocks when
 * it runs outside) and from units labelled as bridging to this one; the p2p ports from anywhere;
 * nothing else (RPC included: a pod selected by an Ingress policy admits only what some rule allows).
 * Egress stays open: a daemon dials p2p peers anywhere.
 */
export function unitNetworkPolicy(spec: UnitSpec, options: KubeUnitOptions): NetworkPolicy {
  const orchestrator = options.orchestrator;
  const apiPort = [{ protocol: 'TCP' as const, port: spec.sidecar.port ?? DEFAULT_SIDECAR_PORT }];
  const orchestratorPeer = {
    podSelector: { matchLabels: { ...orchestrator.podLabels } },
    ...(orchestrator.namespace && orchestrator.namespace !== options.namespace
      ? { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': orchestrator.namespace } } }
      : {}),
  };
  const bridgePeer = {
    podSelector: { matchLabels: { [LABEL_OWNER]: OWNER, [bridgeLabel(spec.name)]: 'true' } },
  };
  const cidrPeers = (orchestrator.cidrs ?? []).map((cidr) => ({ ipBlock: { cidr } }));
  const extraPeers = (options.apiPeers ?? []).map((labels) => ({
    podSelector: { matchLabels: { ...labels } },
  }));
  const p2p = (spec.ports ?? []).map((p) => ({
    protocol: kubeProtocol(p),
    port: p.container,
  }));
  return new NetworkPolicy({
    metadata: { name: policyName(spec.name), namespace: options.namespace, labels: unitLabels(spec) },
    spec: {
      podSelector: { matchLabels: selectorLabels(spec.name) },
      policyTypes: ['Ingress'],
      ingress: [
        { from: [orchestratorPeer, bridgePeer, ...extraPeers, ...cidrPeers], ports: apiPort },
        ...(p2p.length ? [{ ports: p2p }] : []),
      ],
    },
  });
}
