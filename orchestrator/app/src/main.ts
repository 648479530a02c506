#!/usr/bin/env node
// nn-orchestrator: the orchestrator process (API and workers) from one config file. Stops cleanly on
// SIGTERM/SIGINT: in-flight requests finish, workers hand their jobs back to the queue.
import { runOrchestratorCli } from './program.js';

runOrchestratorCli(process.argv.slice(2));
