/** Thrown by parseKomodoArgs (and the assetchains.json helpers) for a flag komodod would refuse or misread. */
export class KomodoArgsError extends Error {
  override readonly name = 'KomodoArgsError';
  constructor(
    /** The flag without its dash, e.g. `ac_supply`. */
    readonly flag: string,
    readonly reason: string,
  ) {
    super(`-${flag}: ${reason}`);
  }
}

/** Thrown by parseConf for a line boost's config_file_iterator would reject. */
export class ConfParseError extends Error {
  override readonly name = 'ConfParseError';
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
  }
}
