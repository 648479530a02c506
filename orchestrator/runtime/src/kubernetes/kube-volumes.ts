import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { PersistentVolumeClaim, Pod, Secret } from 'kubernetes-models/v1';
import { volumePath } from '../docker/tar.js';
import { EngineError, InvalidSpecError, VolumeNotFoundError } from '../errors.js';
import { LABEL_NODE, LABEL_ROLE } from '../labels.js';
import { MOVE_OUTCOMES, moveScript } from '../move-file-script.js';
import { validateUnitName } from '../spec-schema.js';
import type { MoveFileOutcome } from '../types/move-file.js';
import type { UnitFile } from '../types/unit-file.js';
import { assertOwned, deleteOwned, readObject } from './kube-apply.js';
import { readNode } from './kube-checks.js';
import { call } from './kube-client.js';
import type { KubeContext } from './kube-context.js';
import { ownerLabels } from './kube-labels.js';
import { DEFAULT_DATA_SIZE } from './kube-options.js';
import { FILES_SCRIPT } from './kube-pod.js';
import type { PodLike } from './kube-shapes.js';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

function claimName(name: unknown): string {
  if (typeof name !== 'string' || !DNS_LABEL.test(name))
    throw new InvalidSpecError(['volume: a claim name here is a DNS label (a-z 0-9 -, at most 63)']);
  return name;
}

/**
 * ensureVolume: a PersistentVolumeClaim of the runtime's storage class and default size, labelled for
 * `unit`. Claims are namespace-wide: `node` must be a node of the cluster and is recorded, but where
 * the volume lives is the storage class's business.
 */
export async function ensureVolume(
  ctx: KubeContext,
  node: string,
  name: unknown,
  unit: unknown,
  labels: Readonly<Record<string, string>> = {},
): Promise<void> {
  const claim = claimName(name);
  const owner = validateUnitName(unit);
  await readNode(ctx, node);
  const existing = await readObject(ctx.client, 'v1', 'PersistentVolumeClaim', claim);
  assertOwned(existing, undefined, node);
  if (existing) return;
  const className = ctx.config.storage.className;
  const body = new PersistentVolumeClaim({
    metadata: {
      name: claim,
      namespace: ctx.client.namespace,
      labels: { ...labels, ...ownerLabels(owner), [LABEL_NODE]: node },
    },
    spec: {
      accessModes: ['ReadWriteOnce'],
      ...(className ? { storageClassName: className } : {}),
      resources: { requests: { storage: ctx.config.storage.size ?? DEFAULT_DATA_SIZE } },
    },
  });
  body.validate();
  await call(ctx.client, `create claim ${claim}`, () => ctx.client.objects.create(body.toJSON()));
}

interface HelperRun {
  readonly claim: string;
  readonly unit: string;
  readonly node: string;
  readonly command: readonly string[];
  readonly uid: number;
  readonly gid: number;
  /** Files for /nn/files (a Secret made for the run), keys f0, f1, ... */
  readonly files?: readonly UnitFile[];
}

function helperObjects(ctx: KubeContext, run: HelperRun) {
  const id = `${run.claim.slice(0, 40)}-helper-${randomBytes(3).toString('hex')}`;
  const labels = { ...ownerLabels(run.unit), [LABEL_ROLE]: 'helper' };
  const files = run.files ?? [];
  const secret = files.length
    ? new Secret({
        metadata: { name: id, namespace: ctx.client.namespace, labels },
        data: Object.fromEntries(files.map((f, i) => [`f${i}`, Buffer.from(f.content).toString('base64')])),
      })
    : null;
  const pod = new Pod({
    metadata: { name: id, namespace: ctx.client.namespace, labels },
    spec: {
      restartPolicy: 'Never',
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      securityContext: { runAsNonRoot: true, fsGroup: run.gid, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        {
          name: 'helper',
          image: ctx.config.helperImage,
          imagePullPolicy: 'IfNotPresent',
          command: [...run.command],
          securityContext: {
            runAsUser: run.uid,
            runAsGroup: run.gid,
            allowPrivilegeEscalation: false,
            capabilities: { drop: ['ALL'] },
          },
          volumeMounts: [
            { name: 'v', mountPath: '/v' },
            ...(secret ? [{ name: 'files', mountPath: '/nn/files', readOnly: true }] : []),
          ],
        },
      ],
      volumes: [
        { name: 'v', persistentVolumeClaim: { claimName: run.claim } },
        ...(secret ? [{ name: 'files', secret: { secretName: id, defaultMode: 0o440 } }] : []),
      ],
    },
  });
  secret?.validate();
  pod.validate();
  return { id, secret, pod };
}

/**
 * Runs a one-shot pod of the helper image on the claim (mounted at /v) and returns its exit code.
 * Pod and Secret are deleted whatever happens. A claim bound ReadWriteOnce to a running unit's node
 * must be reachable from where the helper is scheduled: on multi-node storage, stop the unit first.
 */
async function runHelper(ctx: KubeContext, run: HelperRun): Promise<number> {
  const { id, secret, pod } = helperObjects(ctx, run);
  try {
    if (secret)
      await call(ctx.client, `create helper Secret ${id}`, () => ctx.client.objects.create(secret.toJSON()));
    await call(ctx.client, `create helper pod ${id}`, () => ctx.client.objects.create(pod.toJSON()));
    const deadline = Date.now() + ctx.config.readyTimeoutSec * 1000;
    for (;;) {
      const p = (await readObject(ctx.client, 'v1', 'Pod', id)) as PodLike | null;
      const ended = p?.status?.containerStatuses?.[0]?.state?.terminated;
      if (ended && (p?.status?.phase === 'Succeeded' || p?.status?.phase === 'Failed')) return ended.exitCode;
      if (!p || Date.now() > deadline)
        throw new EngineError(
          ctx.client.name,
          `helper on ${run.claim}`,
          new Error(`helper pod ${p?.status?.phase ?? 'gone'}`),
        );
      await sleep(1000);
    }
  } finally {
    await deleteOwned(ctx.client, 'v1', 'Pod', id, run.unit, 0).catch(() => undefined);
    await deleteOwned(ctx.client, 'v1', 'Secret', id, run.unit).catch(() => undefined);
  }
}

/** The owned claim of a volume argument, or VolumeNotFoundError / NotOwnedError. */
async function ownedClaim(ctx: KubeContext, node: string, volume: unknown) {
  const claim = claimName(volume);
  const existing = await readObject(ctx.client, 'v1', 'PersistentVolumeClaim', claim);
  if (!existing) throw new VolumeNotFoundError(claim, node);
  assertOwned(existing, undefined, node);
  return { claim, unit: existing.metadata?.labels?.['nn.unit'] ?? '' };
}

/**
 * putFiles: a helper pod copies the files (from a Secret) into the claim with their modes, as the
 * files' uid (one owner per call, as in UnitSpec.files), by the files step's script.
 */
export async function putFiles(
  ctx: KubeContext,
  node: string,
  volume: unknown,
  files: readonly UnitFile[],
): Promise<void> {
  const { claim, unit } = await ownedClaim(ctx, node, volume);
  if (!files.length) return;
  const owners = new Set(files.map((f) => `${f.uid ?? 10001}:${f.gid ?? f.uid ?? 10001}`));
  if (owners.size > 1)
    throw new InvalidSpecError(['files: not supported on kubernetes: files of one call have one owner']);
  const args = files.flatMap((f, i) => [
    `/nn/files/f${i}`,
    (f.mode ?? 0o600).toString(8),
    `/v/${volumePath(f.path, '/')}`,
  ]);
  const uid = files[0]?.uid ?? 10001;
  const code = await runHelper(ctx, {
    claim,
    unit,
    node,
    command: ['sh', '-c', FILES_SCRIPT, 'files', ...args],
    uid,
    gid: files[0]?.gid ?? uid,
    files,
  });
  if (code !== 0)
    throw new EngineError(ctx.client.name, `put files into ${claim}`, new Error(`exit ${code}`));
}

/** moveFile through a helper pod (uid 10001, the images' user: mv keeps the file's owner and mode). */
export async function moveFile(
  ctx: KubeContext,
  node: string,
  volume: unknown,
  from: string,
  to: string,
): Promise<MoveFileOutcome> {
  const { claim, unit } = await ownedClaim(ctx, node, volume);
  const code = await runHelper(ctx, {
    claim,
    unit,
    node,
    command: ['sh', '-c', moveScript('/v'), 'move', from, to],
    uid: 10001,
    gid: 10001,
  });
  const outcome = MOVE_OUTCOMES[code];
  if (!outcome) throw new EngineError(ctx.client.name, `move a file in ${claim}`, new Error(`exit ${code}`));
  return outcome;
}
