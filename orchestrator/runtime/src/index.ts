export { AsyncQueue } from './async-queue.js';
export { DockerRuntime } from './docker/docker-runtime.js';
export {
  type DockerRuntimeConfig,
  dockerRuntimeConfigSchema,
  type EngineConfig,
  engineConfigSchema,
} from './docker/engine-config.js';
export * from './errors.js';
export { isOwned, LABEL_OWNER, LABEL_ROLE, LABEL_UNIT, OWNER } from './labels.js';
export type { Runtime } from './runtime.js';
export { UNIT_NAME, unitSpecSchema, validateUnitName, validateUnitSpec } from './spec-schema.js';
export type { ContainerSpec } from './types/container-spec.js';
export type { DeployOptions, DeployStep } from './types/deploy-options.js';
export type { LogChunk, LogsOptions, UnitContainer } from './types/logs-options.js';
export type { MoveFileOutcome } from './types/move-file.js';
export type { NodeInfo } from './types/node-info.js';
export type { OwnedResource } from './types/owned-resource.js';
export type { PortMapping } from './types/port-mapping.js';
export type { RuntimeEvent } from './types/runtime-event.js';
export type { EventsOptions, ListOptions, RemoveOptions, StopOptions } from './types/stop-options.js';
export type { UnitFile } from './types/unit-file.js';
export type { ContainerState, UnitHandle, UnitState } from './types/unit-handle.js';
export type { UnitMount } from './types/unit-mount.js';
export type { UnitLogLimits, UnitSpec } from './types/unit-spec.js';
export type { VolumeTransfer } from './types/volume-transfer.js';
