/**
 * Calls `onLine` with each JSON object of a newline-delimited stream (Docker's events, load and pull
 * progress). Chunks split objects anywhere, so lines are reassembled; a line that is not JSON is
 * passed as `{ raw }`. Resolves at the end of the stream, rejects on a stream error.
 */
export function followJsonLines(
  stream: NodeJS.ReadableStream,
  onLine: (obj: Record<string, unknown>) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const emit = (line: string) => {
      const t = line.trim();
      if (!t) return;
      try {
        const v = JSON.parse(t) as unknown;
        onLine(typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : { raw: t });
      } catch {
        onLine({ raw: t });
      }
    };
    stream.on('data', (chunk: Buffer | string) => {
      buf += chunk.toString();
      let i = buf.indexOf('\n');
      while (i >= 0) {
        emit(buf.slice(0, i));
        buf = buf.slice(i + 1);
        i = buf.indexOf('\n');
      }
    });
    // 'end' and 'close' may both come: the unterminated tail is passed once.
    const finish = () => {
      const tail = buf;
      buf = '';
      emit(tail);
      resolve();
    };
    stream.on('end', finish);
    stream.on('close', finish);
    stream.on('error', reject);
  });
}
