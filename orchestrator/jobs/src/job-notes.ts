import type { Redis } from 'ioredis';

// Facts a job learns about the world before it changes it, kept so a re-run after a crash still knows
// them: whether the data volume existed before this job (rollback must never delete data it did not
// make), the image a chain ran before an upgrade. Non-secret refs only. A Redis hash per job with a TTL,
// because job data is strict (ids only) and progress is for display.

const TTL_SEC = 30 * 24 * 3600;

export type NoteName =
  | 'volumeExisted'
  | 'placedByJob'
  | 'existingChain'
  | 'previousImage'
  | 'registered'
  /** chain.restart: the unit was stopped and started again by this job (a wait after it resumes there) */
  | 'restarted'
  /** wallet reset: what the wallet held when the job began, and where the old wallet goes */
  | 'resetPlan'
  /** wallet reset: the signed send-to-self (txid, hex, fee) before it is broadcast */
  | 'resetSend'
  /** wallet reset: wallet.dat has been set aside */
  | 'walletMoved'
  /** wallet reset: where the old wallet was set aside (the first of the plan's paths that was there) */
  | 'walletBackup'
  /** consolidation: the batch being sent (txid, hex, fee) before it is broadcast */
  | 'consolidateSend'
  /** chain.move: the old placement is being given back (set before the release) */
  | 'moving'
  /** chain.move: the data volume reached the new node (bytes streamed) */
  | 'bytesSent'
  /** whole-node upgrade: the plan (every unit's image before and after), noted before any change */
  | 'nodeUpgradePlan'
  /** season change: the plan as the job's first run computed it (ids, ports, images; no secret) */
  | 'seasonPlan'
  /** season change: Iguana's daemon container and start time before the season's one restart of it */
  | 'seasonIguanaBefore'
  /** season change: Iguana has been restarted (or replaced) with the season's elected file and seeds */
  | 'seasonIguanaRestarted'
  /** season change: when the wait for every chain to be registered again began (ms since the epoch) */
  | 'seasonRegisterSince';

export class JobNotes {
  constructor(
    private readonly redis: Redis,
    private readonly key: string,
  ) {}

  static for(redis: Redis, prefix: string, queue: string, jobId: string): JobNotes {
    return new JobNotes(redis, `${prefix}jobnotes:${queue}:${jobId}`);
  }

  /** Records a fact unless the job already recorded it (the first observation wins). */
  async setOnce(name: NoteName, value: string): Promise<string> {
    await this.redis.hsetnx(this.key, name, value);
    await this.redis.expire(this.key, TTL_SEC);
    return (await this.get(name)) ?? value;
  }

  async set(name: NoteName, value: string): Promise<void> {
    await this.redis.hset(this.key, name, value);
    await this.redis.expire(this.key, TTL_SEC);
  }

  async get(name: NoteName): Promise<string | undefined> {
    return (await this.redis.hget(this.key, name)) ?? undefined;
  }

  async clear(): Promise<void> {
    await this.redis.del(this.key);
  }
}
