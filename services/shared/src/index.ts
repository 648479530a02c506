export { readSecretFile, SecretFileError, writeFileAtomic } from './files.js';
export { createLogger, type LoggerOptions, REDACTED_PATHS } from './log.js';
export { closeOnSignal, runProgram } from './program.js';
export { RateLimiter } from './rate-limit.js';
export { readStoredSecret, secretOnce } from './secret-once.js';
export { abortableSleep } from './sleep.js';
