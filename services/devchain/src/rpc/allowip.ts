import { BlockList, isIPv4, isIPv6 } from 'node:net';

/**
 * komodod's -rpcallowip: single addresses, CIDR (`10.0.0.0/8`) or address/netmask
 * (`10.0.0.0/255.0.0.0`). Loopback is always allowed, as in komodod's InitHTTPAllowList.
 */
export class AllowList {
  private readonly list = new BlockList();

  constructor(entries: readonly string[]) {
    this.list.addAddress('127.0.0.1', 'ipv4');
    this.list.addAddress('::1', 'ipv6');
    for (const entry of entries) this.add(entry);
  }

  private add(entry: string): void {
    const [addr, mask] = entry.split('/');
    if (!addr) throw new Error(`Invalid -rpcallowip subnet specification: ${entry}`);
    const family = isIPv4(addr) ? 'ipv4' : isIPv6(addr) ? 'ipv6' : undefined;
    if (!family) throw new Error(`Invalid -rpcallowip subnet specification: ${entry}`);
    if (mask === undefined) {
      this.list.addAddress(addr, family);
      return;
    }
    const prefix = /^\d+$/.test(mask) ? Number(mask) : family === 'ipv4' ? netmaskToPrefix(mask) : undefined;
    const maxPrefix = family === 'ipv4' ? 32 : 128;
    if (prefix === undefined || prefix < 0 || prefix > maxPrefix) {
      throw new Error(`Invalid -rpcallowip subnet specification: ${entry}`);
    }
    this.list.addSubnet(addr, prefix, family);
  }

  allows(remote: string | undefined): boolean {
    if (!remote) return false;
    // IPv4 callers on a dual-stack socket show up as ::ffff:a.b.c.d.
    const v4 = remote.startsWith('::ffff:') ? remote.slice(7) : remote;
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
  return /^1*0*$/.test(bits) ? bits.indexOf('0') === -1 ? 32 : bits.indexOf('0') : undefined;
}
