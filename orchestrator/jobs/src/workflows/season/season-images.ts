import { ValidationError } from '@nn/orchestrator-core';
import type { StateStore } from '@nn/orchestrator-state';
import { ImageUnavailableError, type Runtime } from '@nn/runtime';
import type { SeasonPlan } from './plan-season.js';

// A season's images, looked for before anything changes: an image no reachable node has would
// otherwise be found by the first chain.add or chain.upgrade, after the season's removals. The
// runtime's ensureImage sends one to the node from another node that has it; nothing is pulled.

interface Wanted {
  readonly node: string;
  readonly image: string;
  readonly field: string;
}

async function wantedImages(state: StateStore, plan: SeasonPlan): Promise<Wanted[]> {
  const field = 'network.assetchains.image';
  const wanted: Wanted[] = [];
  if (plan.add.length > 0) {
    // Placement picks the node later; one schedulable node holding it proves some node can have it.
    const node = (await state.nodes.list()).find((n) => n.schedulable);
    if (node) wanted.push({ node: node.name, image: plan.chainImage, field });
  }
  for (const { id, to } of plan.upgrade) {
    const node = (await state.chains.find(id))?.placement?.node;
    if (node) wanted.push({ node, image: to, field });
  }
  const layout = plan.nodeUnits?.layout;
  if (layout && plan.iguana.some((c) => c.field === 'images.iguanaDaemon'))
    wanted.push({
      node: layout.node,
      image: layout.images.iguanaDaemon,
      field: 'network.daemons (iguana).image',
    });
  return wanted;
}

/** Every image the season runs, on the node it runs on; ValidationError naming the field otherwise. */
export async function ensureSeasonImages(
  runtime: Runtime,
  state: StateStore,
  plan: SeasonPlan,
): Promise<void> {
  const issues: Array<{ field: string; reason: string }> = [];
  const seen = new Set<string>();
  for (const { node, image, field } of await wantedImages(state, plan)) {
    if (seen.has(`${node} ${image}`)) continue;
    seen.add(`${node} ${image}`);
    try {
      await runtime.ensureImage(node, image);
    } catch (err) {
      if (!(err instanceof ImageUnavailableError)) throw err;
      issues.push({ field, reason: err.message });
    }
  }
  if (issues.length > 0) throw new ValidationError(issues);
}
