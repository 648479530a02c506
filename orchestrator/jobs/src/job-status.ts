import { type JobProgress, jobProgressSchema } from '@nn/orchestrator-core';
import { Job, type JobJsonRaw, type JobState, type Queue } from 'bullmq';

/** What GET /v1/jobs/:id shows. Job data holds ids only, so all of it is safe to show a viewer. */
export interface JobView {
  readonly id: string;
  readonly name: string;
  /** waiting | active | delayed | completed | failed | prioritized | waiting-children | unknown */
  readonly state: string;
  readonly chainId: string | null;
  readonly step: string | null;
  readonly progress: JobProgress | null;
  readonly error: { readonly message: string } | null;
  readonly attemptsMade: number;
  readonly attempts: number;
  readonly result: unknown;
  readonly createdAt: string;
  readonly finishedAt: string | null;
}

/** A job's hash and its state as one instant saw them. */
export interface JobSnapshot {
  readonly id: string;
  /** The job hash's fields (HGETALL); empty when there is no such job. */
  readonly hash: Readonly<Record<string, string>>;
  readonly state: JobState | 'unknown';
}

const JOB_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** BullMQ's state keys, in the order of its own getState script (getStateV2); the first holding the id wins. */
const STATE_KEYS = [
  'completed',
  'failed',
  'delayed',
  'prioritized',
  'active',
  'wait',
  'paused',
  'waiting-children',
] as const;

const READ_JOB_COMMAND = 'nnReadJob:1';

/**
 * BullMQ's getStateV2 and HGETALL of the job in one script. KEYS: the eight state keys of STATE_KEYS,
 * then the job hash; ARGV[1]: the job id. Returns { state, flat HGETALL reply }. LPOS needs Redis 6.0.6;
 * older servers scan the list, as BullMQ's own getState does.
 */
const READ_JOB_LUA = `
local rcall = redis.call
local id = ARGV[1]
local function inList(key)
  local ok, pos = pcall(rcall, 'LPOS', key, id)
  if ok then return pos ~= false and pos ~= nil end
  for _, v in ipairs(rcall('LRANGE', key, 0, -1)) do
    if v == id then return true end
  end
  return false
end
local state = 'unknown'
if rcall('ZSCORE', KEYS[1], id) then state = 'completed'
elseif rcall('ZSCORE', KEYS[2], id) then state = 'failed'
elseif rcall('ZSCORE', KEYS[3], id) then state = 'delayed'
elseif rcall('ZSCORE', KEYS[4], id) then state = 'prioritized'
elseif inList(KEYS[5]) then state = 'active'
elseif inList(KEYS[6]) then state = 'waiting'
elseif inList(KEYS[7]) then state = 'waiting'
elseif rcall('ZSCORE', KEYS[8], id) then state = 'waiting-children'
end
return { state, rcall('HGETALL', KEYS[9]) }
`;

const JOB_STATES: ReadonlySet<string> = new Set<JobState>([
  'completed',
  'failed',
  'delayed',
  'prioritized',
  'active',
  'waiting',
  'waiting-children',
]);
const isJobState = (s: unknown): s is JobState => typeof s === 'string' && JOB_STATES.has(s);

/** Clients the script is defined on (BullMQ defines its own scripts on the client the same way). */
const defined = new WeakSet<object>();

/**
 * Reads the job hash and the job's state in one script, so both are of the same instant: every BullMQ
 * move (to active, completed, failed, delayed, back to waiting) is itself one script that writes the
 * hash and the state lists together, and no script runs inside another. Two round trips (state, then
 * hash) could pair `active` with a finished job's result, `failed` with a retry's cleared reason, or a
 * state with the progress of another step.
 */
export async function readJobSnapshot(queue: Queue, id: string): Promise<JobSnapshot> {
  const client = await queue.client;
  if (!defined.has(client)) {
    client.defineCommand(READ_JOB_COMMAND, { numberOfKeys: STATE_KEYS.length + 1, lua: READ_JOB_LUA });
    defined.add(client);
  }
  const keys = [...STATE_KEYS.map((k) => queue.toKey(k)), queue.toKey(id)];
  const reply: unknown = await client.runCommand(READ_JOB_COMMAND, [...keys, id]);
  if (!Array.isArray(reply) || reply.length !== 2 || !Array.isArray(reply[1]))
    throw new Error(`reading job ${id}: unexpected reply from Redis`);
  const [state, flat] = reply as [unknown, unknown[]];
  const hash: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const field = flat[i];
    const value = flat[i + 1];
    if (typeof field === 'string' && typeof value === 'string') hash[field] = value;
  }
  return { id, hash, state: isJobState(state) ? state : 'unknown' };
}

/**
 * The view of one snapshot, decoded the way BullMQ decodes a job (Job.fromJSON); undefined when the
 * snapshot shows no job (no hash, or in no state: removed, or not queued yet). Pure: tested alone.
 */
export function jobViewOf(queue: Queue, snapshot: JobSnapshot): JobView | undefined {
  const { hash, state } = snapshot;
  if (state === 'unknown' || Object.keys(hash).length === 0) return undefined;
  // The hash's fields are JobJsonRaw's (BullMQ's getJob passes its HGETALL reply to fromJSON too).
  const raw: Partial<JobJsonRaw> = hash;
  const job = Job.fromJSON(queue, raw as JobJsonRaw, snapshot.id);
  if (job.id === undefined) return undefined;
  const progress = jobProgressSchema.safeParse(job.progress);
  const data = job.data as { chainId?: unknown } | undefined;
  return {
    id: job.id,
    name: job.name,
    state,
    chainId: typeof data?.chainId === 'string' ? data.chainId : null,
    step: progress.success ? progress.data.step : null,
    progress: progress.success ? progress.data : null,
    error: job.failedReason ? { message: job.failedReason } : null,
    attemptsMade: job.attemptsMade,
    attempts: job.opts.attempts ?? 1,
    result: job.returnvalue ?? null,
    createdAt: new Date(job.timestamp).toISOString(),
    finishedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
  };
}

/** A job's state, step, progress and error, all of one instant; undefined when unknown. */
export async function readJob(queue: Queue, id: string): Promise<JobView | undefined> {
  if (!JOB_ID.test(id)) return undefined;
  return jobViewOf(queue, await readJobSnapshot(queue, id));
}
