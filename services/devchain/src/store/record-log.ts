import { closeSync, fdatasyncSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { crc32 } from 'node:zlib';

/**
 * An append-only file of length- and checksum-framed records: the devchain's block store and wallet.
 * A record is `u32le length | u32le crc32 | payload`, synced to disk before `append` returns. After a
 * crash (even SIGKILL mid-write) the file ends in at most one torn record; `open` cuts it off, so what
 * remains is exactly the records whose append had returned.
 */
export class RecordLog {
  private constructor(
    private readonly fd: number,
    private size: number,
    readonly path: string,
  ) {}

  /** Opens (creating if absent) and returns the log with the records it holds. */
  static open(path: string): { log: RecordLog; records: Uint8Array[]; truncatedBytes: number } {
    const fd = openSync(path, 'a+', 0o600);
    const data = readFileSync(path);
    const records: Uint8Array[] = [];
    let offset = 0;
    while (offset + 8 <= data.length) {
      const length = data.readUInt32LE(offset);
      const sum = data.readUInt32LE(offset + 4);
      const end = offset + 8 + length;
      if (end > data.length) break;
      const payload = data.subarray(offset + 8, end);
      if (crc32(payload) !== sum) break;
      records.push(new Uint8Array(payload));
      offset = end;
    }
    const truncatedBytes = data.length - offset;
    if (truncatedBytes > 0) {
      ftruncateSync(fd, offset);
      fdatasyncSync(fd);
    }
    return { log: new RecordLog(fd, offset, path), records, truncatedBytes };
  }

  get bytes(): number {
    return this.size;
  }

  append(payload: Uint8Array): void {
    const frame = Buffer.allocUnsafe(8 + payload.length);
    frame.writeUInt32LE(payload.length, 0);
    frame.writeUInt32LE(crc32(payload), 4);
    frame.set(payload, 8);
    let written = 0;
    while (written < frame.length) written += writeSync(this.fd, frame, written);
    fdatasyncSync(this.fd);
    this.size += frame.length;
  }

  close(): void {
    closeSync(this.fd);
  }
}
