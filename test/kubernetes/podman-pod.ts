import type { IStatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import type { IContainer } from 'kubernetes-models/v1/Container';
import { type IPod, Pod } from 'kubernetes-models/v1/Pod';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import type { IService } from 'kubernetes-models/v1/Service';
import type { IVolume } from 'kubernetes-models/v1/Volume';

// The one Pod a StatefulSet of one replica makes, in a form podman 4.3's `kube play` runs as the
// kubelet would. Only what podman cannot do is changed, each change named in `adapted`:
// - a native sidecar (an init container with `restartPolicy: Always`) becomes an ordinary container,
//   first in the list: podman runs init containers once, to completion. Its start order and the
//   startupProbe gate before the main containers are the kubelet's: PlayedPod does them;
// - probes are taken out and kept here: podman 4.3 turns only a liveness probe into a healthcheck (with
//   curl, absent from the images) and runs none without systemd; PlayedPod evaluates them itself;
// - a Secret volume becomes a read-only hostPath directory holding the files the kubelet would project
//   (keys or `items`, data decoded, stringData merged, defaultMode/mode, fsGroup as group with group
//   read): podman 4.3 plays a Secret volume with its data still base64-encoded, stringData dropped
//   and modes ignored (seen here);
// - a volumeClaimTemplate becomes the claim the StatefulSet controller would make,
//   `<template>-<statefulset>-0`, which podman plays as a podman volume (no storage class or size);
// - the pod's restartPolicy becomes Never: podman 4.3 applies it to init containers as well, and
//   under Always re-ran the files step endlessly (seen here); restarts are the kubelet's, not proven;
// - Services become hostAliases: podman has no cluster DNS (no dnsname plugin in Debian's podman), so
//   each name a Service of an already played pod has in the namespace maps to that pod's address;
// - a pod annotation whose value is over 63 characters is left out (podman 4.3 refuses it, as if it
//   were a label; the chart's checksum/files is one);
// - a containerPort without hostPort is left out: podman 4.3 publishes it on the host's same port
//   (Kubernetes only documents it; the pod's address serves it either way).

/** Any Kubernetes object as the adapter's builder returns it (its JSON form). */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string };
  readonly [key: string]: unknown;
}

/** A file of a Secret volume as the kubelet projects it. */
export interface ProjectedFile {
  readonly path: string;
  readonly content: Buffer;
  readonly mode: number;
  readonly gid: number;
}

export interface PodForPodman {
  readonly pod: IPod;
  readonly name: string;
  /** Plain init containers, run to completion first, in order. */
  readonly init: readonly string[];
  /** Containers that were native sidecars, in start order. */
  readonly sidecars: readonly string[];
  /** The main containers. */
  readonly main: readonly string[];
  readonly probes: Readonly<
    Record<string, { startup?: IProbe; readiness?: IProbe; liveness?: IProbe; ports: IContainer['ports'] }>
  >;
  /** terminationGracePeriodSeconds (the kubelet's default 30 when absent). */
  readonly graceSec: number;
  /** Host directories (under `hostRoot`) to fill before playing, one per Secret volume. */
  readonly secretDirs: ReadonlyArray<{ readonly dir: string; readonly files: readonly ProjectedFile[] }>;
  /** The podman volumes the pod's claims become (made by kube play, removed by the test). */
  readonly claims: readonly string[];
  /** What was changed for podman, and why. */
  readonly adapted: readonly string[];
}

export interface PodOptions {
  /** The unit's objects: one StatefulSet and the Secrets its volumes name (other kinds are ignored here). */
  readonly objects: readonly KubeObject[];
  /** Where the Secret volumes' directories are made on the host. */
  readonly hostRoot: string;
  /** Addresses of pods already played, with their labels, for the Services that select them. */
  readonly played: ReadonlyArray<{ readonly ip: string; readonly labels: Readonly<Record<string, string>> }>;
  /** Every Service of the node (all units'), for the names the pod may call. */
  readonly services: readonly IService[];
  readonly namespace: string;
}

const one = <T>(xs: readonly T[], what: string): T => {
  const [x, ...rest] = xs;
  if (x === undefined || rest.length > 0) throw new Error(`expected one ${what}, got ${xs.length}`);
  return x;
};

export function podForPodman(o: PodOptions): PodForPodman {
  const sts = one(
    o.objects.filter((x) => x.kind === 'StatefulSet'),
    'StatefulSet',
  ) as unknown as IStatefulSet;
  const stsName = sts.metadata?.name ?? '';
  if ((sts.spec?.replicas ?? 1) !== 1) throw new Error(`${stsName}: a unit is one replica`);
  const template = sts.spec?.template;
  const spec = template?.spec;
  if (!spec) throw new Error(`${stsName}: no pod template`);
  const name = `${stsName}-0`;
  const adapted: string[] = [];
  const init = spec.initContainers ?? [];
  const native = init.filter((c) => c.restartPolicy === 'Always');
  const plainInit = init.filter((c) => c.restartPolicy !== 'Always');
  const firstNative = init.findIndex((c) => c.restartPolicy === 'Always');
  if (firstNative >= 0 && init.slice(firstNative).some((c) => c.restartPolicy !== 'Always'))
    throw new Error(`${stsName}: an init container after a native sidecar cannot be ordered by podman`);
  if (native.length > 0)
    adapted.push(`native sidecars ${native.map((c) => c.name).join(', ')} → first ordinary containers`);
  const probes: Record<string, PodForPodman['probes'][string]> = {};
  const strip = (c: IContainer) => forPodman(c, probes, adapted);
  const secrets = o.objects.filter((x) => x.kind === 'Secret') as unknown as ISecret[];
  const { volumes, secretDirs } = secretVolumes(spec.volumes ?? [], secrets, o.hostRoot, name, {
    fsGroup: spec.securityContext?.fsGroup,
    adapted,
  });
  const claims = (sts.spec?.volumeClaimTemplates ?? []).map((t) => {
    const claim = `${t.metadata?.name}-${stsName}-0`;
    adapted.push(`volumeClaimTemplate ${t.metadata?.name} → podman volume ${claim} (no class, no size)`);
    return { name: t.metadata?.name ?? '', claim };
  });
  // Claims the template names itself (PersistentVolumeClaim objects of their own) are podman volumes too.
  const named = (spec.volumes ?? []).flatMap((v) =>
    v.persistentVolumeClaim ? [v.persistentVolumeClaim.claimName] : [],
  );
  for (const c of named)
    adapted.push(`PersistentVolumeClaim ${c} → podman volume ${c} (no class, size or access mode)`);
  const hostAliases = aliasesFor(o);
  if (hostAliases.length > 0)
    adapted.push(`Services → hostAliases ${hostAliases.map((a) => a.ip).join(', ')}`);
  const { initContainers: _init, ...podSpec } = spec;
  if (spec.restartPolicy !== 'Never')
    adapted.push(
      `restartPolicy ${spec.restartPolicy ?? 'Always'} → Never (podman would re-run the init steps)`,
    );
  const pod: IPod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: o.namespace,
      labels: { ...template.metadata?.labels, 'statefulset.kubernetes.io/pod-name': name },
      ...annotationsFor(template.metadata?.annotations ?? {}, adapted),
    },
    spec: {
      ...podSpec,
      // podman 4.3 gives the pod's restart policy to its init containers too: under Always it ran the
      // files step again and again (seen here). The kubelet's restarts are not what is played here.
      restartPolicy: 'Never',
      hostname: name,
      ...(plainInit.length > 0 ? { initContainers: plainInit.map(strip) } : {}),
      containers: [...native.map(strip), ...spec.containers.map(strip)],
      volumes: [
        ...volumes,
        ...claims.map((c) => ({ name: c.name, persistentVolumeClaim: { claimName: c.claim } })),
      ],
      ...(hostAliases.length > 0 ? { hostAliases: [...(spec.hostAliases ?? []), ...hostAliases] } : {}),
    },
  };
  // The converted pod is still a valid Kubernetes Pod (the schema of kubernetes-models).
  new Pod(pod).validate();
  return {
    pod,
    name,
    init: plainInit.map((c) => c.name),
    sidecars: native.map((c) => c.name),
    main: spec.containers.map((c) => c.name),
    probes,
    graceSec: spec.terminationGracePeriodSeconds ?? 30,
    secretDirs,
    claims: [...claims.map((c) => c.claim), ...named],
    adapted,
  };
}

/** The pod's annotations but those podman 4.3 refuses (it holds their values to a label's 63 characters). */
function annotationsFor(all: Record<string, string>, adapted: string[]) {
  const long = Object.keys(all).filter((k) => (all[k] ?? '').length > 63);
  if (long.length > 0)
    adapted.push(`annotations ${long.join(', ')} left out (podman 4.3 refuses values over 63)`);
  const kept = Object.fromEntries(Object.entries(all).filter(([k]) => !long.includes(k)));
  return Object.keys(kept).length > 0 ? { annotations: kept } : {};
}

/** A container without what podman 4.3 would play otherwise than the kubelet (its probes kept aside). */
function forPodman(
  c: IContainer,
  probes: Record<string, PodForPodman['probes'][string]>,
  adapted: string[],
): IContainer {
  const { startupProbe, readinessProbe, livenessProbe, restartPolicy: _r, ports, ...rest } = c;
  probes[c.name] = {
    ...(startupProbe ? { startup: startupProbe } : {}),
    ...(readinessProbe ? { readiness: readinessProbe } : {}),
    ...(livenessProbe ? { liveness: livenessProbe } : {}),
    ports,
  };
  if (startupProbe || readinessProbe || livenessProbe)
    adapted.push(`${c.name}: probes evaluated by the test`);
  const published = (ports ?? []).filter((p) => p.hostPort !== undefined);
  if (published.length < (ports ?? []).length)
    adapted.push(`${c.name}: containerPorts without hostPort left out (podman 4.3 would publish them)`);
  return published.length > 0 ? { ...rest, ports: published } : rest;
}

function secretVolumes(
  volumes: readonly IVolume[],
  secrets: readonly ISecret[],
  hostRoot: string,
  pod: string,
  ctx: { fsGroup: number | undefined; adapted: string[] },
) {
  const secretDirs: { dir: string; files: ProjectedFile[] }[] = [];
  const out = volumes.map((v): IVolume => {
    if (!v.secret) return v;
    const secret = secrets.find((s) => s.metadata?.name === v.secret?.secretName);
    if (!secret)
      throw new Error(`volume ${v.name}: Secret ${v.secret.secretName} is not among the unit's objects`);
    const data: Record<string, Buffer> = {};
    for (const [k, b64] of Object.entries(secret.data ?? {})) data[k] = Buffer.from(b64, 'base64');
    for (const [k, s] of Object.entries(secret.stringData ?? {})) data[k] = Buffer.from(s, 'utf8');
    const fallback = v.secret.defaultMode ?? 0o644;
    const items = v.secret.items ?? Object.keys(data).map((key) => ({ key, path: key }));
    const files = items.map((it): ProjectedFile => {
      const content = data[it.key];
      if (content === undefined) throw new Error(`volume ${v.name}: Secret has no key ${it.key}`);
      const mode =
        ('mode' in it && typeof it.mode === 'number' ? it.mode : fallback) | (ctx.fsGroup ? 0o440 : 0);
      return { path: it.path, content, mode, gid: ctx.fsGroup ?? 0 };
    });
    const dir = `${hostRoot}/${pod}-${v.name}`;
    secretDirs.push({ dir, files });
    ctx.adapted.push(`Secret volume ${v.name} → read-only hostPath ${dir} with the projected files`);
    return { name: v.name, hostPath: { path: dir, type: 'Directory' } };
  });
  return { volumes: out, secretDirs };
}

/** Each name a Service has in the namespace, pointing at the played pod it selects. */
function aliasesFor(o: PodOptions): { ip: string; hostnames: string[] }[] {
  const out: { ip: string; hostnames: string[] }[] = [];
  for (const svc of o.services) {
    const selector = svc.spec?.selector;
    const n = svc.metadata?.name;
    if (!selector || !n) continue;
    for (const port of svc.spec?.ports ?? [])
      if (
        port.targetPort !== undefined &&
        port.targetPort !== port.port &&
        typeof port.targetPort === 'number'
      )
        throw new Error(
          `Service ${n}: port ${port.port} → ${port.targetPort} cannot be remapped by an alias`,
        );
    const target = o.played.find((p) => Object.entries(selector).every(([k, v]) => p.labels[k] === v));
    if (!target) continue;
    const ns = o.namespace;
    out.push({
      ip: target.ip,
      hostnames: [n, `${n}.${ns}`, `${n}.${ns}.svc`, `${n}.${ns}.svc.cluster.local`],
    });
  }
  return out;
}

/** The Services among a unit's objects. */
export const servicesOf = (objects: readonly KubeObject[]): IService[] =>
  objects.filter((x) => x.kind === 'Service') as unknown as IService[];
