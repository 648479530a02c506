import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSidecarConfig, parseSidecarConfig, SidecarConfigError } from './config.js';

const PUBKEY = `02${'ab'.repeat(32)}`;

const minimal = () => ({
  flavour: 'komodo',
  chain: 'KMD',
  daemon: { conf: '/home/nn/.komodo/komodo.conf' },
  tokensFile: '/run/secrets/tokens.json',
});

function errorOf(raw: unknown): string {
  try {
    parseSidecarConfig(raw);
  } catch (err) {
    expect(err).toBeInstanceOf(SidecarConfigError);
    return (err as Error).message;
  }
  throw new Error('config was accepted');
}

describe('parseSidecarConfig', () => {
  it('fills the defaults of a minimal config', () => {
    const cfg = parseSidecarConfig(minimal());
    expect(cfg).toMatchObject({
      listen: '0.0.0.0:8080',
      notaryUtxoSats: 10_000,
      bridges: [],
      requirePeers: false,
      stopTimeoutSec: 300,
      maxBodyBytes: 1024 * 1024,
      rateLimitPerMinute: 6000,
    });
    expect(cfg.notaryPubkey).toBeUndefined();
  });

  it('accepts an explicit url with user and password file, an IPv6 listen address and a bridge', () => {
    const cfg = parseSidecarConfig({
      ...minimal(),
      listen: '[::1]:9000',
      daemon: {
        url: 'http://127.0.0.1:7771/',
        user: 'u',
        passwordFile: '/run/secrets/rpc',
        datadir: '/data',
      },
      notaryPubkey: PUBKEY,
      bridges: [
        {
          name: 'KMD',
          port: 7771,
          confPath: '/home/nn/.komodo/komodo.conf',
          upstream: 'http://kmd-sidecar:8080',
          tokenFile: '/run/secrets/kmd-token',
        },
      ],
    });
    expect(cfg.listen).toBe('[::1]:9000');
    expect(cfg.bridges[0]?.confExtra).toEqual({});
    expect(cfg.bridges[0]?.methods).toBeUndefined();
  });

  it.each([
    ['a relative daemon conf', { daemon: { conf: 'komodo.conf' } }, 'daemon.conf: must be an absolute path'],
    ['.. in the tokens file', { tokensFile: '/run/../etc/tokens.json' }, 'tokensFile: must not contain ..'],
    [
      '.. in the datadir',
      { daemon: { conf: '/a/b.conf', datadir: '/data/../x' } },
      'daemon.datadir: must not contain ..',
    ],
    ['a listen without port', { listen: '0.0.0.0' }, 'listen: must be host:port'],
    ['a listen port out of range', { listen: '0.0.0.0:70000' }, 'listen: port must be 0..65535'],
    [
      'a short pubkey',
      { notaryPubkey: '02abcd' },
      'notaryPubkey: must be a 33-byte compressed pubkey in hex',
    ],
    ['an uncompressed pubkey', { notaryPubkey: `04${'ab'.repeat(32)}` }, 'notaryPubkey: must be a 33-byte'],
    ['a bad flavour', { flavour: 'litecoin' }, 'flavour:'],
    ['a bad chain name', { chain: 'KMD;rm' }, 'chain: must be a chain name'],
    ['a number given as a string', { stopTimeoutSec: '300' }, 'stopTimeoutSec:'],
    ['a boolean given as a string', { requirePeers: 'yes' }, 'requirePeers:'],
    ['a tiny body limit', { maxBodyBytes: 10 }, 'maxBodyBytes:'],
    [
      'neither conf nor url',
      { daemon: { datadir: '/data' } },
      'daemon: give either conf, or url with user and passwordFile',
    ],
    [
      'a url without password file',
      { daemon: { url: 'http://127.0.0.1:1/', user: 'u' } },
      'daemon: give either conf',
    ],
    ['a non-http url', { daemon: { url: 'ftp://x/', user: 'u', passwordFile: '/p' } }, 'daemon.url:'],
    ['an unknown top-level key', { rpcpassword: 'x' }, '(config): Unrecognized key: "rpcpassword"'],
    [
      'an unknown daemon key',
      { daemon: { conf: '/a.conf', password: 'x' } },
      'daemon: Unrecognized key: "password"',
    ],
  ])('rejects %s, naming the field', (_what, patch, expected) => {
    expect(errorOf({ ...minimal(), ...patch })).toContain(expected);
  });

  it('names the bad fields of a bridge by index', () => {
    const message = errorOf({
      ...minimal(),
      bridges: [
        {
          name: 'KMD',
          port: 0,
          confPath: 'komodo.conf',
          upstream: 'kmd-sidecar:8080',
          tokenFile: '/t',
          confExtra: { 'bad key': 'v', port: 'a\nb' },
          methods: ['getinfo', 'get info'],
          extra: 1,
        },
      ],
    });
    for (const field of [
      'bridges.0.port',
      'bridges.0.confPath: must be an absolute path',
      'bridges.0.upstream',
      'bridges.0.confExtra',
      'bridges.0.methods.1',
      'bridges.0: Unrecognized key: "extra"',
    ]) {
      expect(message).toContain(field);
    }
  });

  it('lists every bad field at once and never echoes the values', () => {
    const message = errorOf({
      ...minimal(),
      chain: '',
      listen: 'x',
      tokensFile: 'tokens.json',
      rpcpassword: 'hunter2-secret',
    });
    expect(message).toMatch(/chain:.*\n.*listen:.*\n.*tokensFile:/s);
    expect(message).toContain('rpcpassword');
    expect(message).not.toContain('hunter2-secret');
  });

  it('accepts listen port 0 (any free port, as tests and startSidecar callers use)', () => {
    expect(parseSidecarConfig({ ...minimal(), listen: '127.0.0.1:0' }).listen).toBe('127.0.0.1:0');
  });

  it('rejects a missing required field by name', () => {
    const { tokensFile: _, ...rest } = minimal();
    expect(errorOf(rest)).toContain('tokensFile:');
    expect(errorOf(null)).toContain('(config):');
  });
});

describe('loadSidecarConfig', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('reads a JSON file and explains a missing or non-JSON one', () => {
    const d = mkdtempSync(join(tmpdir(), 'sidecar-config-'));
    dir = d;
    const good = join(d, 'good.json');
    writeFileSync(good, JSON.stringify(minimal()));
    expect(loadSidecarConfig(good).chain).toBe('KMD');
    const bad = join(d, 'bad.json');
    writeFileSync(bad, '{"flavour":');
    expect(() => loadSidecarConfig(bad)).toThrow(/is not JSON/);
    expect(() => loadSidecarConfig(join(d, 'none.json'))).toThrow(/cannot read sidecar config/);
  });
});
