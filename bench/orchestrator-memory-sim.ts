// BENCH-ONLY SIMULATION entry (issue 14, item 2): the orchestrator process exactly as
// orchestrator/app/src/main.ts starts it (config file, API and workers, real Redis and BullMQ), except
// that its runtime is bench/sim/simulated-runtime.ts (a deploy is a record and a wait, no container)
// and one stand-in sidecar server in this process answers each unit's /readyz from that record.
// bench/orchestrator-memory.ts bundles it as the image's bundle is built and measures the process at
// 12, 50 and 200 chains, which this machine cannot run as real units. Never used by tests or product code.
import { loadOrchestratorConfig, startOrchestrator } from '../orchestrator/app/src/index.js';
import { SimulatedRuntime } from './sim/simulated-runtime.js';
import { startStandInSidecars } from './sim/stand-in-sidecar.js';

const i = process.argv.indexOf('--config');
const path = process.argv[i + 1];
if (i < 0 || !path) throw new Error('usage: orchestrator-memory-sim --config FILE');
const config = loadOrchestratorConfig(path);
let sim: SimulatedRuntime | undefined;
const sidecars = await startStandInSidecars(() => {
  if (!sim) throw new Error('no simulated runtime yet');
  return sim;
});
sim = new SimulatedRuntime({
  nodes: config.nodes.map((n) => n.name),
  deployMs: Number(process.env.NN_SIM_DEPLOY_MS ?? 200),
  sidecarBase: sidecars.base,
});
const running = await startOrchestrator(config, undefined, { runtime: sim });
process.once('SIGTERM', () => {
  void running
    .close()
    .then(() => sidecars.close())
    .finally(() => process.exit(0));
});
