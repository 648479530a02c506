import { JOB_NAMES, type NodeDrainJobData } from '@nn/orchestrator-core';
import { type Job, UnrecoverableError } from 'bullmq';
import type { JobsDeps } from '../context.js';
import { strandedReason } from '../drain/drain-plan.js';
import { currentDrainPlan, setSchedulable } from '../drain/node-marks.js';
import { StepProgress } from '../progress.js';

/** The enqueue side node.drain needs: one chain.move per chain (one waiting or running per chain). */
export interface MoveEnqueuer {
  moveChain(
    chainId: string,
    from: string,
    mode: 'transfer' | 'resync' | 'fresh',
    requestedBy?: string,
  ): Promise<string>;
}

export interface DrainNodeResult {
  readonly node: string;
  readonly mode: NodeDrainJobData['mode'];
  readonly moves: ReadonlyArray<{ readonly chainId: string; readonly jobId: string; readonly to: string }>;
  /** Chains that had nowhere to go (a lost node's: they stay placed there until room is made). */
  readonly stranded: string | null;
}

/**
 * node.drain: preflight (every chain on the node has somewhere to go, else refused before any change;
 * a lost node's chains that have not are reported and left) → cordon (placement skips the node) → move
 * (one chain.move per chain, queued with the chain's dedupe id: a re-run returns the same jobs) → done.
 * The moves run under each chain's lease like every chain job; `nnctl node drain --wait` follows them.
 */
export async function drainNode(
  deps: JobsDeps,
  queue: MoveEnqueuer,
  job: Job,
  data: NodeDrainJobData,
): Promise<DrainNodeResult> {
  const log = deps.log.child({ jobId: job.id, job: JOB_NAMES.nodeDrain, node: data.node });
  const progress = new StepProgress(job, JOB_NAMES.nodeDrain, log);
  await progress.enter('preflight', `${data.mode} drain of ${data.node}`);
  const plan = await currentDrainPlan(deps.state, deps.runtime, data.node);
  const stranded = plan.stranded.length > 0 ? strandedReason(plan) : null;
  if (data.mode !== 'lost') {
    if (stranded) throw new UnrecoverableError(`cannot drain ${data.node}: ${stranded}`);
    const info = (await deps.runtime.nodes()).find((n) => n.name === data.node);
    if (!info?.reachable)
      throw new UnrecoverableError(
        `cannot drain ${data.node}: its engine does not answer (a lost node's chains move after nodeLostGraceMs)`,
      );
  } else if (stranded) log.warn({ stranded }, 'lost node: chains with nowhere to go stay placed there');
  await progress.enter('cordon', `${data.node} unschedulable`);
  await setSchedulable(deps.state, data.node, false);
  await progress.enter('move', `${plan.moves.length} chain(s)`);
  const mode = data.mode === 'lost' ? 'fresh' : data.mode;
  const moves: Array<{ chainId: string; jobId: string; to: string }> = [];
  for (const m of plan.moves)
    moves.push({ ...m, jobId: await queue.moveChain(m.chainId, data.node, mode, data.requestedBy) });
  await progress.enter('done', `${moves.length} move(s) queued`);
  return { node: data.node, mode: data.mode, moves, stranded };
}
