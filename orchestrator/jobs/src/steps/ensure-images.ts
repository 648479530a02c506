import type { ChainJobContext } from '../context.js';

/** images: the daemon's and the sidecar's images on the node (sent from another node when missing). */
export async function ensureImages(
  ctx: ChainJobContext,
  node: string,
  images: readonly string[],
  step: 'images' = 'images',
): Promise<void> {
  await ctx.progress.enter(step, `${images.join(', ')} on ${node}`);
  for (const image of new Set(images)) {
    await ctx.deps.runtime.ensureImage(node, image);
    await ctx.checkpoint(`image ${image}`);
  }
}
