import { describe, expect, it } from 'vitest';
import { AllowList } from './allowip.js';

describe('AllowList (-rpcallowip)', () => {
  it('always allows 127.0.0.0/8 and ::1, also IPv4-mapped', () => {
    const list = new AllowList([]);
    for (const ip of ['127.0.0.1', '127.255.0.9', '::1', '::ffff:127.0.0.1', '::FFFF:127.0.0.2'])
      expect(list.allows(ip)).toBe(true);
    for (const ip of ['10.0.0.1', '::2', '::ffff:10.0.0.1', undefined, '', 'localhost'])
      expect(list.allows(ip)).toBe(false);
  });

  it('takes a single IP', () => {
    const list = new AllowList(['10.1.2.3']);
    expect(list.allows('10.1.2.3')).toBe(true);
    expect(list.allows('::ffff:10.1.2.3')).toBe(true);
    expect(list.allows('10.1.2.4')).toBe(false);
  });

  it('takes network/CIDR, masking the host bits of the network', () => {
    const list = new AllowList(['192.168.5.77/24']);
    expect(list.allows('192.168.5.1')).toBe(true);
    expect(list.allows('192.168.5.255')).toBe(true);
    expect(list.allows('192.168.6.1')).toBe(false);
    const all = new AllowList(['0.0.0.0/0']);
    expect(all.allows('8.8.8.8')).toBe(true);
  });

  it('takes network/netmask', () => {
    const list = new AllowList(['172.16.0.0/255.240.0.0']);
    expect(list.allows('172.31.255.255')).toBe(true);
    expect(list.allows('172.32.0.0')).toBe(false);
  });

  it('takes IPv6 networks', () => {
    const list = new AllowList(['fd00::/8']);
    expect(list.allows('fd12::1')).toBe(true);
    expect(list.allows('fe80::1')).toBe(false);
  });

  it.each(['notanip', '10.0.0.0/33', '10.0.0.0/255.0.255.0', '10.0.0.0/', '10.0.0.0/8/8', '::/129', ''])(
    'refuses %j with komodod message',
    (entry) => {
      expect(() => new AllowList([entry])).toThrow(
        `Invalid -rpcallowip subnet specification: ${entry}. Valid are a single IP (e.g. 1.2.3.4), a network/netmask (e.g. 1.2.3.4/255.255.255.0) or a network/CIDR (e.g. 1.2.3.4/24).`,
      );
    },
  );
});
