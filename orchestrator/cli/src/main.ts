#!/usr/bin/env node
// nnctl: the operator's command line for the orchestrator API (see program.ts for the commands).
import { runCli } from './program.js';

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
