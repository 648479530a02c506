import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliError, EXIT } from '../io.js';
import type { NodeHome } from './node-home.js';

// `nnctl up --install-service`: the orchestrator as a host process that systemd keeps running, for hosts
// where the operator wants it outside Docker. A unit file nn-<name>-orchestrator.service with
// Restart=always, started after the engine (and a system Redis) at boot; the orchestrator reconnects to
// an engine or Redis that comes later, so it only wants them, never stops with them. Documented in
// deploy/systemd/README.md. Without --install-service the orchestrator is a container (restart always).

export const serviceNameOf = (name: string) => `nn-${name}-orchestrator.service`;

/** Where unit files go: NN_SYSTEMD_DIR (tests, a staging root) or the administrator's directory. */
export function systemdDirOf(env: Readonly<Record<string, string | undefined>>): string {
  return env.NN_SYSTEMD_DIR ?? '/etc/systemd/system';
}

/** True when systemd is the running init (sd_booted's test): then `systemctl` can act on the unit. */
export const systemdRuns = () => existsSync('/run/systemd/system');

/**
 * The orchestrator's single-file bundle (`pnpm build` → dist/orchestrator/nn-orchestrator.mjs, beside
 * nnctl.mjs in the image's /app), or NN_ORCHESTRATOR_ENTRY. A workspace without a build is refused:
 * the service must not depend on tsx or on the workspace's node_modules staying as they are.
 */
export function orchestratorEntry(env: Readonly<Record<string, string | undefined>>): string {
  if (env.NN_ORCHESTRATOR_ENTRY !== undefined) {
    if (!existsSync(env.NN_ORCHESTRATOR_ENTRY))
      throw new CliError(`NN_ORCHESTRATOR_ENTRY ${env.NN_ORCHESTRATOR_ENTRY}: no such file`, EXIT.usage);
    return env.NN_ORCHESTRATOR_ENTRY;
  }
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [
    join(here, 'nn-orchestrator.mjs'), // the image: /app/nnctl.mjs beside /app/nn-orchestrator.mjs
    join(here, '..', 'orchestrator', 'nn-orchestrator.mjs'), // dist/nnctl/nnctl.mjs
    join(here, '..', '..', '..', '..', 'dist', 'orchestrator', 'nn-orchestrator.mjs'), // the workspace
  ];
  const found = candidates.find((c) => existsSync(c));
  if (!found)
    throw new CliError(
      `--install-service: the orchestrator bundle is missing (looked for ${candidates.join(', ')}); run pnpm build`,
      EXIT.failed,
    );
  return found;
}

export interface ServiceUnit {
  readonly name: string;
  readonly home: NodeHome;
  /** The node binary and the bundle it runs. */
  readonly node: string;
  readonly entry: string;
  /** The home's owner (the 0600 files stay theirs) and the engine socket's group. */
  readonly uid: number;
  readonly gid: number;
  readonly socketGid: number;
}

/** The unit file's text (no secrets: the config holds paths only). */
export function renderServiceUnit(u: ServiceUnit): string {
  return [
    '# Written by `nnctl up --install-service`; `nnctl down` removes it. See deploy/systemd/README.md.',
    '[Unit]',
    `Description=Komodo notary node ${u.name}: orchestrator (API and workers)`,
    // Ordered after the engine and a system Redis at boot, but only wanted: the orchestrator waits for
    // either to come back and must keep running (and healing the node) while one restarts.
    'After=network-online.target docker.service redis-server.service',
    'Wants=network-online.target docker.service',
    // A crash loop (a broken config) is retried forever at RestartSec, never given up on.
    'StartLimitIntervalSec=0',
    '',
    '[Service]',
    'Type=simple',
    `User=${u.uid}`,
    `Group=${u.gid}`,
    `SupplementaryGroups=${u.socketGid}`,
    'Environment=NN_LOG_LEVEL=info',
    `ExecStart=${u.node} ${u.entry} --config ${u.home.configFile}`,
    'Restart=always',
    'RestartSec=2',
    // In-flight jobs hand back to the queue at SIGTERM: the same long grace as the container's.
    'KillSignal=SIGTERM',
    'TimeoutStopSec=120',
    'UMask=0077',
    'NoNewPrivileges=yes',
    'ProtectSystem=full',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}

function systemctl(args: readonly string[]): void {
  const r = spawnSync('systemctl', [...args], { encoding: 'utf8', timeout: 150_000 });
  if (r.status !== 0)
    throw new CliError(`systemctl ${args.join(' ')} failed: ${(r.stderr || r.stdout).trim()}`, EXIT.failed);
}

/**
 * Writes the unit (mode 644) and, where systemd runs, enables and (re)starts it. Where it does not (a
 * container, a machine booted otherwise) the file is still written and the command says so with exit 1:
 * nothing would keep the orchestrator running there.
 */
export function installService(
  env: Readonly<Record<string, string | undefined>>,
  home: NodeHome,
  socketPath: string,
  configChanged: boolean,
  systemd: boolean = systemdRuns(),
): { file: string; changed: boolean } {
  const owner = statSync(home.dir);
  const unit = renderServiceUnit({
    name: home.name,
    home,
    node: process.execPath,
    entry: orchestratorEntry(env),
    uid: owner.uid,
    gid: owner.gid,
    socketGid: statSync(socketPath).gid,
  });
  const dir = systemdDirOf(env);
  const file = join(dir, serviceNameOf(home.name));
  const changed = !existsSync(file) || readFileSync(file, 'utf8') !== unit;
  mkdirSync(dir, { recursive: true });
  if (changed) writeFileSync(file, unit, { mode: 0o644 });
  if (!systemd)
    throw new CliError(
      `--install-service: wrote ${file}, but systemd does not run here (no /run/systemd/system), so nothing would start or restart the orchestrator; on a systemd host run: systemctl daemon-reload && systemctl enable --now ${serviceNameOf(home.name)}`,
      EXIT.failed,
    );
  systemctl(['daemon-reload']);
  systemctl(['enable', serviceNameOf(home.name)]);
  // A changed unit or config takes effect only on a restart; an unchanged running one is left alone.
  systemctl([changed || configChanged ? 'restart' : 'start', serviceNameOf(home.name)]);
  return { file, changed };
}

/** `nnctl down`: stops and disables the service and removes its file; false when there was none. */
export function removeService(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
  systemd: boolean = systemdRuns(),
): boolean {
  const file = join(systemdDirOf(env), serviceNameOf(name));
  if (!existsSync(file)) return false;
  if (systemd) systemctl(['disable', '--now', serviceNameOf(name)]);
  rmSync(file, { force: true });
  if (systemd) systemctl(['daemon-reload']);
  return true;
}
