import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildChainSpec, type ChainSpec, chainSpecSchema } from './chain-spec.js';
import { ValidationError } from './errors/validation-error.js';

/** The literal `${HOME}` dPoW writes in datadir values (kept out of template syntax on purpose). */
const HOME = ['$', '{HOME}'].join('');

// The real Season 8 file: dPoW repository, iguana/assetchains.json.
const S8 = JSON.parse(
  readFileSync(new URL('../../../test/fixtures/assetchains.s8.json', import.meta.url), 'utf8'),
) as Record<string, unknown>[];
const IMAGE = 'nn/devchain:0.1.0';

function build(request: unknown): ChainSpec {
  return buildChainSpec(request, { image: IMAGE });
}

function rejection(request: unknown): ValidationError {
  try {
    build(request);
  } catch (err) {
    if (err instanceof ValidationError) return err;
    throw err;
  }
  throw new Error(`accepted ${JSON.stringify(request)}`);
}

describe('buildChainSpec on Season 8', () => {
  const specs = S8.map((entry) => build({ entry }));

  it('accepts every entry of the real file', () => {
    expect(specs).toHaveLength(S8.length);
    expect(specs.length).toBeGreaterThanOrEqual(11);
  });

  it('derives the published ports (dPoW iguana/coins/*_7776)', () => {
    const ports = Object.fromEntries(specs.map((s) => [s.id, s.ports]));
    expect(ports.ccl).toEqual({ p2p: 20848, rpc: 20849 });
    expect(ports.koin).toEqual({ p2p: 10701, rpc: 10702 });
    expect(ports.pirate).toEqual({ p2p: 45452, rpc: 45453 });
  });

  it('tells the two GLEEC chains apart by datadir', () => {
    const gleec = specs.filter((s) => s.identity.acName === 'GLEEC');
    expect(gleec.map((s) => s.id).sort()).toEqual(['gleec', 'gleec-old']);
    expect(gleec.map((s) => s.identity.iguanaName).sort()).toEqual(['GLEEC', 'GLEEC_OLD']);
    expect(new Set(specs.map((s) => s.identity.key)).size).toBe(specs.length);
    expect(new Set(specs.map((s) => s.id)).size).toBe(specs.length);
  });

  it('fills in the image, default resources and the requested node', () => {
    const spec = build({ entry: S8[0], node: 'node-a', image: 'ghcr.io/nn/komodod:2651eaf' });
    expect(spec.image).toBe('ghcr.io/nn/komodod:2651eaf');
    expect(spec.requestedNode).toBe('node-a');
    expect(spec.resources.memoryBytes).toBeGreaterThan(0);
    expect(build({ entry: S8[0] }).image).toBe(IMAGE);
    expect(build({ entry: S8[0] }).requestedNode).toBeUndefined();
  });
});

describe('buildChainSpec on bad input', () => {
  it.each([
    [{ entry: { ac_name: '../../etc' } }, 'entry.ac_name', /path separators/],
    [{ entry: { ac_name: 'A;rm -rf' } }, 'entry.ac_name', /whitespace|metacharacters/],
    [{ entry: { ac_name: '$(reboot)' } }, 'entry.ac_name', /metacharacters/],
    [{ entry: { ac_name: 'A'.repeat(65) } }, 'entry.ac_name', /65 characters/],
    [{ entry: { ac_name: 'KMD' } }, 'entry.ac_name', /KMD/],
    [{ entry: { ac_name: 'FOO', ac_supply: 1000 } }, 'entry.ac_supply', /must be a string/],
    [{ entry: { ac_name: 'FOO', addnode: '1.2.3.4' } }, 'entry.addnode', /list of strings/],
    [{ entry: { ac_name: 'FOO', rpcpassword: 'x' } }, 'entry.rpcpassword', /unknown key/],
    [{ entry: { ac_name: 'FOO' }, extra: 1 }, 'extra', /unknown key/],
    [{ entry: { ac_name: 'FOO', datadir: `${HOME}/.komodo/../../etc` } }, 'entry.datadir', /\.\.|separators/],
    [{ entry: { ac_name: 'FOO', datadir: '/var/lib/foo' } }, 'entry.datadir', /\.komodo/],
    [{ entry: { ac_name: 'FOO', datadir: `${HOME}/.komodo/a;b` } }, 'entry.datadir', /metacharacters/],
    [{ entry: { ac_name: 'FOO', ac_staked: '101' } }, 'entry.ac_staked', /out of range/],
    [{ entry: { ac_name: 'FOO' }, node: '../node' }, 'node', /a-z, 0-9/],
    [{ entry: { ac_name: 'FOO' }, node: 'N'.repeat(64) }, 'node', /64 characters/],
    [{ entry: { ac_name: 'FOO' }, image: 'nn/devchain;rm' }, 'image', /image reference/],
    [
      { entry: { ac_name: 'FOO' }, resources: { memoryBytes: '1', diskBytes: 1 } },
      'resources.memoryBytes',
      /number/,
    ],
  ])('%j is refused at %s', (request, field, reason) => {
    const err = rejection(request);
    const issue = err.issues.find((i) => i.field === field);
    expect(issue, `issues: ${err.message}`).toBeDefined();
    expect(issue?.reason).toMatch(reason);
    expect(err.message).toContain(`${field}: `);
  });

  it('reports every bad field at once, each named once', () => {
    const err = rejection({ entry: { ac_name: 'FOO', ac_supply: 5, bogus: '1' }, node: 'BAD NODE' });
    expect(err.issues.map((i) => i.field).sort()).toEqual(['entry.ac_supply', 'entry.bogus', 'node']);
    expect(err.message).not.toContain('ac_supply: ac_supply');
  });

  it('refuses a request that is not an object', () => {
    expect(rejection('CCL').field).toBe('');
    expect(rejection(null).httpStatus).toBe(400);
  });
});

describe('chainSpecSchema', () => {
  const spec = build({ entry: S8[0] });

  it('accepts a spec as built (a round trip through JSON)', () => {
    expect(chainSpecSchema.parse(JSON.parse(JSON.stringify(spec)))).toEqual(spec);
  });

  it.each([
    ['id', { id: 'koin' }],
    ['ports', { ports: { p2p: 20000, rpc: 20001 } }],
    ['magic', { magic: 1 }],
    ['identity', { identity: { ...spec.identity, datadir: `${HOME}/.komodo/OTHER` } }],
  ])('refuses a forged %s', (field, patch) => {
    const result = chainSpecSchema.safeParse({ ...spec, ...patch });
    expect(result.success).toBe(false);
    expect(result.error?.issues.some((i) => i.path[0] === field)).toBe(true);
  });
});
