export {
  endpointOf,
  loadOrchestratorConfig,
  type NodeConfig,
  type OrchestratorConfig,
  type OrchestratorConfigInput,
  orchestratorConfigSchema,
  parseOrchestratorConfig,
  ROLES,
  type Role,
} from './config.js';
export { runOrchestratorCli } from './program.js';
export { type RunningOrchestrator, startOrchestrator } from './start.js';
