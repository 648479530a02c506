import { loadNetwork, type Network } from '@nn/networks';
import { baseLayoutOf, nodeUnitsDesired, profileOf } from '@nn/node-units';
import { buildChainSpec, type ChainRecord, ValidationError } from '@nn/orchestrator-core';
import { describe, expect, it } from 'vitest';
import { planSeason, type SeasonInputs } from './plan-season.js';

// The season planner against the shipped network files: the node runs one of them (its chains in the
// desired state, its node units as `nnctl up` recorded them), the season is that file changed.

const clone = (n: Network): Network => JSON.parse(JSON.stringify(n)) as Network;
const shipped = (name: string) => loadNetwork(name).network;

/** The desired state of a node brought up with `network` (stand-ins or not), its chains all ready. */
function nodeOf(network: Network, standIns = false) {
  const profile = profileOf({ network, file: 'test', shipped: true }, { standIns });
  const layout = {
    prefix: 'nn-test-',
    node: 'local',
    ports: { ltc: 7781, kmd: 7782, iguana: 7783 },
    ...baseLayoutOf(profile, 'nn-test-'),
    stopTimeoutSec: network.node.stopTimeoutSec,
  };
  const now = new Date().toISOString();
  const chains = network.assetchains.entries.map(
    (entry) =>
      ({
        spec: buildChainSpec({ entry, image: profile.chainImage }, { image: profile.chainImage }),
        status: 'ready',
        version: 1,
        createdAt: now,
        updatedAt: now,
      }) as ChainRecord,
  );
  return { chains, nodeUnits: nodeUnitsDesired(layout, '/nonexistent/secrets') };
}

function inputs(current: Network, season: Network, extra: Partial<SeasonInputs> = {}): SeasonInputs {
  return { ...nodeOf(current), network: season, pubkey: undefined, ...extra };
}

/** The fields a refused season names. */
function refusal(run: () => unknown): string[] {
  try {
    run();
  } catch (err) {
    if (err instanceof ValidationError) return err.issues.map((i) => `${i.field}: ${i.reason}`);
    throw err;
  }
  throw new Error('the season was not refused');
}

describe('season plan (against the shipped network files)', () => {
  it('plans nothing for the season the node already runs (every shipped network)', () => {
    for (const name of ['devnet', 'kmdclassic', 'komodo', 'testnet-2024']) {
      const n = shipped(name);
      const mine = n.iguana?.elected.notaries;
      const pubkey = Array.isArray(mine) ? Object.values(mine[0] ?? {})[0] : undefined;
      const plan = planSeason(inputs(n, n, { pubkey }));
      expect(plan, name).toMatchObject({ network: name, add: [], remove: [], upgrade: [], iguana: [] });
      expect(plan.restartIguana, name).toBe(false);
      expect(plan.keep, name).toHaveLength(n.assetchains.entries.length);
      expect(plan.nodeUnits, name).toBeUndefined();
    }
  });

  it("adds and removes chains by the season's chain list, and restarts Iguana once for it", () => {
    const devnet = shipped('devnet');
    const season = clone(devnet);
    const koin = season.assetchains.entries.findIndex((e) => e.ac_name === 'KOIN');
    const pirate = shipped('kmdclassic').assetchains.entries[0];
    if (koin < 0 || !pirate) throw new Error('devnet has KOIN and kmdclassic has PIRATE');
    season.assetchains.entries.splice(koin, 1, pirate);
    season.dpow = season.dpow.filter((d) => d.chain !== 'KOIN');
    season.iguana = season.iguana && {
      ...season.iguana,
      startup: season.iguana.startup.filter((s) => !s.endsWith(' KOIN')),
    };
    const plan = planSeason(inputs(devnet, season));
    expect(plan.add.map((c) => c.id)).toEqual(['pirate']);
    expect(plan.add[0]).toMatchObject({ acName: 'PIRATE', p2p: 45452, rpc: 45453 });
    expect(plan.remove).toEqual([{ id: 'koin', acName: 'KOIN' }]);
    expect([...plan.keep].sort()).toEqual(['ccl', 'iln']);
    expect(plan.restartIguana).toBe(true);
  });

  it("takes a new elected list, seeds and notary port into Iguana's desired state", () => {
    const kmdcl = shipped('kmdclassic');
    const season = clone(kmdcl);
    if (!season.iguana || Array.isArray(season.iguana.elected.notaries) === false)
      throw new Error('kmdclassic has an elected list');
    const list = season.iguana.elected.notaries as Array<Record<string, string>>;
    const pubkey = Object.values(list[1] ?? {})[0] as string;
    season.iguana.elected = {
      ...season.iguana.elected,
      notaries: list.slice(1),
      seeds: ['203.0.113.7'],
      port: 13900,
    };
    season.iguana.p2p = 13900;
    season.iguana.addnotary = ['203.0.113.7'];
    const plan = planSeason(inputs(kmdcl, season, { pubkey }));
    expect(plan.iguana.map((c) => c.field).sort()).toEqual(['addnotary', 'elected', 'iguana.p2p']);
    expect(plan.restartIguana).toBe(true);
    expect(plan.nodeUnits?.layout.iguanaP2pPort).toBe(13900);
    expect(plan.nodeUnits?.layout.elected?.seeds).toEqual(['203.0.113.7']);
    expect(plan.nodeUnits?.layout.addnotary).toEqual(['203.0.113.7']);
    // Everything but Iguana's part stays as recorded.
    expect(plan.nodeUnits?.layout.daemons.main).toEqual(nodeOf(kmdcl).nodeUnits.layout.daemons.main);
    expect(plan.add).toEqual([]);
    expect(plan.remove).toEqual([]);
  });

  it("moves the chains to the season's assetchain image with chain.upgrade", () => {
    const devnet = shipped('devnet');
    const season = clone(devnet);
    season.assetchains.image = {
      ...season.assetchains.image,
      ref: 'nn/devchain:0.2.0',
      standIn: 'nn/devchain:0.2.0',
    };
    const plan = planSeason(inputs(devnet, season));
    expect(plan.upgrade.map((u) => u.id).sort()).toEqual(['ccl', 'iln', 'koin']);
    expect(plan.upgrade[0]?.to).toBe('nn/devchain:0.2.0');
    expect(plan.restartIguana).toBe(false);
  });
});

describe('season plan: bad input is refused before any change, naming the field', () => {
  const kmdcl = shipped('kmdclassic');

  it('refuses a file that fails the network schema', () => {
    const bad = JSON.parse(JSON.stringify(kmdcl)) as Record<string, unknown> & { iguana: { p2p: unknown } };
    bad.iguana.p2p = 70_000;
    bad.surprise = 1;
    const fields = refusal(() => planSeason(inputs(kmdcl, kmdcl, { network: bad })));
    expect(fields).toContain('network.iguana.p2p: must be a port number 1-65535');
    expect(fields).toContain('network.surprise: unknown key');
  });

  it("refuses a season whose elected list lacks this node's pubkey", () => {
    const pubkey = `02${'ab'.repeat(32)}`;
    const fields = refusal(() => planSeason(inputs(kmdcl, kmdcl, { pubkey })));
    expect(fields).toHaveLength(1);
    expect(fields[0]).toMatch(
      /^network\.iguana\.elected\.notaries: does not list this node's notary pubkey 02abab/,
    );
    // Without a configured key the list cannot be checked: refused as well, saying so.
    expect(refusal(() => planSeason(inputs(kmdcl, kmdcl))).join()).toMatch(/no notary key is configured/);
  });

  it('takes the local elected file of a node on the stand-ins whatever the list says', () => {
    const node = nodeOf(kmdcl, true);
    const plan = planSeason({ ...node, network: kmdcl, pubkey: `02${'ab'.repeat(32)}` });
    expect(plan.standIns).toBe(true);
    expect(plan.chainImage).toBe(kmdcl.assetchains.image.standIn);
  });

  it('refuses a port clash: a chain on the notary p2p port, outside every p2pPorts range, on a reserved port', () => {
    const devnet = shipped('devnet');
    const season = clone(devnet);
    const ccl = nodeOf(devnet).chains.find((c) => c.spec.id === 'ccl');
    if (!season.iguana || !ccl) throw new Error('devnet has Iguana and CCL');
    season.iguana.p2p = ccl.spec.ports.p2p;
    season.iguana.elected.port = ccl.spec.ports.p2p;
    const index = season.assetchains.entries.findIndex((e) => e.ac_name === 'CCL');
    expect(refusal(() => planSeason(inputs(devnet, season)))).toEqual([
      `network.assetchains.entries[${index}]: CCL's p2p port ${ccl.spec.ports.p2p} is also Iguana's notary p2p port`,
    ]);
    const narrow = [{ from: 1024, to: ccl.spec.ports.p2p - 1 }];
    // Only a chain the season adds needs a port: CCL is new to this node.
    const withoutCcl = nodeOf(devnet).chains.filter((c) => c.spec.id !== 'ccl');
    expect(planSeason(inputs(devnet, devnet, { p2pRanges: narrow })).add).toEqual([]);
    const outside = refusal(() =>
      planSeason(inputs(devnet, devnet, { p2pRanges: narrow, chains: withoutCcl })),
    );
    expect(outside).toContain(
      `network.assetchains.entries[${index}]: CCL's p2p port ${ccl.spec.ports.p2p} is outside every schedulable node's p2pPorts (1024-${ccl.spec.ports.p2p - 1})`,
    );
    const reserved = new Set([ccl.spec.ports.p2p]);
    expect(refusal(() => planSeason(inputs(devnet, devnet, { reservedPorts: reserved })))).toEqual([
      `network.assetchains.entries[${index}]: CCL's p2p port ${ccl.spec.ports.p2p} is reserved on the node (reservedPorts)`,
    ]);
  });

  it("refuses a chain whose parameters change in place, and a change of the node's own daemons", () => {
    const devnet = shipped('devnet');
    const season = clone(devnet);
    const index = season.assetchains.entries.findIndex((e) => e.ac_name === 'ILN');
    const iln = season.assetchains.entries[index];
    if (!iln) throw new Error('devnet has ILN');
    season.assetchains.entries[index] = { ...iln, ac_reward: '999' };
    const main = season.daemons.findIndex((d) => d.role === 'main');
    const daemon = season.daemons[main];
    if (daemon?.role !== 'main') throw new Error('devnet has a main daemon');
    season.daemons[main] = { ...daemon, image: { ...daemon.image, ref: 'nn/devchain:9.9.9' } };
    const fields = refusal(() => planSeason(inputs(devnet, season)));
    expect(fields).toHaveLength(2);
    expect(fields[0]).toMatch(new RegExp(`^network\\.daemons\\[${main}\\]: the main daemon .*nnctl upgrade`));
    expect(fields[1]).toMatch(
      new RegExp(`^network\\.assetchains\\.entries\\[${index}\\]: ILN changes ac_reward in place`),
    );
  });

  it('refuses a node that has no recorded node units', () => {
    const devnet = shipped('devnet');
    expect(
      refusal(() => planSeason({ network: devnet, chains: [], nodeUnits: undefined, pubkey: undefined })),
    ).toEqual([
      'network: no node units are recorded (nnctl up records them): a season change applies to a node brought up with nnctl up',
    ]);
  });
});
