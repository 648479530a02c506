/**
 * A further volume mounted into the unit's daemon, beside its data volume: data several units of a node
 * share, such as the zcash params komodod-family daemons refuse to start without (filled once, read by
 * every chain unit). Created if missing, ownership-labelled for the unit that made it; a volume of that
 * name the runtime did not make is refused (NotOwnedError).
 */
export interface UnitMount {
  /** Volume name: 1-63 of `A-Z a-z 0-9 _ . -`; never the unit's own data volume. */
  readonly volume: string;
  /** Absolute path in the daemon container, outside the data volume's mount path. */
  readonly path: string;
  /** Default false. */
  readonly readOnly?: boolean;
}
