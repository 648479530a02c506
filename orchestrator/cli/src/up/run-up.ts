import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { totalmem } from 'node:os';
import { join } from 'node:path';
import { fillPlaceholders } from '@nn/networks';
import {
  type BaseUnits,
  baseLayoutOf,
  defaultChainResources,
  deployBaseUnits,
  devnetElectedFile,
  fundDevnet,
  missingForProfile,
  type NetworkProfile,
  nodeMemoryBytes,
  nodeUnitsDesired,
  standInChainArgs,
} from '@nn/node-units';
import type { OrchestratorConfigInput } from '@nn/orchestrator-app';
import { buildChainSpec } from '@nn/orchestrator-core';
import { DockerRuntime } from '@nn/runtime';
import { secretOnce } from '@nn/shared';
import { ApiClient } from '../client.js';
import type { CommandContext } from '../context.js';
import { CliError, EXIT } from '../io.js';
import { localDocker } from './control-containers.js';
import { ensureOrchestrator, healthy, stopOrchestrator } from './ensure-orchestrator.js';
import { ensureRedis, type RedisChoice } from './ensure-redis.js';
import { installService, serviceNameOf } from './install-service.js';
import { type NodeHome, nnRoot, nodeHome } from './node-home.js';
import { recordNodeUnits } from './record-node-units.js';
import type { UpOptions } from './up-options.js';

export const LOCAL_NODE = 'local';

/** The local engine: DOCKER_HOST when it is a unix socket, else the default socket. */
export function localEngineUrl(env: Readonly<Record<string, string | undefined>>): string {
  const host = env.DOCKER_HOST;
  return host?.startsWith('unix://') ? host : 'unix:///var/run/docker.sock';
}

export function localRuntime(
  env: Readonly<Record<string, string | undefined>>,
  network: string,
): DockerRuntime {
  return new DockerRuntime({
    engines: [{ name: LOCAL_NODE, url: localEngineUrl(env), address: '127.0.0.1' }],
    network,
    helperImage: 'nn/chain-sidecar:0.1.0',
  });
}

export const networkOf = (name: string) => `nn-${name}`;
export const chainUnitPrefix = (name: string) => `${name}-c-`;
export const baseUnitPrefix = (name: string) => `${name}-`;
export const statePrefixOf = (name: string) => `nn:${name}:`;
export const queuePrefixOf = (name: string) => `nn-${name}`;

export interface UpSummary {
  readonly network: string;
  readonly name: string;
  readonly home: string;
  readonly apiUrl: string;
  readonly keyFile: string;
  readonly redis: RedisChoice;
  readonly orchestrator: { id: string; how: string };
  /** Where the orchestrator's log is read. */
  readonly logs: string;
  readonly units: Record<string, string>;
  readonly chainsQueued: string[];
}

function step(ctx: CommandContext, what: string, detail: string): void {
  ctx.note(`${what.padEnd(14)} ${detail}`);
}

/**
 * `nnctl up`: Redis, the node's own units (LTC, KMD, Iguana), devnet funding, the orchestrator, then the
 * profile's assetchains through the queue. Every step looks before it acts, so running it again changes
 * nothing that is already right.
 */
export async function runUp(ctx: CommandContext, options: UpOptions): Promise<UpSummary> {
  const { profile } = options;
  const home = nodeHome(nnRoot(ctx.io.env), options.name);
  const runtime = localRuntime(ctx.io.env, networkOf(options.name));
  try {
    const missing = await missingForProfile(
      profile,
      async (ref) => {
        try {
          await runtime.ensureImage(LOCAL_NODE, ref);
          return true;
        } catch (err) {
          if ((err as { code?: string }).code === 'IMAGE_UNAVAILABLE') return false;
          throw new CliError(
            `the Docker engine does not answer (${err instanceof Error ? err.message : String(err)}); is dockerd running?`,
            EXIT.unavailable,
          );
        }
      },
      {
        file: join(home.secretsDir, 'node', 'passphrase'),
        present: existsSync(join(home.secretsDir, 'node', 'passphrase')),
      },
    );
    if (missing.length > 0)
      throw new CliError(
        `--network ${options.network} cannot start here:\n${missing.map((m) => `  - ${m}`).join('\n')}`,
        EXIT.failed,
      );
    for (const notice of profile.notices) step(ctx, 'notice', notice);
    mkdirSync(home.dir, { recursive: true, mode: 0o700 });

    const docker = localDocker(localEngineUrl(ctx.io.env));
    const redis = await ensureRedis(docker, home, options.redis, options.redisPort);
    step(ctx, 'redis', `${redis.url} (${redis.how})`);

    const ports = { ltc: options.apiPort + 1, kmd: options.apiPort + 2, iguana: options.apiPort + 3 };
    const layout = {
      prefix: baseUnitPrefix(options.name),
      node: LOCAL_NODE,
      network: networkOf(options.name),
      ports,
      // missingForProfile refused a layout that is not built yet (layoutGaps) before anything was made.
      ...baseLayoutOf(profile, baseUnitPrefix(options.name)),
      labels: { 'nn.instance': options.name },
      stopTimeoutSec: profile.stopTimeoutSec,
    };
    const base = await deployBaseUnits({
      runtime,
      secretsDir: home.secretsDir,
      ...layout,
      onProgress: (unit, phase) => step(ctx, unit, phase),
    });
    // The units as desired state: the orchestrator brings them back after an engine crash.
    await recordNodeUnits(redis.url, statePrefixOf(options.name), nodeUnitsDesired(layout, home.secretsDir));
    if (profile.fundLocally) {
      const funded = await fundDevnet(base);
      step(
        ctx,
        'funding',
        `LTC ${funded.ltcBlocks} / KMD ${funded.kmdBlocks} blocks (${funded.funded ? 'mined to maturity' : 'already funded'})`,
      );
      if (funded.split.length > 0) step(ctx, 'notary UTXOs', `split ${funded.split.join(', ')}`);
    }

    const apiUrl = `http://127.0.0.1:${options.apiPort}`;
    const configChanged = writeNodeFiles(home, options, base, redis.url, localEngineUrl(ctx.io.env));
    const orchestrator = options.installService
      ? await startService(ctx, docker, home, apiUrl, configChanged)
      : await ensureOrchestrator(docker, home, apiUrl, localEngineUrl(ctx.io.env));
    step(
      ctx,
      'orchestrator',
      `${apiUrl} (${options.installService ? 'service' : 'container'} ${orchestrator.id}, ${orchestrator.how})`,
    );

    const client = new ApiClient({ baseUrl: apiUrl, key: operatorKey(home) });
    // A chain already in the desired state (whatever its status) is left to the orchestrator.
    const existing = new Set((await client.call('listChains')).chains.map((c) => c.id));
    const wanted = profile.chains.filter(
      (entry) => !existing.has(buildChainSpec({ entry }, { image: profile.chainImage }).id),
    );
    let queued: string[] = [];
    if (wanted.length > 0) {
      const accepted = await client.call('importChains', {
        body: { entries: wanted, image: profile.chainImage },
      });
      queued = accepted.jobs.map((j) => j.chainId);
      step(ctx, 'chains', `queued ${queued.join(', ')}`);
      const jobs = await ctx.waitFor(
        accepted.jobs.map((j) => j.jobId),
        client,
      );
      const failed = jobs.filter((j) => j.state !== 'completed');
      if (failed.length > 0)
        throw new CliError(
          failed.map((j) => `${j.chainId ?? j.id}: ${j.error?.message ?? j.state}`).join('\n'),
          EXIT.failed,
        );
    } else step(ctx, 'chains', `all ${profile.chains.length} present`);
    const ids = profile.chains.map((entry) => buildChainSpec({ entry }, { image: profile.chainImage }).id);
    await waitUntilAnswering(ctx, client, ids, 300_000);

    return {
      network: options.network,
      name: options.name,
      home: home.dir,
      apiUrl,
      keyFile: home.keysFile,
      redis,
      orchestrator,
      logs: options.installService
        ? `journalctl -u ${serviceNameOf(options.name)}`
        : `docker logs ${options.name}-orchestrator`,
      units: {
        ...(base.ltc ? { ltc: base.ltc.endpoint } : {}),
        kmd: base.kmd.endpoint,
        ...(base.iguana ? { iguana: base.iguana.endpoint } : {}),
      },
      chainsQueued: queued,
    };
  } finally {
    await runtime.close();
  }
}

/**
 * --install-service: the orchestrator container (an earlier `up`'s) gives way to the systemd unit, which
 * then must answer as the container would.
 */
async function startService(
  ctx: CommandContext,
  docker: ReturnType<typeof localDocker>,
  home: NodeHome,
  apiUrl: string,
  configChanged: boolean,
): Promise<{ id: string; how: string }> {
  if (await stopOrchestrator(docker, home))
    step(ctx, 'orchestrator', 'container removed: the service replaces it');
  const socket = localEngineUrl(ctx.io.env).slice('unix://'.length);
  const { file, changed } = installService(ctx.io.env, home, socket, configChanged);
  step(ctx, 'service', `${file} (${changed ? 'written' : 'unchanged'})`);
  const deadline = Date.now() + 90_000;
  while (!(await healthy(apiUrl))) {
    if (Date.now() > deadline)
      throw new CliError(
        `the orchestrator service did not answer on ${apiUrl} within 90 s; see journalctl -u ${serviceNameOf(home.name)}`,
        EXIT.unavailable,
      );
    await new Promise((r) => setTimeout(r, 300));
  }
  return { id: serviceNameOf(home.name), how: changed || configChanged ? 'restarted' : 'running' };
}

function operatorKey(home: NodeHome): string {
  const keys = JSON.parse(readFileSync(home.keysFile, 'utf8')) as { operator: string[] };
  const key = keys.operator[0];
  if (!key) throw new CliError(`${home.keysFile} holds no operator key`, EXIT.failed);
  return key;
}

/** Writes the keys, elected and config files; true when the config changed (its content is in the orchestrator container's spec hash, so the container is then made again). */
function writeNodeFiles(
  home: NodeHome,
  options: UpOptions,
  base: BaseUnits,
  redisUrl: string,
  engineUrl: string,
): boolean {
  const { profile } = options;
  secretOnce(home.keysFile, () =>
    JSON.stringify({
      viewer: [randomBytes(24).toString('hex')],
      operator: [randomBytes(24).toString('hex')],
    }),
  );
  // A lone local node (the devnet) mines its own funds and wants quick polls.
  const devnet = profile.fundLocally;
  const chainArgs = [...assetchainExtraArgs(profile), ...standInChainArgs(profile)];
  // Assetchains that read the elected file (-devnotaries) get the local one copied into their volume.
  const electedInUnits =
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the network file's placeholder, literally
    profile.spec.assetchains.args.some((w) => w.includes('${elected}')) ||
    standInChainArgs(profile).length > 0;
  if (electedInUnits)
    writeFileSync(home.electedFile, devnetElectedFile(base.secrets.pubkey, profile.spec.iguana?.p2p), {
      mode: 0o600,
    });
  const reserved = [options.apiPort, options.apiPort + 1, options.apiPort + 2, options.apiPort + 3];
  const config: OrchestratorConfigInput = {
    redisUrl,
    statePrefix: statePrefixOf(options.name),
    network: networkOf(options.name),
    nodes: [
      {
        name: LOCAL_NODE,
        url: engineUrl,
        address: '127.0.0.1',
        capacity: {
          memoryBytes: nodeMemoryBytes(profile, totalmem()),
          diskBytes: 1024 ** 4,
          p2pPorts: { from: 1024, to: 59_999 },
          sidecarPorts: options.sidecarPorts,
          reservedPorts: [...reserved, 7770, 7771, 7776, 7779, 9332, 9333],
        },
      },
    ],
    api: {
      listen: `127.0.0.1:${options.apiPort}`,
      keysFile: home.keysFile,
      defaultImage: profile.chainImage,
      ...(defaultChainResources(profile) === undefined
        ? {}
        : { defaultResources: defaultChainResources(profile) }),
    },
    jobs: {
      secretsDir: home.secretsDir,
      instance: options.name,
      queuePrefix: queuePrefixOf(options.name),
      unitPrefix: chainUnitPrefix(options.name),
      sidecarImage: profile.images.chainSidecar,
      useSeedNodes: profile.useSeedNodes,
      requirePeers: profile.requirePeers,
      daemonExtraArgs: chainArgs,
      unitFiles: electedInUnits ? [{ path: 'nn/elected.json', source: home.electedFile }] : [],
      stopTimeoutSec: profile.stopTimeoutSec,
      ...base.jobsConfig,
      ...(devnet && base.jobsConfig.iguana ? { iguana: { ...base.jobsConfig.iguana, splitUtxos: 20 } } : {}),
      ...(devnet
        ? { readyPollMs: 500, backoffMs: 2_000, sweepEveryMs: 15_000, liveStatusEveryMs: 3_000 }
        : {}),
    },
  };
  const text = `${JSON.stringify(config, null, 2)}\n`;
  const before = existsSync(home.configFile) ? readFileSync(home.configFile, 'utf8') : '';
  if (before === text) return false;
  writeFileSync(home.configFile, text, { mode: 0o600 });
  return true;
}

/**
 * The assetchains' flags besides the entry's own and -pubkey (which the jobs add), filled in for the
 * chain units' home (/data): the devnet's -devblocktime=1 -devnotaries=/data/nn/elected.json.
 */
function assetchainExtraArgs(profile: NetworkProfile): string[] {
  return (
    profile.spec.assetchains.args
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the network file's placeholders, literally
      .filter((w) => w !== '${entry}' && w !== '-pubkey=${pubkey}')
      .map((w) => fillPlaceholders(w, { home: '/data', elected: '/data/nn/elected.json' }))
  );
}

/**
 * Until every chain is ready in the desired state and its sidecar has reported a height (the workers'
 * poller): after a `down` the state still says ready while the units are gone, and the orchestrator's
 * first sweep brings them back.
 */
async function waitUntilAnswering(
  ctx: CommandContext,
  client: ApiClient,
  ids: readonly string[],
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let shown = '';
  for (;;) {
    const [chains, live] = await Promise.all([client.call('listChains'), client.call('liveStatus')]);
    const waiting = ids.filter((id) => {
      const c = chains.chains.find((x) => x.id === id);
      return c?.status !== 'ready' || typeof live.chains[id]?.blocks !== 'number';
    });
    if (waiting.length === 0) return;
    const text = waiting.join(', ');
    if (text !== shown) step(ctx, 'chains', `waiting for ${text} to answer`);
    shown = text;
    if (Date.now() > deadline)
      throw new CliError(
        `${text} did not come up within ${Math.round(timeoutMs / 1000)} s; see nnctl status and nnctl jobs`,
        EXIT.failed,
      );
    await new Promise((r) => setTimeout(r, 1_000));
  }
}
