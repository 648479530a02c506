/**
 * Version numbers devchain reports. They are those of the daemons it stands in for (komodod 0.8.x of
 * Season 8, Litecoin Core 0.21.4), so clients that branch on them behave as with the real daemons;
 * `subversion` names devchain so nobody mistakes it for the real thing.
 */
export const KOMODO_CLIENT_VERSION = 80_200;
export const KOMODO_PROTOCOL_VERSION = 170_010;
export const KOMODO_VERSION_STRING = '0.8.2';
export const KOMODO_WALLET_VERSION = 60_000;
export const BITCOIN_CLIENT_VERSION = 210_400;
export const BITCOIN_PROTOCOL_VERSION = 70_015;
export const BITCOIN_WALLET_VERSION = 169_900;

export function subversion(flavour: 'komodo' | 'bitcoin'): string {
  return flavour === 'komodo' ? '/MagicBean:0.8.2(devchain)/' : '/LitecoinCore:0.21.4(devchain)/';
}
