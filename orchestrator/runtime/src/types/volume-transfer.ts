/** What Runtime.transferVolume copied. */
export interface VolumeTransfer {
  readonly volume: string;
  readonly from: string;
  readonly to: string;
  /** Bytes of the archive streamed between the engines (file contents plus tar headers). */
  readonly bytes: number;
}
