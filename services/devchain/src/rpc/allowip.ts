import { BlockList, isIPv4, isIPv6 } from 'node:net';

/** komodod's start-up error for a bad -rpcallowip entry (httpserver.cpp InitHTTPAllowList). */
export function invalidAllowIpMessage(entry: string): string {
  return (
    `Invalid -rpcallowip subnet specification: ${entry}. Valid are a single IP (e.g. 1.2.3.4), ` +
    'a network/netmask (e.g. 1.2.3.4/255.255.255.0) or a network/CIDR (e.g. 1.2.3.4/24).'
  );
}

/**
 * komodod's -rpcallowip: single addresses, CIDR (`10.0.0.0/8`) or address/netmask
 * (`10.0.0.0/255.0.0.0`). 127.0.0.0/8 and ::1 are always allowed, as in komodod's InitHTTPAllowList.
 */
export class AllowList {
  private readonly list = new BlockList();

  constructor(entries: readonly string[]) {
    this.list.addSubnet('127.0.0.0', 8, 'ipv4');
    this.list.addAddress('::1', 'ipv6');
    for (const entry of entries) this.add(entry);
  }

  private add(entry: string): void {
    const parts = entry.split('/');
    const [addr, mask] = parts;
    const family = addr && isIPv4(addr) ? 'ipv4' : addr && isIPv6(addr) ? 'ipv6' : undefined;
    if (!addr || !family || parts.length > 2) throw new Error(invalidAllowIpMessage(entry));
    if (mask === undefined) {
      this.list.addAddress(addr, family);
      return;
    }
    const prefix = /^\d+$/.test(mask) ? Number(mask) : family === 'ipv4' ? netmaskToPrefix(mask) : undefined;
    const maxPrefix = family === 'ipv4' ? 32 : 128;
    if (prefix === undefined || prefix < 0 || prefix > maxPrefix)
      throw new Error(invalidAllowIpMessage(entry));
    this.list.addSubnet(addr, prefix, family);
  }

  allows(remote: string | undefined): boolean {
    if (!remote) return false;
    // IPv4 callers on a dual-stack socket show up as ::ffff:a.b.c.d.
    const v4 = remote.toLowerCase().startsWith('::ffff:') ? remote.slice(7) : remote;
    if (isIPv4(v4)) return this.list.check(v4, 'ipv4');
    return isIPv6(remote) && this.list.check(remote, 'ipv6');
  }
}

function netmaskToPrefix(mask: string): number | undefined {
  if (!isIPv4(mask)) return undefined;
  const bits = mask
    .split('.')
    .map((o) => Number(o).toString(2).padStart(8, '0'))
    .join('');
  if (!/^1*0*$/.test(bits)) return undefined;
  const firstZero = bits.indexOf('0');
  return firstZero === -1 ? 32 : firstZero;
}
