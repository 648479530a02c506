import { PassThrough } from 'node:stream';
import { InvalidSpecError } from '../errors.js';
import type { LogChunk, LogsOptions } from '../types/logs-options.js';
import { call } from './kube-client.js';
import type { KubeContext } from './kube-context.js';
import { DAEMON, SIDECAR } from './kube-names.js';
import { ownedSet, podOf } from './kube-units.js';

async function* chunks(stream: PassThrough): AsyncGenerator<LogChunk> {
  // The kubelet serves a container's stdout and stderr as one stream: every chunk says stdout.
  for await (const buf of stream) yield { stream: 'stdout', text: (buf as Buffer).toString('utf8') };
}

/**
 * A container's log through the pod log API, once the set is proven ours (UnitNotFoundError when
 * absent, NotOwnedError for a foreign set of the unit's name). A stopped unit has no pod: its log
 * went with it (the kubelet keeps logs per pod), so the stream is empty.
 */
export async function logs(
  ctx: KubeContext,
  name: unknown,
  options: LogsOptions = {},
): Promise<AsyncIterable<LogChunk>> {
  const container = options.container ?? DAEMON;
  if (container !== DAEMON && container !== SIDECAR)
    throw new InvalidSpecError([
      `container: must be daemon or sidecar, got ${JSON.stringify(container).slice(0, 40)}`,
    ]);
  const set = await ownedSet(ctx, name, 'not-owned');
  const pod = await podOf(ctx, set);
  const out = new PassThrough();
  // After an abort the response may still write into the ended stream: that error is expected.
  out.on('error', () => undefined);
  if (!pod || options.signal?.aborted) {
    out.end();
    return chunks(out);
  }
  const controller = await call(ctx.client, `log of ${pod.metadata?.name}/${container}`, () =>
    ctx.client.log.log(ctx.client.namespace, pod.metadata?.name ?? '', container, out, {
      follow: options.follow ?? false,
      ...(options.tail !== undefined ? { tailLines: options.tail } : {}),
      ...(options.since ? { sinceTime: `${options.since.toISOString().slice(0, 19)}Z` } : {}),
    }),
  );
  options.signal?.addEventListener(
    'abort',
    () => {
      controller.abort();
      out.end();
    },
    { once: true },
  );
  return chunks(out);
}
