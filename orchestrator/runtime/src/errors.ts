/**
 * Typed runtime errors. Callers (jobs, the API) branch on `code`, never on message text; messages name
 * the unit, node or field involved and never carry file contents (conf files hold secrets).
 */
export type RuntimeErrorCode =
  | 'INVALID_SPEC'
  | 'NODE_NOT_FOUND'
  | 'NODE_UNREACHABLE'
  | 'UNIT_NOT_FOUND'
  | 'VOLUME_NOT_FOUND'
  | 'UNIT_CONFLICT'
  | 'NOT_OWNED'
  | 'PORT_CONFLICT'
  | 'IMAGE_UNAVAILABLE'
  | 'IMAGE_TRANSFER_FAILED'
  | 'VOLUME_IN_USE'
  | 'NOT_SUPPORTED'
  | 'ENGINE_ERROR';

export class RuntimeError extends Error {
  readonly code: RuntimeErrorCode;
  constructor(code: RuntimeErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = 'RuntimeError';
  }
}

/** A spec or argument failed validation; `issues` lists `field: reason`. Nothing was touched. */
export class InvalidSpecError extends RuntimeError {
  readonly issues: readonly string[];
  constructor(issues: readonly string[]) {
    super('INVALID_SPEC', `invalid unit spec: ${issues.join('; ')}`);
    this.issues = issues;
    this.name = 'InvalidSpecError';
  }
}

export class NodeNotFoundError extends RuntimeError {
  constructor(readonly node: string) {
    super('NODE_NOT_FOUND', `unknown node "${node}"`);
    this.name = 'NodeNotFoundError';
  }
}

export class NodeUnreachableError extends RuntimeError {
  constructor(
    readonly node: string,
    cause?: unknown,
  ) {
    super('NODE_UNREACHABLE', `node "${node}" does not answer`, { cause });
    this.name = 'NodeUnreachableError';
  }
}

export class UnitNotFoundError extends RuntimeError {
  constructor(readonly unit: string) {
    super('UNIT_NOT_FOUND', `no unit named "${unit}"`);
    this.name = 'UnitNotFoundError';
  }
}

export class VolumeNotFoundError extends RuntimeError {
  constructor(
    readonly volume: string,
    readonly node: string,
  ) {
    super('VOLUME_NOT_FOUND', `no volume "${volume}" on node "${node}"`);
    this.name = 'VolumeNotFoundError';
  }
}

/** The unit already exists on another node: moving it is a job (stop-first), never a silent duplicate. */
export class UnitConflictError extends RuntimeError {
  constructor(
    readonly unit: string,
    readonly existingNode: string,
  ) {
    super('UNIT_CONFLICT', `unit "${unit}" already exists on node "${existingNode}"`);
    this.name = 'UnitConflictError';
  }
}

/** A resource with the unit's name exists but carries no proof that we made it: left untouched. */
export class NotOwnedError extends RuntimeError {
  constructor(
    readonly kind: 'container' | 'volume' | 'network',
    readonly resource: string,
    readonly node: string,
  ) {
    super(
      'NOT_OWNED',
      `${kind} "${resource}" on node "${node}" exists but is not ours; refusing to touch it`,
    );
    this.name = 'NotOwnedError';
  }
}

/** A host port the unit publishes is taken on that node; the deploy made nothing. */
export class PortConflictError extends RuntimeError {
  constructor(
    readonly node: string,
    readonly port: number,
    readonly holder: string | null,
  ) {
    super(
      'PORT_CONFLICT',
      `port ${port} on node "${node}" is already in use${holder ? ` by ${holder}` : ''}`,
    );
    this.name = 'PortConflictError';
  }
}

export class ImageUnavailableError extends RuntimeError {
  constructor(
    readonly image: string,
    readonly node: string,
    reason = 'no reachable node has it to send',
  ) {
    super('IMAGE_UNAVAILABLE', `image "${image}" is not on node "${node}": ${reason}`);
    this.name = 'ImageUnavailableError';
  }
}

export class ImageTransferError extends RuntimeError {
  constructor(
    readonly image: string,
    readonly from: string,
    readonly to: string,
    detail: string,
    cause?: unknown,
  ) {
    super('IMAGE_TRANSFER_FAILED', `sending image "${image}" from "${from}" to "${to}" failed: ${detail}`, {
      cause,
    });
    this.name = 'ImageTransferError';
  }
}

/** A running container mounts the volume: a transfer of it would copy files a daemon is writing. */
export class VolumeInUseError extends RuntimeError {
  constructor(
    readonly volume: string,
    readonly node: string,
    readonly container: string,
  ) {
    super(
      'VOLUME_IN_USE',
      `volume "${volume}" on node "${node}" is in use by running container "${container}"`,
    );
    this.name = 'VolumeInUseError';
  }
}

/** The adapter cannot do this at all (not a transient failure); the message says what to do instead. */
export class NotSupportedError extends RuntimeError {
  constructor(
    readonly adapter: string,
    readonly operation: string,
    detail: string,
  ) {
    super('NOT_SUPPORTED', `the ${adapter} runtime does not support ${operation}: ${detail}`);
    this.name = 'NotSupportedError';
  }
}

/** Anything else the engine refused; `cause` is the engine's error. */
export class EngineError extends RuntimeError {
  constructor(
    readonly node: string,
    action: string,
    cause: unknown,
  ) {
    super('ENGINE_ERROR', `node "${node}": ${action} failed: ${errorText(cause)}`, { cause });
    this.name = 'EngineError';
  }
}

export function errorText(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
