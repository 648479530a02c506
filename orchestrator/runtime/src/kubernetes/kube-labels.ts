import { DEFAULT_SIDECAR_PORT } from '../docker/unit-layout.js';
import { LABEL_API_PORT, LABEL_NODE, LABEL_OWNER, LABEL_UNIT, LABEL_VOLUME, OWNER } from '../labels.js';
import type { UnitSpec } from '../types/unit-spec.js';
import { APP_INSTANCE, APP_MANAGED_BY, dataClaimName } from './kube-names.js';

/**
 * Ownership labels, the Docker adapter's keys plus the well-known `app.kubernetes.io/managed-by`. As
 * there, a resource is ours only with `nn.managed-by` and `nn.unit` (isOwned); the app.* keys are for
 * kubectl and dashboards.
 */
export function ownerLabels(unit: string): Record<string, string> {
  return { [LABEL_OWNER]: OWNER, [LABEL_UNIT]: unit, [APP_MANAGED_BY]: OWNER, [APP_INSTANCE]: unit };
}

/** What selects a unit's pod: set once at create time (a StatefulSet's selector is immutable). */
export function selectorLabels(unit: string): Record<string, string> {
  return { [LABEL_OWNER]: OWNER, [LABEL_UNIT]: unit };
}

/** Labels of every object of the unit: the spec's own, then ownership (which the spec cannot override). */
export function unitLabels(spec: UnitSpec): Record<string, string> {
  return {
    ...(spec.labels ?? {}),
    ...ownerLabels(spec.name),
    [LABEL_NODE]: spec.node,
    [LABEL_API_PORT]: String(spec.sidecar.port ?? DEFAULT_SIDECAR_PORT),
    [LABEL_VOLUME]: dataClaimName(spec),
  };
}
