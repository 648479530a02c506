import type { Labels } from '../labels.js';

/** How a unit's p2p ports reach other peers (RPC ports are never exposed). */
export type P2pExposure = 'hostPort' | 'NodePort' | 'LoadBalancer';

/**
 * How the Kubernetes adapter maps what UnitSpec leaves to the cluster: where, how exposed, which
 * storage. One value per runtime (from the orchestrator's config), not per unit.
 */
export interface KubeUnitOptions {
  /** Namespace of every object of every unit. */
  readonly namespace: string;
  /** p2p ports: a hostPort on the pod's node, a NodePort Service, or a LoadBalancer Service. */
  readonly p2pExposure: P2pExposure;
  /**
   * The sidecar API: 'cluster' (default) only through the unit's headless Service, for an orchestrator
   * running in the cluster; 'hostPort' also binds UnitSpec.sidecar.hostPort on the pod's node, for an
   * orchestrator outside it (kubeconfig). With 'cluster', sidecar.hostPort has no meaning.
   */
  readonly apiExposure?: 'cluster' | 'hostPort';
  /** The orchestrator's pods: the only source, besides bridged units, admitted to a sidecar API. */
  readonly orchestrator: {
    readonly podLabels: Labels;
    /** Namespace of the orchestrator's pods; default the units' namespace. */
    readonly namespace?: string;
    /** Address blocks of an orchestrator outside the cluster (with apiExposure 'hostPort'). */
    readonly cidrs?: readonly string[];
  };
  /** Pods (by labels) also admitted to every sidecar API: the chart's Iguana, which calls every chain. */
  readonly apiPeers?: readonly Labels[];
  readonly storage?: {
    /** StorageClass of the data volume; default the cluster's default class. */
    readonly className?: string;
    /** Size of a unit's data volume; default '20Gi'. Per chain: unitObjects' `dataSize` argument. */
    readonly size?: string;
    /** Access mode of shared volumes (UnitSpec.mounts) several pods mount; default 'ReadWriteMany'. */
    readonly sharedAccessMode?: 'ReadWriteMany' | 'ReadOnlyMany' | 'ReadWriteOnce';
    /** Size of a shared volume; default '2Gi' (the zcash params are ~1.7 GB). */
    readonly sharedSize?: string;
  };
  /**
   * UnitSpec.node as a preference (default: a lost node's unit comes back elsewhere by the scheduler's
   * rules) or a requirement (the unit runs only there: hostPort p2p addresses operators published).
   */
  readonly placement?: 'prefer' | 'require';
  /** Requests/limits of the sidecar container; the daemon's come from UnitSpec.memoryBytes/cpus. */
  readonly sidecarResources?: {
    readonly requests?: { readonly cpu?: string; readonly memory?: string };
    readonly limits?: { readonly cpu?: string; readonly memory?: string };
  };
  /** The cluster's NodePort range (kube-apiserver --service-node-port-range); default 30000-32767. */
  readonly nodePortRange?: readonly [number, number];
}

export const DEFAULT_DATA_SIZE = '20Gi';
export const DEFAULT_SHARED_SIZE = '2Gi';
export const DEFAULT_NODE_PORT_RANGE: readonly [number, number] = [30000, 32767];
export const DEFAULT_SIDECAR_RESOURCES = {
  requests: { cpu: '50m', memory: '128Mi' },
  limits: { memory: '512Mi' },
} as const;
