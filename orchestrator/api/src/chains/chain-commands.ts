import {
  buildChainSpec,
  type ChainSpec,
  type ChainSpecDefaults,
  ConflictError,
  chainIdSchema,
  type ImageRef,
  JOB_NAMES,
  type JobName,
  NotFoundError,
  parseOrThrow,
  ValidationError,
} from '@nn/orchestrator-core';
import type { JobQueue } from '@nn/orchestrator-jobs';
import type { StateStore } from '@nn/orchestrator-state';
import { type AcceptedJob, importChainsObjectSchema } from '../schemas.js';

// What the mutating routes do. Order matters for "bad input changes nothing": everything that can be
// checked without writing (schemas, duplicates inside the request, the node, ports on it, chains already
// known) is checked first; then records are created, and if anything after that fails every record this
// request created is deleted again before the error goes out.

export interface ChainCommandsDeps {
  readonly state: StateStore;
  readonly queue: JobQueue;
  readonly defaults: ChainSpecDefaults;
}

/** A field name inside the import request (`entries[3].ac_name`). */
const at = (index: number, field: string) => `entries[${index}].${field}`;

const accepted = (jobId: string, name: JobName, chainId: string): AcceptedJob => ({ jobId, name, chainId });

export class ChainCommands {
  constructor(private readonly deps: ChainCommandsDeps) {}

  /** POST /v1/chains: one entry → a `requested` chain and its chain.add job. */
  async add(body: unknown, actor: string): Promise<AcceptedJob> {
    const spec = buildChainSpec(body, this.deps.defaults);
    await this.checkNode(spec.requestedNode, [spec], () => 'node');
    const existing = await this.deps.state.chains.findByIdentity(spec.identity.key);
    if (existing)
      throw new ConflictError(
        'entry.ac_name',
        `a chain ${spec.identity.acName} with datadir ${spec.identity.datadir} already exists (id ${existing.spec.id})`,
      );
    await this.create(spec, (field) => `entry.${field}`);
    try {
      return accepted(await this.deps.queue.addChain(spec.id, actor), JOB_NAMES.chainAdd, spec.id);
    } catch (err) {
      await this.deps.state.chains.delete(spec.id);
      throw err;
    }
  }

  /** POST /v1/chains/import: a whole assetchains.json array, all or nothing. */
  async import(body: unknown, actor: string): Promise<AcceptedJob[]> {
    const request = parseOrThrow(importChainsObjectSchema, Array.isArray(body) ? { entries: body } : body);
    if (request.entries.length === 0)
      throw new ValidationError({ field: 'entries', reason: 'must hold at least one entry' });
    const specs = request.entries.map((entry, i) => {
      try {
        return buildChainSpec(
          {
            entry,
            ...(request.node === undefined ? {} : { node: request.node }),
            ...(request.image === undefined ? {} : { image: request.image }),
          },
          this.deps.defaults,
        );
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        throw new ValidationError(
          err.issues.map((issue) => ({
            field: issue.field.startsWith('entry') ? `entries[${i}]${issue.field.slice(5)}` : issue.field,
            reason: issue.reason,
          })),
        );
      }
    });
    this.checkBatchDuplicates(specs);
    await this.checkNode(request.node, specs, (i) => at(i, 'ac_name'));
    for (const [i, spec] of specs.entries()) {
      const existing = await this.deps.state.chains.findByIdentity(spec.identity.key);
      if (existing)
        throw new ConflictError(
          at(i, 'ac_name'),
          `a chain ${spec.identity.acName} with datadir ${spec.identity.datadir} already exists (id ${existing.spec.id})`,
        );
    }
    const created: ChainSpec[] = [];
    try {
      for (const [i, spec] of specs.entries()) {
        await this.create(spec, (field) => at(i, field));
        created.push(spec);
      }
      const ids = await this.deps.queue.addChains(
        specs.map((spec) => ({ chainId: spec.id, requestedBy: actor })),
      );
      return specs.map((spec, i) => accepted(ids[i] as string, JOB_NAMES.chainAdd, spec.id));
    } catch (err) {
      for (const spec of created) await this.deps.state.chains.delete(spec.id);
      throw err;
    }
  }

  /** DELETE /v1/chains/:id: queues chain.remove (one waiting at a time per chain: the queue dedupes). */
  async remove(id: string, keepData: boolean, actor: string): Promise<AcceptedJob> {
    const chainId = await this.existing(id);
    const jobId = await this.deps.queue.removeChain(chainId, { keepData, requestedBy: actor });
    return accepted(jobId, JOB_NAMES.chainRemove, chainId);
  }

  /** POST /v1/chains/:id/restart: queues chain.restart (one at a time per chain). */
  async restart(id: string, reason: string | undefined, actor: string): Promise<AcceptedJob> {
    const chainId = await this.existing(id);
    const jobId = await this.deps.queue.restartChain(chainId, {
      requestedBy: actor,
      ...(reason === undefined ? {} : { reason }),
    });
    return accepted(jobId, JOB_NAMES.chainRestart, chainId);
  }

  async upgrade(id: string, image: ImageRef, actor: string): Promise<AcceptedJob> {
    const chainId = await this.existing(id);
    const jobId = await this.deps.queue.upgradeChain(chainId, image, actor);
    return accepted(jobId, JOB_NAMES.chainUpgrade, chainId);
  }

  /**
   * POST /v1/chains/:id/wallet-reset: queues chain.wallet-reset (one at a time per chain). Refused with
   * 409 unless the chain is ready and its last live status (when there is one) says synced; the job's
   * own preflight checks again with the daemon (unconfirmed balance, output count) before any change.
   */
  async walletReset(id: string, actor: string): Promise<AcceptedJob> {
    const chainId = await this.readyChain(id, 'a wallet reset');
    const [live] = await this.deps.state.live.getMany([{ chain: chainId }]);
    if (live && live.synced === false)
      throw new ConflictError('id', `chain "${chainId}" is not synced: a wallet reset needs a synced daemon`);
    const jobId = await this.deps.queue.resetWallet(chainId, 'manual', actor);
    return accepted(jobId, JOB_NAMES.chainWalletReset, chainId);
  }

  /** POST /v1/chains/:id/consolidate: queues chain.consolidate (one at a time per chain); 409 unless ready. */
  async consolidate(id: string, actor: string): Promise<AcceptedJob> {
    const chainId = await this.readyChain(id, 'consolidation');
    const jobId = await this.deps.queue.consolidateChain(chainId, actor);
    return accepted(jobId, JOB_NAMES.chainConsolidate, chainId);
  }

  private async readyChain(id: string, what: string) {
    const chainId = await this.existing(id);
    const chain = await this.deps.state.chains.get(chainId);
    if (chain.status !== 'ready')
      throw new ConflictError('id', `chain "${chainId}" is ${chain.status}: ${what} needs a ready chain`);
    return chainId;
  }

  private async existing(id: string) {
    const chainId = parseOrThrow(chainIdSchema, id, 'id');
    if ((await this.deps.state.chains.find(chainId)) === undefined)
      throw new NotFoundError('id', 'chain', chainId);
    return chainId;
  }

  /** Creates the record, naming the request's own field when the store reports a clash. */
  private async create(spec: ChainSpec, field: (storeField: string) => string): Promise<void> {
    try {
      await this.deps.state.chains.create(spec);
    } catch (err) {
      if (err instanceof ConflictError) throw new ConflictError(field(err.field), err.reason);
      throw err;
    }
  }

  /** Two entries of one import that are the same chain, share an id or share a data dir. */
  private checkBatchDuplicates(specs: readonly ChainSpec[]): void {
    const seen = {
      identity: new Map<string, number>(),
      id: new Map<string, number>(),
      datadir: new Map<string, number>(),
    };
    for (const [i, spec] of specs.entries()) {
      const clash = (kind: keyof typeof seen, value: string, field: string, what: string) => {
        const first = seen[kind].get(value);
        if (first !== undefined) throw new ConflictError(at(i, field), `${what} as entries[${first}]`);
        seen[kind].set(value, i);
      };
      clash('identity', spec.identity.key, 'ac_name', `the same chain (${spec.identity.key})`);
      clash('datadir', spec.identity.datadir, 'datadir', `the same data dir ${spec.identity.datadir}`);
      clash('id', spec.id, 'ac_name', `the same chain id ${spec.id}`);
    }
  }

  /**
   * A named node must exist, and the chains' p2p ports must be free on it (and distinct among the
   * request's chains): a chain publishes its derived p2p port, which peers dial.
   */
  private async checkNode(
    node: string | undefined,
    specs: readonly ChainSpec[],
    fieldOf: (index: number) => string,
  ): Promise<void> {
    if (node === undefined) return;
    if ((await this.deps.state.nodes.find(node)) === undefined) throw new NotFoundError('node', 'node', node);
    const used = await this.deps.state.nodes.usage(node);
    const inRequest = new Map<number, string>();
    for (const [i, spec] of specs.entries()) {
      const p2p = spec.ports.p2p;
      const owner = used.ports.get(p2p)?.chainId ?? inRequest.get(p2p);
      if (owner !== undefined && owner !== spec.id)
        throw new ConflictError(
          specs.length === 1 ? 'node' : fieldOf(i),
          `p2p port ${p2p} of ${spec.id} is already taken on node ${node} by ${owner}`,
        );
      inRequest.set(p2p, spec.id);
    }
  }
}
