import { readFileSync } from 'node:fs';
import { sidecarConfigSchema } from '@nn/chain-sidecar/contract';
import { parseConf } from '@nn/komodo-params';
import { buildChainSpec, type Placement } from '@nn/orchestrator-core';
import { validateUnitSpec } from '@nn/runtime';
import { describe, expect, it } from 'vitest';
import { parseJobsConfig } from '../config.js';
import { chainUnitFiles } from './unit-files.js';
import { unitNameOf } from './unit-name.js';
import { chainUnitSpec } from './unit-spec.js';

// Real Season 8 entries (dPoW repository, iguana/assetchains.json), kept in test/fixtures.
const s8 = JSON.parse(
  readFileSync(new URL('../../../../test/fixtures/assetchains.s8.json', import.meta.url), 'utf8'),
) as Array<Record<string, unknown>>;
// dPoW's literal home variable, built so the linter does not take it for a template.
const HOME_VAR = ['$', '{HOME}'].join('');
const entry = (name: string, datadir?: string) => {
  const e = s8.find((x) => x.ac_name === name && (datadir === undefined || x.datadir === datadir));
  if (!e) throw new Error(`no ${name} in the fixture`);
  return e;
};

const config = parseJobsConfig({
  secretsDir: '/tmp/nn-unused',
  daemonExtraArgs: ['-devblocktime=1'],
  kmd: { sidecarUrl: 'http://kmd-sidecar:8080', viewerTokenFile: '/etc/nn/kmd.token' },
  notary: { pubkey: `02${'ab'.repeat(32)}`, wifFile: '/etc/nn/wif' },
});
const placement = {
  node: 'node-a',
  p2pPort: 20848,
  sidecarPort: 60_001,
  memoryBytes: 2 ** 31,
  diskBytes: 2 ** 34,
  placedAt: new Date().toISOString(),
} as Placement;
const secrets = {
  rpcuser: 'user123',
  rpcpassword: `pass${'c'.repeat(66)}`,
  viewerToken: 'v'.repeat(48),
  operatorToken: 'o'.repeat(48),
};

describe('the unit of a chain', () => {
  it('passes the entry’s addnode seeds only when the profile uses them (a devnet never dials them)', () => {
    const spec = buildChainSpec({ entry: entry('CCL') }, { image: 'nn/devchain:0.1.0' });
    const seeds = (entry('CCL').addnode as string[]).map((ip) => `-addnode=${ip}`);
    expect(seeds.length).toBeGreaterThan(0);
    const withSeeds = chainUnitSpec(spec, placement, config).daemon.cmd ?? [];
    expect(withSeeds).toEqual(expect.arrayContaining(seeds));
    const devnet = { ...config, useSeedNodes: false };
    const without = chainUnitSpec(spec, placement, devnet).daemon.cmd ?? [];
    expect(without.filter((a) => a.startsWith('-addnode'))).toEqual([]);
    // Everything else is the same flags in the same order.
    expect(without).toEqual(withSeeds.filter((a) => !a.startsWith('-addnode')));
  });

  it('runs komodod’s flags from the entry plus -pubkey and the profile’s flags, and holds no secret', () => {
    const spec = buildChainSpec({ entry: entry('CCL') }, { image: 'nn/devchain:0.1.0' });
    const unit = chainUnitSpec(spec, placement, config);
    expect(validateUnitSpec(unit)).toBe(unit);
    expect(unit.name).toBe('chain-ccl');
    expect(unit.daemon.cmd?.slice(0, 1)).toEqual(['-ac_name=CCL']);
    expect(unit.daemon.cmd).toContain(`-pubkey=${config.notary?.pubkey}`);
    expect(unit.daemon.cmd?.at(-1)).toBe('-devblocktime=1');
    expect(unit.ports).toEqual([{ container: spec.ports.p2p, host: 20848 }]);
    expect(unit.sidecar.hostPort).toBe(60_001);
    expect(unit.labels).toEqual({ 'nn.chain': 'ccl', 'nn.instance': 'default' });
    const text = JSON.stringify(unit);
    for (const s of Object.values(secrets)) expect(text).not.toContain(s);
  });

  it('writes NAME.conf in the data dir GLEEC_OLD uses, the sidecar config and tokens, all 0600', () => {
    const spec = buildChainSpec(
      { entry: entry('GLEEC', `${HOME_VAR}/.komodo/GLEEC_OLD`) },
      { image: 'nn/devchain:0.1.0' },
    );
    expect(spec.id).toBe('gleec-old');
    const files = chainUnitFiles(spec, config, secrets, 'kmdviewertoken', 'node-a');
    expect(files.map((f) => f.path)).toEqual([
      '.komodo/GLEEC_OLD/GLEEC.conf',
      'nn/sidecar.json',
      'nn/tokens.json',
      'nn/kmd.token',
    ]);
    expect(files.every((f) => f.mode === 0o600)).toBe(true);
    const conf = parseConf(String(files[0]?.content));
    expect(conf.get('rpcpassword')).toEqual([secrets.rpcpassword]);
    expect(conf.get('rpcport')).toEqual([String(spec.ports.rpc)]);
    const sidecar = sidecarConfigSchema.parse(JSON.parse(String(files[1]?.content)));
    expect(sidecar.daemon.conf).toBe('/data/.komodo/GLEEC_OLD/GLEEC.conf');
    expect(sidecar.bridges[0]).toMatchObject({
      name: 'KMD',
      port: 7771,
      confPath: '/data/.komodo/komodo.conf',
      upstream: 'http://kmd-sidecar:8080',
    });
    expect(JSON.parse(String(files[2]?.content))).toEqual({
      viewer: [secrets.viewerToken],
      operator: [secrets.operatorToken],
    });
  });

  it('bridges to KMD by name on KMD’s node and at its published endpoint from other nodes', () => {
    const spec = buildChainSpec({ entry: entry('KOIN') }, { image: 'nn/devchain:0.1.0' });
    const cluster = parseJobsConfig({
      secretsDir: '/tmp/x',
      kmd: {
        sidecarUrl: 'http://kmd-sidecar:8080',
        viewerTokenFile: '/etc/nn/kmd.token',
        node: 'e1',
        remoteUrl: 'http://10.213.0.2:7800',
      },
    });
    const upstream = (node: string) =>
      sidecarConfigSchema.parse(
        JSON.parse(String(chainUnitFiles(spec, cluster, secrets, 'v', node)[1]?.content)),
      ).bridges[0]?.upstream;
    expect(upstream('e1')).toBe('http://kmd-sidecar:8080');
    expect(upstream('e2')).toBe('http://10.213.0.2:7800');
    expect(() =>
      parseJobsConfig({
        secretsDir: '/tmp/x',
        kmd: { sidecarUrl: 'http://k:8080', viewerTokenFile: '/k', node: 'e1' },
      }),
    ).toThrow(/kmd\.remoteUrl: node and remoteUrl go together/);
  });

  it('has no bridge without a KMD, and names stay within the runtime’s 48 characters', () => {
    const spec = buildChainSpec({ entry: entry('KOIN') }, { image: 'nn/devchain:0.1.0' });
    const noKmd = parseJobsConfig({ secretsDir: '/tmp/x' });
    const files = chainUnitFiles(spec, noKmd, secrets, undefined, 'node-a');
    expect(files).toHaveLength(3);
    const long = unitNameOf('chain-', `c${'x'.repeat(60)}`);
    expect(long).toHaveLength(48);
    expect(long).toBe(unitNameOf('chain-', `c${'x'.repeat(60)}`));
    expect(long).not.toBe(unitNameOf('chain-', `c${'x'.repeat(59)}y`));
  });
  it('on a kmdclassic node: the stand-in takes kmdclassicd first, the chain lives in ~/.kmdclassic/NAME reading kmdclassic.conf, the zcash params mounted read-only', () => {
    const pirate = {
      ac_name: 'PIRATE',
      ac_supply: '0',
      ac_reward: '25600000000',
      ac_halving: '77777',
      ac_private: '1',
    };
    const spec = buildChainSpec({ entry: pirate }, { image: 'nn/devchain:0.1.0' });
    const kmdclassic = parseJobsConfig({
      secretsDir: '/tmp/nn-unused',
      chainUnits: {
        program: 'kmdclassicd',
        zcashParams: { volume: 'k1-zcash-params', path: '/data/.zcash-params' },
      },
      kmd: {
        sidecarUrl: 'http://kmd-sidecar:8080',
        viewerTokenFile: '/etc/nn/kmd.token',
        datadir: '.kmdclassic',
        conf: 'kmdclassic.conf',
      },
    });
    const unit = chainUnitSpec(spec, placement, kmdclassic);
    expect(validateUnitSpec(unit)).toBe(unit);
    expect(unit.daemon.cmd?.slice(0, 2)).toEqual(['kmdclassicd', '-ac_name=PIRATE']);
    expect(unit.daemon.cmd?.some((a) => a.startsWith('-datadir'))).toBe(false);
    expect(unit.mounts).toEqual([{ volume: 'k1-zcash-params', path: '/data/.zcash-params', readOnly: true }]);
    const files = chainUnitFiles(spec, kmdclassic, secrets, 'kmd-viewer', 'node-a');
    expect(files.map((f) => f.path)).toContain('.kmdclassic/PIRATE/PIRATE.conf');
    const sidecar = sidecarConfigSchema.parse(
      JSON.parse(String(files.find((f) => f.path === 'nn/sidecar.json')?.content)),
    );
    expect(sidecar.daemon.datadir).toBe('/data/.kmdclassic/PIRATE');
    expect(sidecar.bridges[0]?.confPath).toBe('/data/.kmdclassic/kmdclassic.conf');
    // Without those sections (the devnet): komodod's paths, no program word, no mount.
    const devnetUnit = chainUnitSpec(spec, placement, config);
    expect(devnetUnit.daemon.cmd?.[0]).toBe('-ac_name=PIRATE');
    expect(devnetUnit).not.toHaveProperty('mounts');
    expect(chainUnitFiles(spec, config, secrets, 'kmd-viewer', 'node-a').map((f) => f.path)).toContain(
      '.komodo/PIRATE/PIRATE.conf',
    );
  });
});
