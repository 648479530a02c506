import type { ChainRecord, NodeSpec } from '@nn/orchestrator-core';
import type { NodeUsage, RepairRecord } from '@nn/orchestrator-state';
import type { ChainDetail, ChainSummary, NodeView } from '../schemas.js';

// Records as the API shows them: flat, with the fields an operator looks for first. A chain record holds
// no secret (conf passwords and keys live in the secret store), so the detail view may show the entry.

export function chainSummary(record: ChainRecord, repair?: RepairRecord): ChainSummary {
  const { spec } = record;
  return {
    id: spec.id,
    acName: spec.identity.acName,
    iguanaName: spec.identity.iguanaName,
    datadir: spec.identity.datadir,
    status: record.status,
    ...(record.statusReason === undefined ? {} : { statusReason: record.statusReason }),
    ...(record.placement === undefined ? {} : { node: record.placement.node }),
    ports: { ...spec.ports },
    image: spec.image,
    version: record.version,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    ...(repair ? { repair: { ...repair } } : {}),
  };
}

export function chainDetail(record: ChainRecord, repair?: RepairRecord): ChainDetail {
  const { spec } = record;
  return {
    ...chainSummary(record, repair),
    entry: spec.entry,
    magic: spec.magic,
    resources: { ...spec.resources },
    ...(spec.requestedNode === undefined ? {} : { requestedNode: spec.requestedNode }),
    ...(record.placement === undefined ? {} : { placement: { ...record.placement } }),
  };
}

export function nodeView(spec: NodeSpec, usage: NodeUsage): NodeView {
  return {
    name: spec.name,
    endpoint: spec.endpoint,
    labels: spec.labels,
    schedulable: spec.schedulable,
    capacity: spec.capacity,
    usage: {
      memoryBytes: usage.memoryBytes,
      diskBytes: usage.diskBytes,
      chains: usage.chains,
      ports: usage.ports.size,
    },
  };
}
