import { crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { newAssetchainConfCredentials, parseConf, renderAssetchainConf } from './conf.js';
import { ConfParseError } from './errors.js';

describe('parseConf', () => {
  it('reads key=value lines with comments, blanks, trimming, repeats and sections', () => {
    const conf = parseConf(
      [
        '# komodo.conf',
        'rpcuser=alice',
        '  rpcpassword = s3cr=t  # trailing comment',
        '',
        'addnode=1.1.1.1\r',
        'addnode=2.2.2.2',
        'txindex=1',
        'empty=',
        '[test]',
        'port=1',
      ].join('\n'),
    );
    expect([...conf]).toEqual([
      ['rpcuser', ['alice']],
      ['rpcpassword', ['s3cr=t']],
      ['addnode', ['1.1.1.1', '2.2.2.2']],
      ['txindex', ['1']],
      ['empty', ['']],
      ['test.port', ['1']],
    ]);
  });

  it('refuses a line without "=" with its line number', () => {
    expect(() => parseConf('rpcuser=a\nserver\n')).toThrow(ConfParseError);
    expect(() => parseConf('rpcuser=a\nserver\n')).toThrow('line 2');
  });

  it('reads what renderAssetchainConf writes', () => {
    const text = renderAssetchainConf({ rpcuser: 'user1', rpcpassword: 'pass00', rpcport: 10702 });
    expect(parseConf(text).get('rpcport')).toEqual(['10702']);
    expect(parseConf(text).get('rpcbind')).toEqual(['127.0.0.1']);
  });
});

describe('renderAssetchainConf', () => {
  it('writes komodod first-start conf byte for byte', () => {
    expect(renderAssetchainConf({ rpcuser: 'user3452345234', rpcpassword: 'passab', rpcport: 20849 })).toBe(
      'rpcuser=user3452345234\nrpcpassword=passab\nrpcport=20849\nserver=1\ntxindex=1\n' +
        'rpcworkqueue=256\nrpcallowip=127.0.0.1\nrpcbind=127.0.0.1\n',
    );
  });
});

describe('newAssetchainConfCredentials', () => {
  const fixedRandom = (n: number) => Uint8Array.from({ length: n }, (_, i) => i);

  it('derives the user from time and name and the password from 33 random bytes', () => {
    const now = 1_728_000_000_123; // 2024-10-04, within Season 8
    const seed = Buffer.alloc(8);
    seed.writeUInt32LE(Math.floor(now / 1000), 0);
    seed.writeUInt32LE(now % 2 ** 32, 4);
    const expectedCrc = zlibCrc32(Buffer.concat([seed, Buffer.from('KOIN')]));
    const creds = newAssetchainConfCredentials('KOIN', fixedRandom, now);
    expect(creds.rpcuser).toBe(`user${expectedCrc}`);
    expect(creds.rpcpassword).toBe(`pass${Buffer.from(fixedRandom(33)).toString('hex')}`);
    expect(creds.rpcpassword).toMatch(/^pass[0-9a-f]{66}$/);
  });

  it('changes the user with the name or the time, not with the random bytes', () => {
    const now = 1_728_000_000_000;
    const a = newAssetchainConfCredentials('KOIN', fixedRandom, now);
    expect(newAssetchainConfCredentials('CCL', fixedRandom, now).rpcuser).not.toBe(a.rpcuser);
    expect(newAssetchainConfCredentials('KOIN', fixedRandom, now + 1).rpcuser).not.toBe(a.rpcuser);
    expect(newAssetchainConfCredentials('KOIN', (n) => new Uint8Array(n).fill(7), now).rpcuser).toBe(
      a.rpcuser,
    );
  });
});
