import type Docker from 'dockerode';
import { connectEngine } from './connect.js';
import type { EngineConfig } from './engine-config.js';

/**
 * One engine, with two clients: `api` for ordinary calls (bounded by the request time-out) and `long`
 * for calls that legitimately stay silent for minutes (graceful stops, image streams, events), which
 * an idle-socket time-out would cut.
 */
export class Engine {
  readonly api: Docker;
  readonly long: Docker;
  constructor(
    readonly config: EngineConfig,
    timeoutMs: number,
  ) {
    this.api = connectEngine(config, timeoutMs);
    this.long = connectEngine(config, 0);
  }
  get name(): string {
    return this.config.name;
  }
  /** http://address:port, with IPv6 addresses in brackets. */
  url(port: number): string {
    const a = this.config.address;
    return `http://${a.includes(':') ? `[${a}]` : a}:${port}`;
  }
}
