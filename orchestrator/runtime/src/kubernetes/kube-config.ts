import { z } from 'zod';

const quantity = z.string().regex(/^[1-9][0-9]{0,5}(Mi|Gi|Ti)$/, 'must be a size such as 50Gi');
const dnsLabel = z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'must be a DNS label');

/**
 * A KubernetesRuntime: which cluster (the pod's service account, or a kubeconfig file and context),
 * the namespace every unit lives in, and how units are exposed and stored (KubeUnitOptions).
 */
export const kubernetesRuntimeConfigSchema = z
  .object({
    /** The service account of the pod the orchestrator runs in. Exclusive with kubeconfig. */
    inCluster: z.boolean().default(false),
    /** Path of a kubeconfig file (read once at start). */
    kubeconfig: z.string().min(1).optional(),
    /** Context of the kubeconfig; default its current context. */
    context: z.string().min(1).optional(),
    namespace: dnsLabel,
    p2pExposure: z.enum(['hostPort', 'NodePort', 'LoadBalancer']).default('hostPort'),
    apiExposure: z.enum(['cluster', 'hostPort']).default('cluster'),
    orchestrator: z
      .object({
        podLabels: z.record(z.string(), z.string()).default({ 'app.kubernetes.io/name': 'nn-orchestrator' }),
        namespace: dnsLabel.optional(),
        cidrs: z.array(z.cidrv4().or(z.cidrv6())).max(16).optional(),
      })
      .strict()
      .default({ podLabels: { 'app.kubernetes.io/name': 'nn-orchestrator' } }),
    /**
     * Pods (by labels) admitted to every unit's sidecar API besides the orchestrator's and the units
     * bridging to it: the Helm chart's Iguana, which calls every chain's sidecar.
     */
    apiPeers: z.array(z.record(z.string(), z.string())).max(8).default([]),
    storage: z
      .object({
        className: dnsLabel.optional(),
        size: quantity.optional(),
        sharedAccessMode: z.enum(['ReadWriteMany', 'ReadOnlyMany', 'ReadWriteOnce']).optional(),
        sharedSize: quantity.optional(),
      })
      .strict()
      .default({}),
    placement: z.enum(['prefer', 'require']).default('prefer'),
    nodePortRange: z.tuple([z.number().int().min(1), z.number().int().max(65535)]).optional(),
    /**
     * 'node-images' (default, for clusters without a registry): an image must be in the node's
     * status.images, else ImageUnavailableError before anything is made. 'kubelet-pulls': the kubelet
     * pulls what is missing; a pull failure shows as the pod's ErrImagePull, mapped to ImageUnavailableError.
     */
    images: z.enum(['node-images', 'kubelet-pulls']).default('node-images'),
    /** Image of the one-shot pods putFiles runs (it needs sh, cp, chmod). Default nn/chain-sidecar:latest. */
    helperImage: z.string().default('nn/chain-sidecar:latest'),
    /** Cluster network name (ensureNetwork's default): the namespace's baseline NetworkPolicy. */
    network: dnsLabel.default('nn-cluster'),
    /** How long deployUnit waits for both containers to run, s. Default 300. */
    readyTimeoutSec: z.number().int().min(5).max(3600).default(300),
  })
  .strict()
  .refine((c) => c.inCluster !== (c.kubeconfig !== undefined), {
    message: 'give exactly one of inCluster: true or a kubeconfig path',
    path: ['kubeconfig'],
  });

export type KubernetesRuntimeConfig = z.input<typeof kubernetesRuntimeConfigSchema>;
export type ResolvedKubernetesRuntimeConfig = z.infer<typeof kubernetesRuntimeConfigSchema>;
