import type { KubernetesObject } from '@kubernetes/client-node';
import pino, { type Logger } from 'pino';
import { InvalidSpecError, NotSupportedError } from '../errors.js';
import { isOwned, LABEL_NODE, LABEL_ROLE, LABEL_UNIT } from '../labels.js';
import type { Runtime } from '../runtime.js';
import { validateMovePaths } from '../spec-schema.js';
import type { DeployOptions } from '../types/deploy-options.js';
import type { LogChunk, LogsOptions } from '../types/logs-options.js';
import type { MoveFileOutcome } from '../types/move-file.js';
import type { NodeInfo } from '../types/node-info.js';
import type { OwnedResource } from '../types/owned-resource.js';
import type { RuntimeEvent } from '../types/runtime-event.js';
import type { EventsOptions, ListOptions, RemoveOptions, StopOptions } from '../types/stop-options.js';
import type { UnitFile } from '../types/unit-file.js';
import type { UnitHandle } from '../types/unit-handle.js';
import type { UnitSpec } from '../types/unit-spec.js';
import type { VolumeTransfer } from '../types/volume-transfer.js';
import { checkImage, readNode } from './kube-checks.js';
import { call, connectKube } from './kube-client.js';
import { type KubernetesRuntimeConfig, kubernetesRuntimeConfigSchema } from './kube-config.js';
import { type KubeContext, unitOptionsOf } from './kube-context.js';
import { deploy } from './kube-deploy.js';
import { events } from './kube-events.js';
import { logs } from './kube-logs.js';
import { ANNOTATION_SPEC_HASH, DAEMON, SIDECAR } from './kube-names.js';
import { ensureNetwork, removeNetwork } from './kube-network.js';
import { toNodeInfo } from './kube-nodes.js';
import { logicalId } from './kube-observe.js';
import { inspect, list, remove, restart, stop } from './kube-ops.js';
import { listOwnedSets, OWNED_SELECTOR } from './kube-units.js';
import { ensureVolume, moveFile, putFiles } from './kube-volumes.js';

const IMAGE_REF = /^[A-Za-z0-9][A-Za-z0-9._/:@-]{0,254}$/;

/**
 * The Runtime on a Kubernetes cluster (client: @kubernetes/client-node). A unit is a one-replica
 * StatefulSet in the configured namespace (manifests.ts); placement, restarts on another node, volumes
 * and Secrets are Kubernetes' own. Every call stays in the namespace except the nodes API (read-only).
 */
export class KubernetesRuntime implements Runtime {
  readonly kind = 'kubernetes';
  private readonly ctx: KubeContext;
  private readonly streams = new Set<AbortController>();

  constructor(config: KubernetesRuntimeConfig, log?: Logger) {
    const parsed = kubernetesRuntimeConfigSchema.safeParse(config);
    if (!parsed.success)
      throw new InvalidSpecError(
        parsed.error.issues.map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`),
      );
    const resolved = parsed.data;
    this.ctx = {
      client: connectKube(resolved),
      config: resolved,
      unitOptions: unitOptionsOf(resolved),
      observe: { namespace: resolved.namespace, apiExposure: resolved.apiExposure },
      log: log ?? pino({ level: 'silent' }),
    };
  }

  async nodes(): Promise<NodeInfo[]> {
    const nodes = await call(this.ctx.client, 'list nodes', () => this.ctx.client.core.listNode());
    return nodes.items.map(toNodeInfo);
  }

  ensureNetwork(name?: string): Promise<void> {
    return ensureNetwork(this.ctx, name);
  }

  removeNetwork(name?: string): Promise<void> {
    return removeNetwork(this.ctx, name);
  }

  /**
   * The kubelet pulls images, not the runtime: with images 'node-images' an image the node does not
   * list in status.images is an ImageUnavailableError; with 'kubelet-pulls' this only checks the name.
   */
  async ensureImage(node: string, ref: string): Promise<void> {
    if (typeof ref !== 'string' || !IMAGE_REF.test(ref))
      throw new InvalidSpecError(['image: must be an image reference']);
    checkImage(this.ctx, await readNode(this.ctx, node), ref);
  }

  ensureVolume(
    node: string,
    name: string,
    unit: string,
    labels?: Readonly<Record<string, string>>,
  ): Promise<void> {
    return ensureVolume(this.ctx, node, name, unit, labels);
  }

  putFiles(node: string, volume: string, files: readonly UnitFile[]): Promise<void> {
    return putFiles(this.ctx, node, volume, files);
  }

  async moveFile(node: string, volume: string, from: string, to: string): Promise<MoveFileOutcome> {
    validateMovePaths(from, to);
    return moveFile(this.ctx, node, volume, from, to);
  }

  /**
   * A claim is bound where its pod runs and moves with it (the storage class's topology decides):
   * there is no per-node copy for the runtime to send. A drain on Kubernetes is `kubectl drain`.
   */
  async transferVolume(from: string, to: string, volume: string): Promise<VolumeTransfer> {
    throw new NotSupportedError(
      'kubernetes',
      `sending volume ${volume} from ${from} to ${to}`,
      'a claim follows its pod; drain the node with kubectl drain and let the StatefulSet move',
    );
  }

  deployUnit(spec: UnitSpec, options?: DeployOptions): Promise<UnitHandle> {
    return deploy(this.ctx, spec, options);
  }

  inspectUnit(name: string): Promise<UnitHandle> {
    return inspect(this.ctx, name);
  }

  listUnits(options?: ListOptions): Promise<UnitHandle[]> {
    return list(this.ctx, options);
  }

  stopUnit(name: string, options?: StopOptions): Promise<UnitHandle> {
    return stop(this.ctx, name, options);
  }

  restartUnit(name: string, options?: StopOptions): Promise<UnitHandle> {
    return restart(this.ctx, name, options);
  }

  removeUnit(name: string, options?: RemoveOptions): Promise<void> {
    return remove(this.ctx, name, options);
  }

  logs(name: string, options?: LogsOptions): Promise<AsyncIterable<LogChunk>> {
    return logs(this.ctx, name, options);
  }

  /**
   * Each owned set as its two logical containers, owned claims as volumes, the baseline policy as the
   * network (listed on every node: it applies to the whole namespace).
   */
  async listOwned(): Promise<OwnedResource[]> {
    const { client } = this.ctx;
    const [{ sets }, claims, policies, nodes] = await Promise.all([
      listOwnedSets(this.ctx),
      call(client, 'list claims', () =>
        client.core.listNamespacedPersistentVolumeClaim({
          namespace: client.namespace,
          labelSelector: OWNED_SELECTOR,
        }),
      ),
      call(client, 'list policies', () =>
        client.net.listNamespacedNetworkPolicy({
          namespace: client.namespace,
          labelSelector: `${OWNED_SELECTOR},${LABEL_ROLE}=network`,
        }),
      ),
      this.nodes(),
    ]);
    const out: OwnedResource[] = [];
    for (const s of sets) {
      const unit = s.metadata?.labels?.[LABEL_UNIT] ?? '';
      const node = s.metadata?.labels?.[LABEL_NODE] ?? '';
      const hash = s.spec?.template.metadata?.annotations?.[ANNOTATION_SPEC_HASH];
      for (const role of [SIDECAR, DAEMON] as const)
        out.push({
          node,
          kind: 'container',
          id: logicalId(s.metadata?.uid ?? '', role, hash),
          name: `${unit}-${role}`,
          unit,
        });
    }
    for (const c of claims.items as KubernetesObject[])
      if (isOwned(c.metadata?.labels) && !c.metadata?.deletionTimestamp)
        out.push({
          node: c.metadata?.labels?.[LABEL_NODE] ?? '',
          kind: 'volume',
          id: c.metadata?.uid ?? '',
          name: c.metadata?.name ?? '',
          unit: c.metadata?.labels?.[LABEL_UNIT] ?? '',
        });
    for (const p of policies.items)
      if (isOwned(p.metadata?.labels))
        for (const n of nodes.filter((x) => x.reachable))
          out.push({
            node: n.name,
            kind: 'network',
            id: p.metadata?.uid ?? '',
            name: p.metadata?.name ?? '',
            unit: '-',
          });
    return out;
  }

  events(options: EventsOptions = {}): AsyncIterable<RuntimeEvent> {
    const stop = new AbortController();
    this.streams.add(stop);
    options.signal?.addEventListener('abort', () => stop.abort(), { once: true });
    return events(this.ctx, { ...options, signal: stop.signal });
  }

  async close(): Promise<void> {
    for (const s of this.streams) s.abort();
    this.streams.clear();
  }
}
