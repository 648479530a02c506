import {
  type ChainMoveJobData,
  type ChainRecord,
  type NodeName,
  PermanentError,
  type Placement,
} from '@nn/orchestrator-core';
import type { ChainJobContext } from '../context.js';
import { strandedReason } from '../drain/drain-plan.js';
import { currentDrainPlan } from '../drain/node-marks.js';
import { deployUnit } from '../steps/deploy-unit.js';
import { ensureImages } from '../steps/ensure-images.js';
import { volumeOf } from '../steps/ensure-volumes.js';
import { importKey } from '../steps/import-key.js';
import { prepareUnitFiles } from '../steps/prepare-unit-files.js';
import { deregisterIguana, iguanaCall, readyReason, registerIguana } from '../steps/register-iguana.js';
import { waitReady } from '../steps/wait-ready.js';
import { chainUnitSpec, LABEL_CHAIN, LABEL_INSTANCE } from '../unit/unit-spec.js';

export interface MoveChainResult {
  readonly chainId: string;
  readonly from: string;
  readonly to: string | null;
  readonly mode: ChainMoveJobData['mode'];
  /** Bytes of the data volume streamed (transfer only). */
  readonly bytesSent: number | null;
  /** The old data volume left on `from` (resync keeps the old wallet.dat; a lost node is not asked). */
  readonly keptVolume: { node: string; volume: string } | null;
  readonly skipped?: string;
}

/**
 * Where the move stands, from the chain's placement and this job's notes: `moving` is noted before the
 * old placement is given back, so a re-run after a crash between the release and the new placement,
 * or anywhere after, goes on instead of taking the chain for moved by someone else.
 */
async function moveState(ctx: ChainJobContext, chain: ChainRecord, from: string) {
  const moving = (await ctx.notes.get('moving')) === '1';
  const node = chain.placement?.node;
  if (node === from) return 'to-move' as const;
  if (moving) return node === undefined ? ('released' as const) : ('placed' as const);
  return 'elsewhere' as const;
}

/** deregister + stop: Iguana forgets the old endpoint, then the old copy is stopped and its containers removed. */
async function leaveOldNode(ctx: ChainJobContext, chain: ChainRecord, data: ChainMoveJobData): Promise<void> {
  const { runtime, config } = ctx.deps;
  await ctx.progress.enter('deregister', `${chain.spec.identity.iguanaName} from Iguana`);
  const deregister = iguanaCall(() => deregisterIguana(ctx, chain.spec));
  // A lost node may have taken Iguana with it: its chains start on the new node meanwhile, and the
  // register step waits for Iguana (registering the new endpoint) instead.
  if (data.mode === 'fresh')
    await deregister.catch((err: unknown) =>
      ctx.log.warn(
        { err: err instanceof Error ? err.message : String(err) },
        'deregister failed: Iguana later',
      ),
    );
  else await deregister;
  await ctx.checkpoint('deregistered');
  // Only the copy on `from` (on a lost node: nothing, its engine does not answer); the volume stays.
  await ctx.progress.enter('stop', `graceful stop on ${data.from}, up to ${config.stopTimeoutSec} s`);
  await runtime.removeUnit(ctx.unit, { node: data.from, timeoutSec: config.stopTimeoutSec });
  await ctx.checkpoint('stopped');
}

/** place: the old placement given back, a new one on another schedulable node. */
async function replace(ctx: ChainJobContext, from: NodeName, released: boolean): Promise<Placement> {
  const { state } = ctx.deps;
  await ctx.progress.enter('place', `off ${from}`);
  await ctx.notes.set('moving', '1');
  if (!released) await state.placement.release(ctx.chainId);
  await ctx.checkpoint('released');
  const decision = await state.placement.place(ctx.chainId, undefined, { excludeNodes: [from] });
  await ctx.checkpoint('placed');
  const p = decision.placement;
  await ctx.progress.enter('place', `on ${p.node}: p2p ${p.p2pPort}, sidecar ${p.sidecarPort}`);
  return p;
}

/** volumes: the old volume streamed over (transfer), or a fresh one made (resync, fresh). */
async function moveVolume(ctx: ChainJobContext, data: ChainMoveJobData, to: string): Promise<number | null> {
  const { runtime, config } = ctx.deps;
  const volume = volumeOf(ctx.unit);
  if (data.mode !== 'transfer') {
    await ctx.progress.enter('volumes', `fresh ${volume} on ${to}`);
    await runtime.ensureVolume(to, volume, ctx.unit, {
      [LABEL_CHAIN]: ctx.chainId,
      [LABEL_INSTANCE]: config.instance,
    });
    await ctx.checkpoint('volume');
    return null;
  }
  const sent = await ctx.notes.get('bytesSent');
  if (sent !== undefined && sent !== null) {
    await ctx.progress.enter('volumes', `${volume} sent already`);
    return Number(sent);
  }
  await ctx.progress.enter('volumes', `sending ${volume} from ${data.from} to ${to}`);
  const { bytes } = await runtime.transferVolume(data.from, to, volume, ctx.unit);
  await ctx.notes.set('bytesSent', String(bytes));
  await ctx.checkpoint('volume sent');
  return bytes;
}

/** Refuses before any change: a chain that would have nowhere to go, or a node that cannot be stopped on. */
async function preflight(ctx: ChainJobContext, data: ChainMoveJobData): Promise<void> {
  const { state, runtime } = ctx.deps;
  await ctx.progress.enter('preflight', `${data.mode} off ${data.from}`);
  const plan = await currentDrainPlan(state, runtime, data.from);
  const mine = plan.stranded.filter((s) => s.chainId === ctx.chainId);
  if (mine.length > 0) throw new PermanentError(strandedReason({ ...plan, stranded: mine }));
  if (data.mode === 'fresh') return;
  const info = (await runtime.nodes()).find((n) => n.name === data.from);
  if (!info?.reachable)
    throw new PermanentError(
      `node ${data.from} does not answer: a ${data.mode} move stops the chain there first`,
    );
}

/**
 * chain.move: preflight → deregister → stop (stop-first: one data dir never has two daemons) → place
 * (off `from`) → images → volumes (streamed, or fresh) → create → start → wait-ready → import-key (the
 * notary key again: a fresh volume has an empty wallet) → register → cleanup (the old volume once the
 * new copy is ready, for transfer) → done. Each step looks before it acts; the notes carry what a
 * re-run needs (moving, bytesSent).
 */
export async function moveChain(ctx: ChainJobContext, data: ChainMoveJobData): Promise<MoveChainResult> {
  const { state, runtime, config } = ctx.deps;
  const base = { chainId: ctx.chainId, from: data.from, mode: data.mode };
  let chain = await state.chains.get(ctx.chainId);
  const where = await moveState(ctx, chain, data.from);
  if (where === 'elsewhere') {
    await ctx.progress.enter('done', `not on ${data.from}: nothing to move`);
    return {
      ...base,
      to: chain.placement?.node ?? null,
      bytesSent: null,
      keptVolume: null,
      skipped: 'not on the node',
    };
  }
  if (where === 'to-move') {
    await preflight(ctx, data);
    await state.chains.mutate(ctx.chainId, () => ({
      status: 'provisioning',
      statusReason: `moving off ${data.from}`,
    }));
    await leaveOldNode(ctx, chain, data);
  }
  const placement =
    where === 'placed' && chain.placement
      ? chain.placement
      : await replace(ctx, data.from, where === 'released');
  chain = await state.chains.get(ctx.chainId);
  const unitSpec = chainUnitSpec(chain.spec, placement, config);
  await ensureImages(ctx, placement.node, [unitSpec.daemon.image, unitSpec.sidecar.image]);
  const bytesSent = await moveVolume(ctx, data, placement.node);
  const { unit, secrets } = await prepareUnitFiles(ctx, chain.spec, unitSpec, 'start');
  await state.chains.mutate(ctx.chainId, () => ({ status: 'starting' }));
  const handle = await deployUnit(ctx, unit);
  await state.chains.mutate(ctx.chainId, () => ({ status: 'syncing' }));
  await waitReady(ctx, handle);
  await importKey(ctx, chain.spec, handle, secrets);
  const iguana = await registerIguana(ctx, chain.spec, placement, handle, secrets);
  await ctx.progress.enter(
    'cleanup',
    data.mode === 'transfer' ? `old volume on ${data.from}` : 'old volume kept',
  );
  if (data.mode === 'transfer')
    await runtime.removeUnit(ctx.unit, { node: data.from, volumes: true, timeoutSec: config.stopTimeoutSec });
  await ctx.progress.enter('done');
  await state.chains.mutate(ctx.chainId, () => ({ status: 'ready', statusReason: readyReason(iguana) }));
  const keptVolume = data.mode === 'transfer' ? null : { node: data.from, volume: volumeOf(ctx.unit) };
  return { ...base, to: placement.node, bytesSent, keptVolume };
}
