import { type NodeUnitsDesired, parseNodeUnitsDesired } from '@nn/node-units';
import {
  type NodeUpgradePlan,
  nodeUpgradeImagesSchema,
  parseOrThrow,
  ValidationError,
} from '@nn/orchestrator-core';
import type { StateStore } from '@nn/orchestrator-state';
import { ImageUnavailableError, type Runtime } from '@nn/runtime';
import { planNodeUpgrade } from './plan.js';

// The plan from what the state store holds now, and the preflight of its images: shared by the API (a
// 4xx before anything is queued) and the job's own preflight (the state may have moved since).

export async function readDesiredUnits(state: StateStore): Promise<NodeUnitsDesired | undefined> {
  const doc = await state.nodeUnits.getDesired();
  return doc === undefined ? undefined : parseNodeUnitsDesired(doc);
}

/** The plan for `images` (unchecked input: a ValidationError naming `images.<key>` when bad). */
export async function nodeUpgradePlanOf(
  state: StateStore,
  images: unknown,
  chainUnit?: (chainId: string) => string,
): Promise<NodeUpgradePlan> {
  const parsed = parseOrThrow(nodeUpgradeImagesSchema, images, 'images');
  return planNodeUpgrade({
    desired: await readDesiredUnits(state),
    chains: await state.chains.list(),
    images: parsed,
    ...(chainUnit ? { chainUnit } : {}),
  });
}

/**
 * Every image of the plan on the node it will run on, sent there from another node when only that one
 * has it (the runtime's ensureImage); one no reachable node has refuses the whole upgrade, naming each
 * target that asked for it. Nothing about any unit changes here.
 */
export async function ensurePlanImages(
  runtime: Runtime,
  plan: NodeUpgradePlan,
  onImage?: (image: string) => Promise<void>,
): Promise<void> {
  const issues: Array<{ field: string; reason: string }> = [];
  for (const { node, image } of plan.images) {
    try {
      await runtime.ensureImage(node, image);
      await onImage?.(image);
    } catch (err) {
      if (!(err instanceof ImageUnavailableError)) throw err;
      for (const target of targetsOf(plan, node, image))
        issues.push({ field: `images.${target}`, reason: err.message });
    }
  }
  if (issues.length > 0) throw new ValidationError(issues);
}

function targetsOf(plan: NodeUpgradePlan, node: string, image: string): string[] {
  const daemons = plan.daemons.filter((d) => d.node === node && d.to === image).map((d) => d.target);
  const iguana = plan.iguana && plan.iguana.node === node && plan.iguana.to === image ? ['iguana'] : [];
  return [...daemons, ...iguana];
}
