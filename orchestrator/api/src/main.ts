#!/usr/bin/env node
// The orchestrator's HTTP API as a process: settings from the environment (see config.ts), stops cleanly
// on SIGTERM/SIGINT so in-flight requests finish.
import { apiConfigFromEnv } from './config.js';
import { startApi } from './start.js';

try {
  const api = await startApi(apiConfigFromEnv(process.env));
  const stop = () => {
    api.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
} catch (err) {
  process.stderr.write(`orchestrator-api: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
