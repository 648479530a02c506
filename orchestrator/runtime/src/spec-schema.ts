import { z } from 'zod';
import { InvalidSpecError } from './errors.js';
import { RESERVED_LABELS } from './labels.js';
import type { UnitSpec } from './types/unit-spec.js';

/** DNS-label-like, so the name is safe as a container name, a DNS alias and a Kubernetes name. */
export const UNIT_NAME = /^[a-z0-9][a-z0-9-]{0,46}[a-z0-9]$/;
const NODE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
const IMAGE_REF = /^[A-Za-z0-9][A-Za-z0-9._/:@-]{0,254}$/;
const NETWORK_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
const LABEL_KEY = /^[a-z0-9][a-z0-9._/-]{0,127}$/;
const port = z.number().int().min(1).max(65535);
const noNul = z.string().refine((s) => !s.includes('\0'), 'must not contain NUL');

const relativeOrMountPath = z
  .string()
  .min(1)
  .max(1024)
  .refine((p) => !p.includes('\0'), 'must not contain NUL')
  .refine((p) => !p.split('/').includes('..'), 'must not contain ..');

const absoluteDir = z
  .string()
  .regex(/^\/[A-Za-z0-9._/-]*$/, 'must be an absolute path')
  .refine((p) => p !== '/' && !p.split('/').includes('..'), 'must be a directory below /');

const fileSchema = z
  .object({
    path: relativeOrMountPath,
    content: z.union([z.string(), z.instanceof(Uint8Array)]),
    mode: z.number().int().min(0).max(0o7777).optional(),
    uid: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31)
      .optional(),
    gid: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31)
      .optional(),
  })
  .strict();

const containerSchema = {
  image: z.string().regex(IMAGE_REF, 'must be an image reference'),
  cmd: z.array(noNul.max(4096)).max(256).optional(),
  env: z
    .array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*=[^\0]*$/, 'must be KEY=value'))
    .max(64)
    .optional(),
  workdir: z
    .string()
    .regex(/^\/[A-Za-z0-9._/-]*$/, 'must be an absolute path')
    .refine((p) => !p.split('/').includes('..'), 'must not contain ..')
    .optional(),
};

// Keys are checked in superRefine: zod reports a bad record key only as "Invalid key in record".
const labels = z.record(
  z.string(),
  z
    .string()
    .max(256)
    .regex(/^[^\n\r\0]*$/, 'label values are one line'),
);

export const unitSpecSchema = z
  .object({
    name: z
      .string()
      .regex(UNIT_NAME, 'must be 2-48 of a-z 0-9 -, starting and ending with a letter or digit'),
    node: z.string().regex(NODE_NAME, 'must be a node name'),
    network: z.string().regex(NETWORK_NAME, 'must be a network name').optional(),
    labels: labels.optional(),
    sidecar: z.object({ ...containerSchema, port: port.optional(), hostPort: port }).strict(),
    daemon: z.object(containerSchema).strict(),
    ports: z
      .array(z.object({ container: port, host: port, protocol: z.enum(['tcp', 'udp']).optional() }).strict())
      .max(16)
      .optional(),
    volume: z
      .object({
        name: z.string().regex(NETWORK_NAME, 'must be a volume name').optional(),
        mountPath: absoluteDir.optional(),
      })
      .strict()
      .optional(),
    mounts: z
      .array(
        z
          .object({
            volume: z.string().regex(NETWORK_NAME, 'must be a volume name'),
            path: absoluteDir,
            readOnly: z.boolean().optional(),
          })
          .strict(),
      )
      .max(8)
      .optional(),
    files: z.array(fileSchema).max(256).optional(),
    stopTimeoutSec: z.number().int().min(1).max(3600).optional(),
    memoryBytes: z
      .number()
      .int()
      .min(6 * 1024 * 1024)
      .optional(),
    cpus: z.number().positive().max(1024).optional(),
    restart: z.enum(['no', 'on-failure', 'unless-stopped', 'always']).optional(),
    logs: z
      .object({
        maxSizeMb: z.number().int().min(1).max(1024).optional(),
        maxFiles: z.number().int().min(1).max(100).optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((spec, ctx) => {
    for (const key of Object.keys(spec.labels ?? {})) {
      if (!LABEL_KEY.test(key))
        ctx.addIssue({
          code: 'custom',
          path: ['labels', key],
          message: 'label keys are lowercase a-z 0-9 . _ / -',
        });
      else if (RESERVED_LABELS.includes(key))
        ctx.addIssue({ code: 'custom', path: ['labels', key], message: 'is reserved for ownership' });
    }
    // Two mappings of one host port would make the second bind fail half-way through a deploy.
    const seen = new Map<string, string>();
    const mappings = [
      { host: spec.sidecar.hostPort, protocol: 'tcp', field: 'sidecar.hostPort' },
      ...(spec.ports ?? []).map((p, i) => ({
        host: p.host,
        protocol: p.protocol ?? 'tcp',
        field: `ports.${i}.host`,
      })),
    ];
    for (const m of mappings) {
      const key = `${m.host}/${m.protocol}`;
      const other = seen.get(key);
      if (other) ctx.addIssue({ code: 'custom', path: m.field.split('.'), message: `duplicates ${other}` });
      else seen.set(key, m.field);
    }
    // Below the data volume's path is fine (the engine mounts it over the volume: $HOME/.zcash-params in
    // a unit whose HOME is the volume); at or above it, the mount would hide the data volume.
    const dataPath = (spec.volume?.mountPath ?? '/data').replace(/\/+$/, '');
    const dataVolume = spec.volume?.name ?? `${spec.name}-data`;
    const paths = new Set<string>();
    (spec.mounts ?? []).forEach((m, i) => {
      const path = m.path.replace(/\/+$/, '');
      const nested = (a: string, b: string) => a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
      if (path === dataPath || dataPath.startsWith(`${path}/`))
        ctx.addIssue({
          code: 'custom',
          path: ['mounts', i, 'path'],
          message: `hides the data volume at ${dataPath}`,
        });
      else if ([...paths].some((p) => nested(path, p)))
        ctx.addIssue({ code: 'custom', path: ['mounts', i, 'path'], message: 'overlaps another mount' });
      paths.add(path);
      if (m.volume === dataVolume)
        ctx.addIssue({ code: 'custom', path: ['mounts', i, 'volume'], message: "is the unit's data volume" });
    });
    const sidecarPort = spec.sidecar.port ?? 8080;
    (spec.ports ?? []).forEach((p, i) => {
      if (p.container === sidecarPort && (p.protocol ?? 'tcp') === 'tcp')
        ctx.addIssue({ code: 'custom', path: ['ports', i, 'container'], message: 'is the sidecar API port' });
    });
  });

/** Validates a spec; the error lists each bad field and why. Returns the spec as given (no defaults). */
export function validateUnitSpec(raw: unknown): UnitSpec {
  const result = unitSpecSchema.safeParse(raw);
  if (!result.success) {
    throw new InvalidSpecError(
      result.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(spec)'}: ${i.message}`),
    );
  }
  return raw as UnitSpec;
}

/** For arguments that are unit names (inspect, stop, remove). */
export function validateUnitName(name: unknown): string {
  if (typeof name !== 'string' || !UNIT_NAME.test(name)) {
    throw new InvalidSpecError([
      `name: must be 2-48 of a-z 0-9 -, got ${JSON.stringify(name)?.slice(0, 60)}`,
    ]);
  }
  return name;
}

export function validateResourceName(field: string, name: unknown): string {
  if (typeof name !== 'string' || !NETWORK_NAME.test(name)) {
    throw new InvalidSpecError([`${field}: must be 1-63 of A-Z a-z 0-9 _ . -`]);
  }
  return name;
}

const VOLUME_PATH = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;

/** moveFile's paths: both inside the volume, and not the same file. */
export function validateMovePaths(from: unknown, to: unknown): void {
  validateVolumePath('from', from);
  validateVolumePath('to', to);
  if (from === to) throw new InvalidSpecError(['to: must differ from from']);
}

/** A path relative to a volume's root that cannot leave it: no leading `/`, no `.`/`..` segment. */
export function validateVolumePath(field: string, path: unknown): string {
  const ok =
    typeof path === 'string' &&
    path.length <= 255 &&
    VOLUME_PATH.test(path) &&
    path.split('/').every((seg) => seg !== '.' && seg !== '..');
  if (!ok)
    throw new InvalidSpecError([
      `${field}: must be a relative path of A-Z a-z 0-9 . _ - segments, no . or .., at most 255 characters`,
    ]);
  return path;
}
