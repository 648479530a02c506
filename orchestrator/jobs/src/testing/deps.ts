// For the e2e tests under test/ (whose package does not depend on ioredis or pino): the same client
// and logger classes the jobs use, resolved from this package.
export { Redis } from 'ioredis';
export { pino } from 'pino';
