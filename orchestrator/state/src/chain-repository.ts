import {
  type ChainRecord,
  type ChainSpec,
  type ChainStatus,
  ConflictError,
  CorruptStateError,
  chainSpecSchema,
  chainStatusSchema,
  type ImageRef,
  imageRefSchema,
  NotFoundError,
  parseOrThrow,
} from '@nn/orchestrator-core';
import type { Redis } from 'ioredis';
import { decodeChain } from './chain-codec.js';
import { checkChainId } from './ids.js';
import type { StateKeys } from './keys.js';
import { CREATE_CHAIN, DELETE_CHAIN, UPDATE_CHAIN } from './lua/chain-scripts.js';
import { replyStrings } from './lua-script.js';

/** The fields of a chain an optimistic update may change; placement changes go through placement. */
export interface ChainPatch {
  readonly status?: ChainStatus;
  /** A reason text; null clears it. */
  readonly statusReason?: string | null;
  readonly image?: ImageRef | string;
}

export interface MutateOptions {
  /** How many times to re-read and retry after losing a race; default 10. */
  readonly attempts?: number;
}

const now = () => new Date().toISOString();

/** The desired-state chains in Redis, keyed by id and unique by (ac_name, datadir). */
export class ChainRepository {
  constructor(
    private readonly redis: Redis,
    private readonly keys: StateKeys,
  ) {}

  /** Stores a new chain at status `requested`. ConflictError when its identity, id or data dir is taken. */
  async create(spec: ChainSpec): Promise<ChainRecord> {
    const checked = parseOrThrow(chainSpecSchema, spec, 'spec');
    const k = this.keys;
    const reply = replyStrings(
      await CREATE_CHAIN.run(
        this.redis,
        [k.chain(checked.id), k.chains, k.chainsByIdentity, k.chainsByDatadir],
        [checked.id, checked.identity.key, checked.identity.datadir, JSON.stringify(checked), now()],
      ),
      CREATE_CHAIN.name,
    );
    const [status, other] = reply;
    const { acName, datadir } = checked.identity;
    if (status === 'DUP_IDENTITY')
      throw new ConflictError(
        'ac_name',
        `a chain ${acName} with datadir ${datadir} already exists (id ${other})`,
      );
    if (status === 'DUP_ID')
      throw new ConflictError('ac_name', `chain id ${checked.id} is already used by another chain`);
    if (status === 'DUP_DATADIR')
      throw new ConflictError('datadir', `data dir ${datadir} is already used by chain ${other}`);
    return this.get(checked.id);
  }

  /** The chain, or undefined. */
  async find(id: string): Promise<ChainRecord | undefined> {
    const key = this.keys.chain(checkChainId(id));
    const hash = await this.redis.hgetall(key);
    return Object.keys(hash).length === 0 ? undefined : decodeChain(key, hash);
  }

  /** The chain; NotFoundError naming `chainId` when there is none. */
  async get(id: string): Promise<ChainRecord> {
    const record = await this.find(id);
    if (record === undefined) throw new NotFoundError('chainId', 'chain', id);
    return record;
  }

  /** The chain with this identity key (`ac_name@datadir`, see chainIdentity), or undefined. */
  async findByIdentity(identityKey: string): Promise<ChainRecord | undefined> {
    const id = await this.redis.hget(this.keys.chainsByIdentity, identityKey);
    return id === null ? undefined : this.find(id);
  }

  /** Every chain, ordered by id. */
  async list(): Promise<ChainRecord[]> {
    const ids = (await this.redis.smembers(this.keys.chains)).sort();
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(this.keys.chain(checkChainId(id)));
    const replies = (await pipeline.exec()) ?? [];
    return ids.map((id, i) => {
      const [err, hash] = replies[i] ?? [new Error('no reply'), undefined];
      if (err) throw err;
      const key = this.keys.chain(id);
      if (hash === null || typeof hash !== 'object' || Object.keys(hash).length === 0)
        throw new CorruptStateError(this.keys.chains, `lists ${id} but ${key} does not exist`);
      return decodeChain(key, hash as Record<string, string>);
    });
  }

  /**
   * Changes status, reason or image if the chain is still at `expectedVersion`; ConflictError on
   * `version` when someone changed it meanwhile (re-read and decide again, or use mutate()).
   */
  async update(id: string, expectedVersion: number, patch: ChainPatch): Promise<ChainRecord> {
    const current = await this.get(id);
    const set: string[] = [];
    const del: string[] = [];
    if (patch.status !== undefined)
      set.push('status', parseOrThrow(chainStatusSchema, patch.status, 'status'));
    if (patch.statusReason === null) del.push('statusReason');
    else if (patch.statusReason !== undefined) set.push('statusReason', patch.statusReason.slice(0, 1000));
    if (patch.image !== undefined) {
      const image = parseOrThrow(imageRefSchema, patch.image, 'image');
      set.push('spec', JSON.stringify(parseOrThrow(chainSpecSchema, { ...current.spec, image }, 'spec')));
    }
    const reply = replyStrings(
      await UPDATE_CHAIN.run(
        this.redis,
        [this.keys.chain(current.spec.id)],
        [String(expectedVersion), now(), String(set.length / 2), ...set, ...del],
      ),
      UPDATE_CHAIN.name,
    );
    if (reply[0] === 'NOCHAIN') throw new NotFoundError('chainId', 'chain', id);
    if (reply[0] === 'VERSION')
      throw new ConflictError('version', `chain ${id} is at version ${reply[1]}, not ${expectedVersion}`);
    return this.get(id);
  }

  /**
   * Read-modify-write with retries: `change` sees the current record and returns the patch (or undefined
   * for "nothing to do"); a lost race re-reads and calls it again.
   */
  async mutate(
    id: string,
    change: (current: ChainRecord) => ChainPatch | undefined,
    options: MutateOptions = {},
  ): Promise<ChainRecord> {
    const attempts = options.attempts ?? 10;
    for (let attempt = 1; ; attempt++) {
      const current = await this.get(id);
      const patch = change(current);
      if (patch === undefined) return current;
      try {
        return await this.update(id, current.version, patch);
      } catch (err) {
        if (!(err instanceof ConflictError && err.field === 'version') || attempt >= attempts) throw err;
      }
    }
  }

  /**
   * Deletes the chain and everything that points at it (indexes, pending marker), giving back its
   * placement in the same step. Returns false when there was no such chain. With `expectedVersion`,
   * ConflictError if it changed.
   */
  async delete(id: string, expectedVersion?: number): Promise<boolean> {
    const k = this.keys;
    for (let attempt = 1; attempt <= 10; attempt++) {
      const current = await this.find(id);
      if (current === undefined) return false;
      const chainId = current.spec.id;
      const node = current.placement?.node;
      const nodeKeys =
        node === undefined
          ? [k.nodePorts('-'), k.nodeAlloc('-'), k.nodeUsage('-')] // never touched: the chain is unplaced
          : [k.nodePorts(node), k.nodeAlloc(node), k.nodeUsage(node)];
      const reply = replyStrings(
        await DELETE_CHAIN.run(
          this.redis,
          [
            k.chain(chainId),
            k.chains,
            k.chainsByIdentity,
            k.chainsByDatadir,
            k.pending(chainId),
            ...nodeKeys,
          ],
          [
            chainId,
            current.spec.identity.key,
            current.spec.identity.datadir,
            node ?? '',
            expectedVersion === undefined ? '' : String(expectedVersion),
          ],
        ),
        DELETE_CHAIN.name,
      );
      if (reply[0] === 'OK') return true;
      if (reply[0] === 'NOCHAIN') return false;
      if (reply[0] === 'VERSION')
        throw new ConflictError('version', `chain ${id} is at version ${reply[1]}, not ${expectedVersion}`);
      // STALE: placed or moved between our read and the script; read again.
    }
    throw new ConflictError('placement', `chain ${id} kept moving while being deleted`);
  }
}
