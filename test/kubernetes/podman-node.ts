import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { claim } from '@nn/testkit';
import type { IService } from 'kubernetes-models/v1/Service';
import { loadImages, podman, removePodmanObjects, requirePodman } from './podman-cli.js';
import { PlayedPod } from './podman-play.js';
import { type KubeObject, podForPodman, servicesOf } from './podman-pod.js';

/** The project's images the node's pods run, copied from the Docker engine into podman. */
export const POD_IMAGES = [
  'nn/devchain:0.1.0',
  'nn/chain-sidecar:0.1.0',
  'nn/deviguana:0.1.0',
  'nn/iguana-sidecar:0.1.0',
];

/**
 * The pods of one node, played one after the other on a podman network of their own, every name
 * under `prefix` (pods, volumes, the network; the Secret volumes' directories under a claimed temporary
 * dir). Each pod sees the Services of the pods played before it (see podForPodman).
 */
export class PodmanNode {
  readonly dir: string;
  readonly network: string;
  readonly pods = new Map<string, PlayedPod>();
  private readonly played: { ip: string; labels: Record<string, string> }[] = [];
  private readonly services: IService[] = [];

  constructor(
    readonly prefix: string,
    readonly namespace: string,
  ) {
    this.dir = join(tmpdir(), `${prefix}pods`);
    this.network = `${prefix}net`;
  }

  /** Podman checked, a killed run's leftovers and this prefix's removed, images loaded, the network made. */
  async setUp(): Promise<void> {
    await requirePodman();
    claim({ kind: 'dir', path: this.dir });
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    await removePodmanObjects({ deadRuns: true, prefixes: [this.prefix] });
    await loadImages(POD_IMAGES);
    await podman(['network', 'create', this.network]);
  }

  /** Removes every pod, volume and network of the prefix, and the directory. */
  async tearDown(): Promise<void> {
    await removePodmanObjects({ prefixes: [this.prefix] });
    rmSync(this.dir, { recursive: true, force: true });
  }

  /**
   * Plays a unit: its StatefulSet and the Secrets it names (`objects`), its Services known from now on;
   * started in the kubelet's order. `atGate` runs once the sidecars are up, before the daemon starts.
   */
  async play(objects: readonly KubeObject[], atGate?: (pod: PlayedPod) => Promise<void>): Promise<PlayedPod> {
    this.services.push(...servicesOf(objects));
    const converted = podForPodman({
      objects,
      hostRoot: this.dir,
      played: this.played,
      services: this.services,
      namespace: this.namespace,
    });
    const pod = await PlayedPod.create(converted, this.network, this.dir);
    this.pods.set(converted.name, pod);
    await pod.start(atGate ? () => atGate(pod) : undefined);
    this.played.push({ ip: await pod.ip(), labels: { ...converted.pod.metadata?.labels } });
    return pod;
  }
}

/** GET a sidecar API path with a bearer token, at the pod's address (as the orchestrator in-cluster). */
export async function sidecarGet(pod: PlayedPod, path: string, token: string): Promise<unknown> {
  const res = await fetch(`http://${await pod.ip()}:8080${path}`, {
    headers: { authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(10_000),
  });
  if (res.status !== 200) throw new Error(`GET ${path} of ${pod.name}: ${res.status} ${await res.text()}`);
  return res.json();
}
