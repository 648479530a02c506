import { pack } from 'tar-stream';
import type { UnitFile } from '../types/unit-file.js';

const DEFAULT_UID = 10001;

/** A file's path relative to the volume root; an absolute path may name the volume's mount path. */
export function volumePath(path: string, mountPath: string): string {
  const prefix = `${mountPath.replace(/\/+$/, '')}/`;
  const rel = path.startsWith(prefix) ? path.slice(prefix.length) : path;
  return rel.replace(/^\/+/, '').replace(/\/+/g, '/');
}

/**
 * A tar of the files for putArchive at the volume's root. Parent directories come first (mode 0700,
 * owned like their first file), and the root itself is owned by that uid too: a fresh volume's root
 * belongs to root, and the unit's processes (uid 10001) write next to their conf files.
 */
export async function tarOf(files: readonly UnitFile[], mountPath: string): Promise<Buffer> {
  const p = pack();
  const dirs = new Map<string, number>();
  const rootUid = files[0]?.uid ?? DEFAULT_UID;
  p.entry({ name: './', type: 'directory', mode: 0o755, uid: rootUid, gid: files[0]?.gid ?? rootUid });
  for (const f of files) {
    const parts = volumePath(f.path, mountPath).split('/');
    for (let i = 1; i < parts.length; i++) {
      const d = parts.slice(0, i).join('/');
      if (!dirs.has(d)) dirs.set(d, f.uid ?? DEFAULT_UID);
    }
  }
  for (const [d, uid] of [...dirs].sort(([a], [b]) => a.localeCompare(b)))
    p.entry({ name: `${d}/`, type: 'directory', mode: 0o700, uid, gid: uid });
  for (const f of files) {
    const uid = f.uid ?? DEFAULT_UID;
    const content = typeof f.content === 'string' ? Buffer.from(f.content) : Buffer.from(f.content);
    p.entry({ name: volumePath(f.path, mountPath), mode: f.mode ?? 0o600, uid, gid: f.gid ?? uid }, content);
  }
  p.finalize();
  const chunks: Buffer[] = [];
  for await (const c of p) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
