// How regularly a coin notarises, by the time since its last notarisation (notary-facts §6, the
// operators' monitoring rule): under 2.5 h active, 2.5 h to 24 h irregular, over 24 h inactive. A coin
// never notarised is inactive. (dragon_node colours at 2 h / 6 h / 24 h; docs/reference/iguana.md §6.)

import type { Activity } from './contract/index.js';

export type { Activity, CoinStatus } from './contract/index.js';

export const ACTIVE_BELOW_SEC = 2.5 * 3600;
export const INACTIVE_ABOVE_SEC = 24 * 3600;

export function activityOf(secondsSinceNotarisation: number | null): Activity {
  if (secondsSinceNotarisation === null) return 'inactive';
  if (secondsSinceNotarisation < ACTIVE_BELOW_SEC) return 'active';
  if (secondsSinceNotarisation <= INACTIVE_ABOVE_SEC) return 'irregular';
  return 'inactive';
}
