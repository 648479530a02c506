import { describe, expect, it } from 'vitest';
import {
  confFileName,
  confFilePath,
  defaultDataDir,
  mainConfName,
  notaryDestConfPath,
  parentKomodoConfPath,
} from './datadir.js';

describe('data dirs and conf names', () => {
  it('follows komodod and the bitcoin flavours', () => {
    expect(defaultDataDir({ home: '/home/u' })).toBe('/home/u/.komodo');
    expect(defaultDataDir({ home: '/home/u', acName: 'KOIN' })).toBe('/home/u/.komodo/KOIN');
    expect(defaultDataDir({ home: '/home/u/', flavour: 'litecoin' })).toBe('/home/u/.litecoin');
    expect(defaultDataDir({ home: '/home/u', flavour: 'bitcoin' })).toBe('/home/u/.bitcoin');
    expect(confFileName()).toBe('komodo.conf');
    expect(confFileName('KOIN')).toBe('KOIN.conf');
    expect(confFileName(undefined, 'litecoin')).toBe('litecoin.conf');
    expect(confFileName(undefined, 'bitcoin')).toBe('bitcoin.conf');
  });

  it('puts NAME.conf inside -datadir and honours -conf', () => {
    expect(confFilePath({ home: '/h', acName: 'KOIN' })).toBe('/h/.komodo/KOIN/KOIN.conf');
    expect(confFilePath({ home: '/h', acName: 'GLEEC', datadir: '/h/.komodo/GLEEC_OLD' })).toBe(
      '/h/.komodo/GLEEC_OLD/GLEEC.conf',
    );
    expect(confFilePath({ home: '/h', acName: 'KOIN', conf: '/etc/koin.conf' })).toBe('/etc/koin.conf');
    expect(confFilePath({ home: '/h', flavour: 'litecoin' })).toBe('/h/.litecoin/litecoin.conf');
    // A relative -conf is read inside the data dir (GetConfigFile: GetDataDir(false) / path).
    expect(confFilePath({ home: '/h', conf: 'other.conf' })).toBe('/h/.komodo/other.conf');
    expect(confFilePath({ home: '/h', datadir: '/d', conf: 'sub/x.conf' })).toBe('/d/sub/x.conf');
  });

  it('kmdclassicd: ~/.kmdclassic, kmdclassic.conf, ~/.kmdclassic/NAME/NAME.conf (KmdClassic util.cpp)', () => {
    expect(defaultDataDir({ home: '/h', flavour: 'kmdclassic' })).toBe('/h/.kmdclassic');
    expect(defaultDataDir({ home: '/h', flavour: 'kmdclassic', acName: 'PIRATE' })).toBe(
      '/h/.kmdclassic/PIRATE',
    );
    expect(mainConfName('kmdclassic')).toBe('kmdclassic.conf');
    expect(mainConfName()).toBe('komodo.conf');
    expect(confFilePath({ home: '/h', flavour: 'kmdclassic' })).toBe('/h/.kmdclassic/kmdclassic.conf');
    expect(confFilePath({ home: '/h', flavour: 'kmdclassic', acName: 'PIRATE' })).toBe(
      '/h/.kmdclassic/PIRATE/PIRATE.conf',
    );
    expect(parentKomodoConfPath('/h/.kmdclassic/PIRATE', 'kmdclassic')).toBe(
      '/h/.kmdclassic/kmdclassic.conf',
    );
  });

  it('finds the parent komodo.conf and the -notary destination conf', () => {
    expect(parentKomodoConfPath('/h/.komodo/KOIN')).toBe('/h/.komodo/komodo.conf');
    expect(parentKomodoConfPath('/h/.komodo/GLEEC_OLD')).toBe('/h/.komodo/komodo.conf');
    expect(notaryDestConfPath('/h', '.litecoin/litecoin.conf')).toBe('/h/.litecoin/litecoin.conf');
  });
});
