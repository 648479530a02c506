/**
 * Ownership labels. The project's images themselves carry `nn.managed-by` (images/*.Dockerfile), and
 * containers inherit image labels, so that label alone proves nothing: a resource is ours only when it
 * also carries `nn.unit` with the unit's own name, which only the runtime sets at create time.
 */
export const OWNER = 'notary-control-plane';
export const LABEL_OWNER = 'nn.managed-by';
export const LABEL_UNIT = 'nn.unit';
/** sidecar | daemon | helper | network */
export const LABEL_ROLE = 'nn.role';
/** Hash of the spec a container was made from: a different hash means "wrong config, replace". */
export const LABEL_SPEC_HASH = 'nn.spec-hash';
export const LABEL_NODE = 'nn.node';
/** The sidecar API's port inside the unit (the endpoint is the host port bound to it). */
export const LABEL_API_PORT = 'nn.api-port';
/** The unit's data volume. */
export const LABEL_VOLUME = 'nn.volume';
/** Unit-level helper containers (file copies) and networks are ours by this value of nn.unit. */
export const INFRA_UNIT = '-';

export const RESERVED_LABELS: readonly string[] = [
  LABEL_OWNER,
  LABEL_UNIT,
  LABEL_ROLE,
  LABEL_SPEC_HASH,
  LABEL_NODE,
  LABEL_API_PORT,
  LABEL_VOLUME,
];

export type Labels = Readonly<Record<string, string>>;

/** True when the labels prove the runtime made this resource for `unit` (any unit when undefined). */
export function isOwned(labels: Labels | null | undefined, unit?: string): boolean {
  if (!labels || labels[LABEL_OWNER] !== OWNER) return false;
  const u = labels[LABEL_UNIT];
  if (u === undefined || u === '') return false;
  return unit === undefined || u === unit;
}
