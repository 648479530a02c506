/** One of a unit's two processes. */
export interface ContainerSpec {
  /** Image reference; it must already be on the node (see Runtime.ensureImage). */
  readonly image: string;
  /** Arguments after the image's entrypoint. Never secrets: those go in files. Default: the image's CMD. */
  readonly cmd?: readonly string[];
  /** `KEY=value` pairs, never secrets. Default none. */
  readonly env?: readonly string[];
  /**
   * The working directory (absolute), where a daemon reads files by bare name: `iguana notary` reads
   * `elected` from it. Default: the image's.
   */
  readonly workdir?: string;
}
