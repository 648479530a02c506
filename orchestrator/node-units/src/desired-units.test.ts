import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { iguanaUnitSpec, kmdUnitSpec, ltcUnitSpec } from './base-unit-specs.js';
import { nodeUnitNames, nodeUnitsDesired, parseNodeUnitsDesired, plannedNodeUnits } from './desired-units.js';
import { loadNodeSecrets } from './node-secrets.js';
import { baseLayoutOf, devnetProfile, loadProfile } from './profiles/network-profiles.js';

const dir = mkdtempSync(join(tmpdir(), 'nn-desired-units-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const layout = {
  prefix: 'nn-',
  node: 'local',
  network: 'nn-net',
  ports: { ltc: 7801, kmd: 7802, iguana: 7803 },
  labels: { 'nn.instance': 'nn' },
  ...baseLayoutOf(devnetProfile(), 'nn-'),
  stopTimeoutSec: 60,
};

describe("the node units' desired state", () => {
  it('rebuilds, after a JSON round trip through Redis, exactly the specs up deployed (same spec hash)', () => {
    const secrets = loadNodeSecrets(dir);
    const stored = JSON.parse(JSON.stringify(nodeUnitsDesired(layout, dir))) as unknown;
    const planned = plannedNodeUnits(parseNodeUnitsDesired(stored));
    expect(planned.map((p) => p.role)).toEqual(['destination', 'main', 'iguana']);
    expect(planned.map((p) => p.spec)).toEqual([
      ltcUnitSpec(layout, secrets),
      kmdUnitSpec(layout, secrets),
      iguanaUnitSpec(layout, secrets),
    ]);
  });

  it('holds no secret: only the dir they are read from', () => {
    const secrets = loadNodeSecrets(dir);
    const text = JSON.stringify(nodeUnitsDesired(layout, dir));
    for (const value of [
      secrets.passphrase,
      secrets.wif,
      secrets.kmd.rpcpassword,
      secrets.iguana.operator,
      secrets.ltc.viewer,
    ])
      expect(text).not.toContain(value);
    expect(text).toContain(dir);
  });

  it('names only the units the network has, in dependency order', () => {
    const komodo = loadProfile('komodo', { standIns: true });
    const desired = nodeUnitsDesired({ ...layout, ...baseLayoutOf(komodo, 'nn-') }, dir);
    expect(nodeUnitNames(desired)).toEqual([{ role: 'main', unit: 'nn-kmd' }]);
    expect(nodeUnitNames(nodeUnitsDesired(layout, dir)).map((u) => u.unit)).toEqual([
      'nn-ltc',
      'nn-kmd',
      'nn-iguana',
    ]);
  });

  it('refuses a document that is not one, naming the field, and never generates secrets', () => {
    const good = JSON.parse(JSON.stringify(nodeUnitsDesired(layout, dir))) as Record<string, unknown>;
    expect(() => parseNodeUnitsDesired({ ...good, version: 2 })).toThrow(/version: must be 1/);
    expect(() => parseNodeUnitsDesired({ ...good, secretsDir: 'rel' })).toThrow(
      /secretsDir: must be an absolute path/,
    );
    expect(() =>
      parseNodeUnitsDesired({ ...good, layout: { ...(good.layout as object), daemons: {} } }),
    ).toThrow(/layout\.daemons\.destination/);
    const empty = mkdtempSync(join(tmpdir(), 'nn-desired-empty-'));
    try {
      expect(() => plannedNodeUnits(parseNodeUnitsDesired({ ...good, secretsDir: empty }))).toThrow(
        /run nnctl up/,
      );
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
