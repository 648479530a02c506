export { ApiClient, type ApiClientOptions, type CallOptions } from './client.js';
export { collectStatus, renderStatus, type StatusReport, type StatusRow } from './commands/status.js';
export { CommandContext, DEFAULT_API_URL, type GlobalOptions } from './context.js';
export { entryFromParams } from './entry-params.js';
export { CliError, type CliIo, EXIT } from './io.js';
export { readKeyFile } from './key-file.js';
export { buildProgram, runCli } from './program.js';
export { waitForJobs } from './wait.js';
