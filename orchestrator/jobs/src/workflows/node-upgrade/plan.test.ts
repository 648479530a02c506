import { baseLayoutOf, devnetProfile, nodeUnitsDesired } from '@nn/node-units';
import {
  buildChainSpec,
  type ChainRecord,
  type ChainStatus,
  ConflictError,
  NotFoundError,
  nodeUpgradeImagesSchema,
  nodeUpgradePlanSchema,
  parseUpgradeTarget,
} from '@nn/orchestrator-core';
import { describe, expect, it } from 'vitest';
import { describeNodeUpgrade, planNodeUpgrade } from './plan.js';

const layout = {
  prefix: 'nn-',
  node: 'local',
  network: 'devnet',
  ports: { ltc: 7801, kmd: 7802, iguana: 7803 },
  ...baseLayoutOf(devnetProfile(), 'nn-'),
  stopTimeoutSec: 60,
};
const desired = nodeUnitsDesired(layout, '/secrets');
const komodoEra = nodeUnitsDesired(
  { ...layout, daemons: { ...layout.daemons, destination: null, iguana: null } },
  '/secrets',
);

function chain(acName: string, status: ChainStatus = 'ready', placed = true): ChainRecord {
  const spec = buildChainSpec(
    { entry: { ac_name: acName, ac_supply: '1000' } },
    { image: 'nn/devchain:0.1.0' },
  );
  const now = new Date().toISOString();
  return {
    spec,
    status,
    ...(placed
      ? {
          placement: {
            node: 'e2' as never,
            p2pPort: 20000,
            sidecarPort: 60000,
            memoryBytes: 1,
            diskBytes: 1,
            placedAt: now,
          },
        }
      : {}),
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
}

const images = (v: Record<string, string>) => nodeUpgradeImagesSchema.parse(v);
const plan = (v: Record<string, string>, chains: ChainRecord[] = [], d = desired) =>
  planNodeUpgrade({ desired: d, chains, images: images(v), chainUnit: (id) => `nn-${id}` });

describe('the whole-node upgrade plan', () => {
  it('orders the daemons destination, main, then the chains by id; Iguana last, restarted on its own image', () => {
    const [b, a] = [chain('BBB'), chain('AAA')];
    const p = plan({ destination: 'nn/ltc:2', main: 'nn/kmd:2', assetchains: 'nn/ac:2' }, [
      b,
      a,
    ] as ChainRecord[]);
    expect(p.daemons.map((d) => [d.target, d.unit, d.node, d.from, d.to])).toEqual([
      ['destination', 'nn-ltc', 'local', 'nn/devchain:0.1.0', 'nn/ltc:2'],
      ['main', 'nn-kmd', 'local', 'nn/devchain:0.1.0', 'nn/kmd:2'],
      [`chain:${a?.spec.id}`, `nn-${a?.spec.id}`, 'e2', 'nn/devchain:0.1.0', 'nn/ac:2'],
      [`chain:${b?.spec.id}`, `nn-${b?.spec.id}`, 'e2', 'nn/devchain:0.1.0', 'nn/ac:2'],
    ]);
    expect(p.iguana).toEqual({
      unit: 'nn-iguana',
      node: 'local',
      from: 'nn/deviguana:0.1.0',
      to: 'nn/deviguana:0.1.0',
    });
    // Each image once per node it runs on; Iguana's own image needs no check.
    expect(p.images).toEqual([
      { node: 'local', image: 'nn/ltc:2' },
      { node: 'local', image: 'nn/kmd:2' },
      { node: 'e2', image: 'nn/ac:2' },
    ]);
    expect(nodeUpgradePlanSchema.parse(p)).toEqual(p);
    expect(describeNodeUpgrade(p)).toEqual([
      'preflight: nn/ltc:2 on local, nn/kmd:2 on local, nn/ac:2 on e2',
      'stop Iguana (nn-iguana)',
      'upgrade destination (nn-ltc on local): nn/devchain:0.1.0 -> nn/ltc:2, health-gated, rolled back on failure',
      'upgrade main (nn-kmd on local): nn/devchain:0.1.0 -> nn/kmd:2, health-gated, rolled back on failure',
      `upgrade chain:${a?.spec.id} (nn-${a?.spec.id} on e2): nn/devchain:0.1.0 -> nn/ac:2, health-gated, rolled back on failure`,
      `upgrade chain:${b?.spec.id} (nn-${b?.spec.id} on e2): nn/devchain:0.1.0 -> nn/ac:2, health-gated, rolled back on failure`,
      'unlock stale UTXOs on every daemon',
      'start Iguana (nn-iguana) on nn/deviguana:0.1.0',
      'register the chains with Iguana again',
    ]);
  });

  it('a chain:<id> target wins over assetchains; unplaced and departing chains are skipped by assetchains', () => {
    const [a, b, c, d] = [
      chain('AAA'),
      chain('BBB'),
      chain('CCC', 'requested', false),
      chain('DDD', 'removing'),
    ];
    const p = plan({ assetchains: 'nn/ac:2', [`chain:${a.spec.id}`]: 'nn/ac:3' }, [a, b, c, d]);
    expect(p.daemons.map((x) => [x.target, x.to])).toEqual([
      [`chain:${a.spec.id}`, 'nn/ac:3'],
      [`chain:${b.spec.id}`, 'nn/ac:2'],
    ]);
    expect(p.skipped.map((s) => s.target)).toEqual([`chain:${c.spec.id}`, `chain:${d.spec.id}`]);
    expect(p.skipped[0]?.reason).toBe(
      `chain ${c.spec.id} is requested and not placed: only a placed chain can be upgraded`,
    );
  });

  it('only Iguana: stopped and upgraded, no daemon touched', () => {
    const p = plan({ iguana: 'nn/iguana:2' });
    expect(p.daemons).toEqual([]);
    expect(p.iguana?.to).toBe('nn/iguana:2');
    expect(p.images).toEqual([{ node: 'local', image: 'nn/iguana:2' }]);
  });

  it('a target already on its image is unchanged, and a plan with nothing to change is refused', () => {
    const p = plan({ main: 'nn/kmd:2', destination: 'nn/devchain:0.1.0' });
    expect(p.unchanged).toEqual(['destination']);
    expect(p.daemons.map((d) => d.target)).toEqual(['main']);
    expect(() => plan({ main: 'nn/devchain:0.1.0', iguana: 'nn/deviguana:0.1.0' })).toThrow(
      new ConflictError('images', 'nothing to upgrade: main, iguana already run the images asked for'),
    );
  });

  it('a node of the checkpoint era has no destination and no Iguana: naming them is refused, main alone runs', () => {
    expect(() => plan({ destination: 'nn/ltc:2' }, [], komodoEra)).toThrow(
      new ConflictError('images.destination', "the node's network (devnet) has no destination unit"),
    );
    expect(() => plan({ iguana: 'nn/iguana:2' }, [], komodoEra)).toThrow(
      new ConflictError('images.iguana', "the node's network (devnet) has no iguana unit"),
    );
    const p = plan({ main: 'nn/kmd:2' }, [], komodoEra);
    expect(p.iguana).toBeNull();
    expect(describeNodeUpgrade(p)).toEqual([
      'preflight: nn/kmd:2 on local',
      'upgrade main (nn-kmd on local): nn/devchain:0.1.0 -> nn/kmd:2, health-gated, rolled back on failure',
    ]);
  });

  it('without recorded node units only chains can be named', () => {
    const a = chain('AAA');
    expect(() =>
      planNodeUpgrade({ desired: undefined, chains: [a], images: images({ main: 'nn/kmd:2' }) }),
    ).toThrow(/images.main: no node units are recorded \(nnctl up records them\)/);
    const p = planNodeUpgrade({
      desired: undefined,
      chains: [a],
      images: images({ assetchains: 'nn/ac:2' }),
    });
    expect(p.iguana).toBeNull();
    // The API knows no unit prefix: a chain's unit is left out.
    expect(p.daemons[0]?.unit).toBeUndefined();
  });

  it('an unknown chain is a NotFoundError, an unplaced named one a ConflictError, both naming the target', () => {
    expect(() => plan({ 'chain:nosuch': 'nn/ac:2' })).toThrow(
      new NotFoundError('images.chain:nosuch', 'chain', 'nosuch'),
    );
    const c = chain('CCC', 'requested', false);
    expect(() => plan({ [`chain:${c.spec.id}`]: 'nn/ac:2' }, [c])).toThrow(ConflictError);
  });
});

describe('the images of an upgrade (bad input)', () => {
  const issues = (v: unknown) => {
    const r = nodeUpgradeImagesSchema.safeParse(v);
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it.each([
    ['main', 'nn/kmd;rm -rf /'],
    ['main', 'nn/kmd:$(id)'],
    ['iguana', '../../etc/passwd'],
    ['destination', 'UPPER/case'],
    ['assetchains', `nn/x:${'a'.repeat(300)}`],
    ['main', ' nn/kmd:2'],
  ])('refuses %s=%j as an image reference', (role, ref) => {
    expect(issues({ [role]: ref })[0]).toMatch(new RegExp(`^${role}: `));
  });

  it('refuses unknown roles, aliases in job data, bad chain ids and an empty set', () => {
    expect(issues({ bitcoin: 'nn/x:1' })).toEqual([
      'bitcoin: not an upgrade target: use destination (ltc), main (kmd, kmdcl), iguana, assetchains, or chain:<chain id>',
    ]);
    expect(issues({ kmd: 'nn/x:1' })).toEqual(['kmd: spell it main']);
    expect(issues({ 'chain:Bad_Id': 'nn/x:1' })[0]).toMatch(/^chain:Bad_Id: not a chain id after chain:/);
    expect(issues({ ccl: 'nn/x:1' })[0]).toMatch(/^ccl: not an upgrade target/);
    expect(issues({})).toEqual([': must name at least one image']);
    expect(issues({ main: 42 })[0]).toMatch(/^main: /);
  });

  it('resolves the aliases, case-insensitively, to one spelling', () => {
    const keys = ['LTC', 'destination', 'kmd', 'KMDCL', 'main', 'Iguana', 'assetchains', 'chain:ccl'];
    expect(keys.map((k) => parseUpgradeTarget(k))).toEqual([
      { kind: 'role', role: 'destination' },
      { kind: 'role', role: 'destination' },
      { kind: 'role', role: 'main' },
      { kind: 'role', role: 'main' },
      { kind: 'role', role: 'main' },
      { kind: 'role', role: 'iguana' },
      { kind: 'role', role: 'assetchains' },
      { kind: 'chain', chainId: 'ccl' },
    ]);
  });
});
