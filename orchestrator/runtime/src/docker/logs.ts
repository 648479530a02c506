import { EngineError, InvalidSpecError, UnitNotFoundError } from '../errors.js';
import type { LogChunk, LogsOptions } from '../types/logs-options.js';
import type { LocatedUnit } from './unit-ops.js';

// A unit container's log through the engine. A container without a TTY (every unit's) sends its two
// streams multiplexed: frames of an 8-byte header (stream byte, 3 zero bytes, big-endian length) and
// the payload, split across chunks anywhere.

const STREAMS: Record<number, LogChunk['stream']> = { 1: 'stdout', 2: 'stderr' };

/** Opens the log of one of a located (owned) unit's containers; errors come before the first chunk. */
export async function openUnitLogs(
  u: LocatedUnit,
  unit: string,
  options: LogsOptions,
): Promise<AsyncIterable<LogChunk>> {
  const which = options.container ?? 'daemon';
  if (which !== 'daemon' && which !== 'sidecar')
    throw new InvalidSpecError([`container: must be daemon or sidecar, not "${String(which)}"`]);
  if (options.tail !== undefined && !(Number.isInteger(options.tail) && options.tail >= 0))
    throw new InvalidSpecError(['tail: must be a whole number of lines, 0 or more']);
  if (options.since !== undefined && Number.isNaN(options.since.getTime()))
    throw new InvalidSpecError(['since: not a valid time']);
  const info = which === 'daemon' ? u.daemon : u.sidecar;
  if (!info) throw new UnitNotFoundError(unit);
  const abort = new AbortController();
  const stop = () => abort.abort();
  options.signal?.addEventListener('abort', stop, { once: true });
  const query = {
    stdout: true,
    stderr: true,
    ...(options.since ? { since: Math.floor(options.since.getTime() / 1000) } : {}),
    ...(options.tail !== undefined ? { tail: options.tail } : {}),
    abortSignal: abort.signal,
  };
  let stream: AsyncIterable<Buffer | string> | Iterable<Buffer>;
  try {
    // The client without an idle time-out: a followed log may stay silent for hours.
    const container = u.engine.long.getContainer(info.Id);
    stream = options.follow
      ? ((await container.logs({ ...query, follow: true })) as AsyncIterable<Buffer | string>)
      : [await container.logs({ ...query, follow: false })];
  } catch (err) {
    options.signal?.removeEventListener('abort', stop);
    throw new EngineError(u.engine.name, `logs of ${info.Name}`, err);
  }
  const tty = info.Config.Tty === true;
  return chunks(stream, tty, abort, () => options.signal?.removeEventListener('abort', stop));
}

async function* chunks(
  stream: AsyncIterable<Buffer | string> | Iterable<Buffer>,
  tty: boolean,
  abort: AbortController,
  done: () => void,
): AsyncGenerator<LogChunk> {
  const frames = new FrameReader();
  try {
    for await (const piece of stream) {
      const buf = typeof piece === 'string' ? Buffer.from(piece) : piece;
      if (tty) yield { stream: 'stdout', text: buf.toString('utf8') };
      else yield* frames.push(buf);
    }
  } catch (err) {
    // An abort (the caller went away) ends the stream; anything else is the engine's.
    if (!abort.signal.aborted) throw err;
  } finally {
    abort.abort();
    done();
  }
}

/** Reassembles multiplexed frames; a frame's bytes are decoded whole, so a character is never split. */
export class FrameReader {
  private pending: Buffer = Buffer.alloc(0);

  *push(buf: Buffer): Generator<LogChunk> {
    this.pending = this.pending.length === 0 ? buf : Buffer.concat([this.pending, buf]);
    while (this.pending.length >= 8) {
      const size = this.pending.readUInt32BE(4);
      if (this.pending.length < 8 + size) return;
      const kind = this.pending[0] ?? 0;
      const payload = this.pending.subarray(8, 8 + size);
      this.pending = this.pending.subarray(8 + size);
      const stream = STREAMS[kind];
      // Stream 0 is stdin (never sent for logs); 3 is the engine's own error on that stream.
      if (stream !== undefined && size > 0) yield { stream, text: payload.toString('utf8') };
    }
  }
}
