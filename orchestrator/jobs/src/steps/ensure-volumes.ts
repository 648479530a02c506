import type { ChainJobContext } from '../context.js';
import { LABEL_CHAIN, LABEL_INSTANCE } from '../unit/unit-spec.js';

/** The data volume's name for a unit (the runtime's default: `<unit>-data`). */
export const volumeOf = (unit: string): string => `${unit}-data`;

/**
 * Whether the unit's data volume is there now: a look only, nothing made. The job starts it while the
 * images are checked (it is a listing of the engines); until this job makes the volume, nothing else
 * can (the chain's lease), so the answer still holds when the volumes step notes it.
 */
export function lookForVolume(ctx: ChainJobContext): Promise<boolean> {
  const volume = volumeOf(ctx.unit);
  const look = ctx.deps.runtime
    .listOwned()
    .then((owned) => owned.some((r) => r.kind === 'volume' && r.name === volume && r.unit === ctx.unit));
  // Awaited by the volumes step; if an earlier step fails first, its rejection must not go unhandled.
  look.catch(() => undefined);
  return look;
}

/**
 * volumes: the unit's data volume, owned and labelled. Before making it, notes whether it was already
 * there (data kept from an earlier removal, or a running chain's): a rollback never deletes that.
 */
export async function ensureVolumes(
  ctx: ChainJobContext,
  node: string,
  seen: Promise<boolean> = lookForVolume(ctx),
): Promise<string> {
  await ctx.progress.enter('volumes');
  const volume = volumeOf(ctx.unit);
  const existed = await seen;
  await ctx.notes.setOnce('volumeExisted', existed ? '1' : '0');
  await ctx.deps.runtime.ensureVolume(node, volume, ctx.unit, {
    [LABEL_CHAIN]: ctx.chainId,
    [LABEL_INSTANCE]: ctx.deps.config.instance,
  });
  await ctx.checkpoint('volume');
  return volume;
}
