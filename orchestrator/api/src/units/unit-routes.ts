import { Readable } from 'node:stream';
import { parseOrThrow } from '@nn/orchestrator-core';
import { LABEL_CHAIN, LABEL_INSTANCE } from '@nn/orchestrator-jobs';
import type { StateStore } from '@nn/orchestrator-state';
import { type LogChunk, type Runtime, RuntimeError, type UnitHandle } from '@nn/runtime';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../http/api-error.js';
import { API_ROUTES } from '../routes.js';
import { chainIdParamsSchema } from '../schemas.js';
import { parseSince } from './since.js';
import { chainLogsQuerySchema, type SdTargetGroup } from './unit-schemas.js';

// Routes over the units themselves (through the Runtime): where Prometheus scrapes them, and their logs.
// Neither changes anything: discovery lists, logs read.

export interface UnitRoutesOptions {
  readonly state: StateStore;
  /** Without one (an API started on its own) these routes answer 503. */
  readonly runtime?: Runtime;
  /** Only units labelled nn.instance=<instance> are this orchestrator's (all owned units without). */
  readonly instance?: string;
  /** The `network` label of every target: the orchestrator's cluster network. */
  readonly network?: string;
}

/** The node units' role label (node-units' base unit specs): destination, kmd (the main chain) or iguana. */
const LABEL_ROLE_IN_NODE = 'nn.role-in-node';

export function registerUnitRoutes(app: FastifyInstance, options: UnitRoutesOptions): void {
  const runtimeOf = (): Runtime => {
    if (options.runtime) return options.runtime;
    throw new ApiError(503, 'unavailable', 'this API process has no container runtime configured');
  };
  const own: Record<string, string> =
    options.instance === undefined ? {} : { [LABEL_INSTANCE]: options.instance };

  app.get(API_ROUTES.prometheusTargets.path, async (req) => {
    const units = await runtimeOf().listUnits({ labels: own });
    const acNames = new Map(
      (await options.state.chains.list()).map((c) => [c.spec.id, c.spec.identity.acName]),
    );
    const [kmd] = await options.state.live.getMany([{ base: 'kmd' }]);
    const mainChain = typeof kmd?.chain === 'string' ? kmd.chain : undefined;
    const network: Record<string, string> = options.network === undefined ? {} : { network: options.network };
    const groups: SdTargetGroup[] = [];
    for (const u of units) {
      const target = hostPort(u.endpoint);
      if (target === undefined) continue;
      groups.push({
        targets: [target],
        labels: { ...unitLabels(u, acNames, mainChain), node: u.node, ...network },
      });
    }
    // The API itself, at the address the caller (Prometheus) reached it on.
    groups.push({ targets: [selfAddress(req)], labels: { role: 'api', ...network } });
    return groups;
  });

  app.get(API_ROUTES.chainLogs.path, async (req, reply) => {
    const { id } = parseOrThrow(chainIdParamsSchema, req.params);
    const query = parseOrThrow(chainLogsQuerySchema, req.query);
    const runtime = runtimeOf();
    if ((await options.state.chains.find(id)) === undefined)
      throw new ApiError(404, 'not_found', `id: chain "${id}" does not exist`, 'id');
    const notOwned = () =>
      new ApiError(404, 'not_found', `id: chain "${id}" has no unit this orchestrator owns`, 'id');
    const [unit] = await runtime.listUnits({ labels: { ...own, [LABEL_CHAIN]: id } });
    if (unit === undefined) throw notOwned();
    // Ends the engine's stream when the client goes away (or the reply is done).
    const abort = new AbortController();
    reply.raw.on('close', () => abort.abort());
    let chunks: AsyncIterable<LogChunk>;
    try {
      chunks = await runtime.logs(unit.name, {
        container: query.container ?? 'daemon',
        follow: query.follow === 'true',
        ...(query.since === undefined ? {} : { since: parseSince(query.since) }),
        ...(query.tail === undefined ? {} : { tail: Number(query.tail) }),
        signal: abort.signal,
      });
    } catch (err) {
      if (err instanceof RuntimeError && (err.code === 'UNIT_NOT_FOUND' || err.code === 'NOT_OWNED'))
        throw notOwned();
      throw err;
    }
    return reply
      .header('content-type', 'text/plain; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('x-content-type-options', 'nosniff')
      .send(Readable.from(texts(chunks)));
  });
}

async function* texts(chunks: AsyncIterable<LogChunk>): AsyncGenerator<string> {
  for await (const c of chunks) yield c.text;
}

function unitLabels(
  u: UnitHandle,
  acNames: ReadonlyMap<string, string>,
  mainChain: string | undefined,
): Record<string, string> {
  const chainId = u.labels[LABEL_CHAIN];
  if (chainId !== undefined) return { chain: acNames.get(chainId) ?? chainId, role: 'chain', unit: u.name };
  const role = u.labels[LABEL_ROLE_IN_NODE] ?? 'unit';
  // The node's own chains are named as their sidecars report them: KMD's (or KMDCL's) from its last
  // status, the destination by its unit's name (`<instance>-ltc`); Iguana serves many coins and has none.
  const short = u.name.slice(u.name.lastIndexOf('-') + 1).toUpperCase();
  if (role === 'kmd' || role === 'main') return { chain: mainChain ?? short, role, unit: u.name };
  if (role === 'destination') return { chain: short, role, unit: u.name };
  return { role, unit: u.name };
}

/** `host:port` of an `http://host:port` endpoint. */
function hostPort(endpoint: string | null): string | undefined {
  if (endpoint === null) return undefined;
  try {
    const url = new URL(endpoint);
    return url.port === '' ? undefined : url.host;
  } catch {
    return undefined;
  }
}

function selfAddress(req: FastifyRequest): string {
  const address = req.socket.localAddress ?? '127.0.0.1';
  const host = req.headers.host;
  // The Host header as Prometheus sent it, if it is a plain host:port; else the socket's own address.
  if (host !== undefined && /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/.test(host)) return host;
  return `${address.includes(':') ? `[${address}]` : address}:${req.socket.localPort}`;
}
