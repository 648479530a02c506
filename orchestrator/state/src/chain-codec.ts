import { type ChainRecord, CorruptStateError, chainRecordSchema } from '@nn/orchestrator-core';
import { parseJsonAt, validateAt } from './read-back.js';

// A chain lives in one Redis hash so that placement, status and image can each change atomically without
// rewriting the rest: `spec` and `placement` are JSON, the other fields plain strings.

const KNOWN_FIELDS = new Set([
  'spec',
  'status',
  'statusReason',
  'placement',
  'version',
  'createdAt',
  'updatedAt',
]);

/** Reads a chain hash (HGETALL) back into a validated record. */
export function decodeChain(key: string, hash: Record<string, string>): ChainRecord {
  for (const field of Object.keys(hash))
    if (!KNOWN_FIELDS.has(field)) throw new CorruptStateError(`${key}#${field}`, 'unknown field');
  const version = hash.version;
  const record = {
    spec: hash.spec === undefined ? undefined : parseJsonAt(`${key}#spec`, hash.spec),
    status: hash.status,
    ...(hash.statusReason === undefined ? {} : { statusReason: hash.statusReason }),
    ...(hash.placement === undefined ? {} : { placement: parseJsonAt(`${key}#placement`, hash.placement) }),
    version: version !== undefined && /^[1-9]\d{0,15}$/.test(version) ? Number(version) : version,
    createdAt: hash.createdAt,
    updatedAt: hash.updatedAt,
  };
  return validateAt(key, chainRecordSchema, record);
}
