/**
 * A file put into a unit's data volume before the unit starts: conf files and secrets. Secrets travel
 * only this way, never through environment variables or command-line arguments (both are visible in
 * `docker inspect` and process lists).
 */
export interface UnitFile {
  /**
   * Path inside the volume, relative to its root (`.komodo/komodo.conf`). In UnitSpec.files an absolute
   * path under the unit's mount path (`/data/.komodo/komodo.conf`) means the same; putFiles knows no
   * mount path, so there a leading `/` is just the volume root.
   */
  readonly path: string;
  readonly content: string | Uint8Array;
  /** Default 0o600: most unit files hold credentials. */
  readonly mode?: number;
  /** Default 10001, the uid the project's images run as. */
  readonly uid?: number;
  /** Default: the same as uid. */
  readonly gid?: number;
}
