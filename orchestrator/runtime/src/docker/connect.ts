import { readFileSync } from 'node:fs';
import Docker from 'dockerode';
import type { EngineConfig } from './engine-config.js';

/** A dockerode client for one engine's config. Only this package talks to Docker. */
export function connectEngine(engine: EngineConfig, timeoutMs: number): Docker {
  const url = new URL(engine.url);
  if (url.protocol === 'unix:')
    return new Docker({ socketPath: decodeURIComponent(url.pathname), timeout: timeoutMs });
  if (url.protocol === 'tcp:') {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const port = Number(url.port);
    if (!engine.tls) return new Docker({ host, port, protocol: 'http', timeout: timeoutMs });
    return new Docker({
      host,
      port,
      protocol: 'https',
      ca: readFileSync(engine.tls.ca),
      cert: readFileSync(engine.tls.cert),
      key: readFileSync(engine.tls.key),
      timeout: timeoutMs,
    });
  }
  // ssh: dockerode runs `docker system dial-stdio` on the remote host over ssh2.
  return new Docker({
    protocol: 'ssh',
    host: url.hostname,
    port: url.port ? Number(url.port) : 22,
    username: decodeURIComponent(url.username),
    timeout: timeoutMs,
    ...(process.env.SSH_AUTH_SOCK ? { sshAuthAgent: process.env.SSH_AUTH_SOCK } : {}),
    ...(engine.sshKeyFile ? { sshOptions: { privateKey: readFileSync(engine.sshKeyFile) } } : {}),
  });
}
