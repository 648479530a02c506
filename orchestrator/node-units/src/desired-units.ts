import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PermanentError } from '@nn/orchestrator-core';
import type { UnitSpec } from '@nn/runtime';
import {
  type BaseUnitsLayout,
  iguanaUnitSpec,
  kmdUnitSpec,
  ltcUnitSpec,
  unitNames,
} from './base-unit-specs.js';
import { loadNodeSecrets } from './node-secrets.js';

// The node's own units as desired state: what `nnctl up` deployed, recorded in Redis so the workers can
// bring a unit back (same spec, same spec hash: the runtime then finishes or restarts it) without an
// operator. The document is the layout the unit specs are pure functions of, plus the secrets dir they
// read the node's secrets from: no secret is in it.

export const NODE_UNITS_VERSION = 1;

/** The roles in dependency order: KMD's bridge needs the destination's sidecar, Iguana's needs both. */
export const NODE_UNIT_ROLES = ['destination', 'main', 'iguana'] as const;
export type NodeUnitRole = (typeof NODE_UNIT_ROLES)[number];

type Check = readonly [path: string, ok: (v: unknown) => boolean, reason: string];

const at = (doc: unknown, path: string): unknown =>
  path
    .split('.')
    .reduce<unknown>(
      (v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined),
      doc,
    );
const isInt = (v: unknown) => Number.isInteger(v);
const isText = (v: unknown) => typeof v === 'string' && v.length > 0;
const isDaemon = (role: string, nullable: boolean) => (v: unknown) =>
  (nullable && v === null) ||
  (!!v &&
    typeof v === 'object' &&
    (v as { role?: unknown }).role === role &&
    Array.isArray((v as { args?: unknown }).args));

/** What the specs read, checked field by field (the daemons were checked against the network file by `up`). */
const CHECKS: readonly Check[] = [
  ['version', (v) => v === NODE_UNITS_VERSION, `must be ${NODE_UNITS_VERSION}`],
  ['secretsDir', (v) => typeof v === 'string' && v.startsWith('/'), 'must be an absolute path'],
  [
    'layout.prefix',
    (v) => typeof v === 'string' && /^[a-z0-9][a-z0-9-]{0,40}$/.test(v),
    'must be a unit name prefix',
  ],
  ['layout.node', isText, 'must be a node name'],
  ['layout.ports.ltc', isInt, 'must be a port'],
  ['layout.ports.kmd', isInt, 'must be a port'],
  ['layout.ports.iguana', isInt, 'must be a port'],
  ['layout.images.kmdDaemon', isText, 'must be an image'],
  ['layout.images.chainSidecar', isText, 'must be an image'],
  ['layout.daemons.destination', isDaemon('destination', true), 'must be a destination daemon or null'],
  ['layout.daemons.main', isDaemon('main', false), 'must be a main daemon'],
  ['layout.daemons.iguana', isDaemon('iguana', true), 'must be an Iguana daemon or null'],
  ['layout.stopTimeoutSec', isInt, 'must be a whole number of seconds'],
];

export interface NodeUnitsDesired {
  readonly version: typeof NODE_UNITS_VERSION;
  readonly secretsDir: string;
  readonly layout: BaseUnitsLayout;
}

/** The document `nnctl up` records: the layout without functions or the runtime, and the secrets dir. */
export function nodeUnitsDesired(layout: BaseUnitsLayout, secretsDir: string): NodeUnitsDesired {
  // A JSON round trip keeps exactly what the specs read (deployBaseUnits' options carry more).
  const {
    runtime: _r,
    onProgress: _p,
    signal: _s,
    secretsDir: _d,
    readyTimeoutMs: _t,
    ...rest
  } = layout as BaseUnitsLayout & Record<string, unknown>;
  return {
    version: NODE_UNITS_VERSION,
    secretsDir,
    layout: JSON.parse(JSON.stringify(rest)) as BaseUnitsLayout,
  };
}

/** The stored document, checked; PermanentError naming the field when it is not one of ours. */
export function parseNodeUnitsDesired(doc: unknown): NodeUnitsDesired {
  for (const [path, ok, reason] of CHECKS)
    if (!ok(at(doc, path))) throw new PermanentError(`node units' desired state: ${path}: ${reason}`);
  return doc as NodeUnitsDesired;
}

export interface PlannedNodeUnit {
  readonly role: NodeUnitRole;
  readonly spec: UnitSpec;
}

/** The unit names of the roles the layout has, in dependency order (no secrets read). */
export function nodeUnitNames(desired: NodeUnitsDesired): Array<{ role: NodeUnitRole; unit: string }> {
  const names = unitNames(desired.layout.prefix);
  const { daemons } = desired.layout;
  return [
    ...(daemons.destination ? [{ role: 'destination' as const, unit: names.ltc }] : []),
    { role: 'main' as const, unit: names.kmd },
    ...(daemons.iguana ? [{ role: 'iguana' as const, unit: names.iguana }] : []),
  ];
}

/**
 * The specs of the units, in dependency order, as deployBaseUnits made them (the same specs, so the
 * same spec hash). The node's secrets are read from the recorded dir, never generated: a node whose
 * secrets are gone needs its operator, not a new key.
 */
export function plannedNodeUnits(desired: NodeUnitsDesired): PlannedNodeUnit[] {
  if (!existsSync(join(desired.secretsDir, 'node', 'passphrase')))
    throw new PermanentError(`the node's secrets are not in ${desired.secretsDir}/node: run nnctl up`);
  const secrets = loadNodeSecrets(desired.secretsDir);
  const { layout } = desired;
  return nodeUnitNames(desired).map(({ role }) => ({
    role,
    spec:
      role === 'destination'
        ? ltcUnitSpec(layout, secrets)
        : role === 'main'
          ? kmdUnitSpec(layout, secrets)
          : iguanaUnitSpec(layout, secrets),
  }));
}
