import { describe, expect, it } from 'vitest';
import { confFilePathFor, extractUserpass } from './conf-reader.js';

describe('extract_userpass', () => {
  it('reads rpcuser, rpcpassword, rpcport; skips # lines', () => {
    const text =
      '#rpcuser=commented\nserver=1\nrpcuser=user3452345234\nrpcpassword=pass0a1b\r\nrpcport=7771\n';
    expect(extractUserpass(text)).toEqual({
      rpcuser: 'user3452345234',
      rpcpassword: 'pass0a1b',
      rpcport: 7771,
    });
  });

  it('a line naming rpcuser anywhere counts as rpcuser (strstr), checked before rpcpassword', () => {
    expect(extractUserpass('x_rpcuser_rpcpassword=v\n')).toEqual({
      rpcuser: 'v',
      rpcpassword: undefined,
      rpcport: undefined,
    });
  });

  it('joins "/" + path + "/" + conf, so HOME without its leading slash works and a full path too', () => {
    expect(confFilePathFor('home/u/.komodo', 'komodo.conf')).toBe('/home/u/.komodo/komodo.conf');
    expect(confFilePathFor('/home/u/.litecoin', 'litecoin.conf')).toBe('//home/u/.litecoin/litecoin.conf');
  });
});
