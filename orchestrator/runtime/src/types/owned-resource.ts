/** A Docker (or other) resource the runtime made, found by its ownership labels. */
export interface OwnedResource {
  readonly node: string;
  readonly kind: 'container' | 'volume' | 'network';
  readonly id: string;
  readonly name: string;
  /** The unit it belongs to; '-' for shared resources (networks, file-copy helpers). */
  readonly unit: string;
}
