/**
 * Made by the test harness, not by the runtime under test: resources with names the runtime would use
 * but without its ownership labels, to prove the runtime refuses to touch them.
 */
export interface ForeignResources {
  /** Creates (not starts) a plain container named `name` on `node`. */
  container(node: string, name: string): Promise<void>;
  /** Creates a plain volume named `name` on `node`. */
  volume(node: string, name: string): Promise<void>;
  /** Whether it still exists, unchanged (same id as when made). */
  exists(node: string, kind: 'container' | 'volume', name: string): Promise<boolean>;
  /** Removes it (clean-up). */
  remove(node: string, kind: 'container' | 'volume', name: string): Promise<void>;
}
