import type { ChainJobContext } from '../context.js';

/** images: the daemon's and the sidecar's images on the node (sent from another node when missing). */
export async function ensureImages(
  ctx: ChainJobContext,
  node: string,
  images: readonly string[],
  step: 'images' = 'images',
): Promise<void> {
  await ctx.progress.enter(step, `${images.join(', ')} on ${node}`);
  // The looks (and a transfer, when one is missing) go to the engine at once; each image is then a
  // checkpoint, as before: both are on the node by the first one.
  const unique = [...new Set(images)];
  await Promise.all(unique.map((image) => ctx.deps.runtime.ensureImage(node, image)));
  for (const image of unique) await ctx.checkpoint(`image ${image}`);
}
