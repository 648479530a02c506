import { ImageTransferError } from '../errors.js';
import type { Engine } from './engine.js';
import { followJsonLines } from './json-lines.js';

/**
 * `docker save REF | docker -H <to> load`, streamed (never whole in memory). The engine answers a
 * load with progress lines and reports failures in them (`error`/`errorDetail`) with HTTP 200, so the
 * reply is read to its end; the image must then be present on the target.
 */
export async function transferImage(ref: string, from: Engine, to: Engine): Promise<void> {
  let sourceError: unknown = null;
  try {
    const source = await from.long.getImage(ref).get();
    source.on('error', (err: unknown) => {
      sourceError = err;
    });
    const reply = await to.long.loadImage(source);
    const errors: string[] = [];
    await followJsonLines(reply, (line) => {
      const detail = line.errorDetail as { message?: string } | undefined;
      if (typeof line.error === 'string') errors.push(line.error);
      else if (detail?.message) errors.push(detail.message);
    });
    if (sourceError) throw sourceError;
    if (errors.length) throw new Error(errors.join('; '));
    await to.api.getImage(ref).inspect();
  } catch (err) {
    if (err instanceof ImageTransferError) throw err;
    throw new ImageTransferError(
      ref,
      from.name,
      to.name,
      err instanceof Error ? err.message : String(err),
      err,
    );
  }
}
