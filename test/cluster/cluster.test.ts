import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DockerRuntime, type RuntimeEvent, type UnitHandle } from '@nn/runtime';
import { daemonAnswers, eventually, runtimeConformance, sampleKmdUnit } from '@nn/runtime/conformance';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, type ClusterTls, startCluster } from './cluster.js';
import { dockerForeign } from './foreign.js';

// Two extra engines in their own network namespaces (test/cluster/up.sh), e2 reached over TCP with TLS
// client certificates: the conformance suite against a DockerRuntime over both, then units spread
// across them talking through their sidecars.
let cluster: Cluster;
const runtimes: DockerRuntime[] = [];

/**
 * e1 over its unix socket, e2 over TCP with TLS client certificates (the engine verifies ours, we verify
 * its server certificate against the cluster's CA): both kinds of connection in one runtime.
 * `tls` replaces e2's client files (to prove the engine refuses others).
 */
function clusterRuntime(tls: Partial<ClusterTls> | 'plain-http' = {}): DockerRuntime {
  const rt = new DockerRuntime({
    engines: cluster.engines.map((e) => {
      const base = { name: e.name, address: e.address, labels: e.labels };
      if (e.name === 'e1' || !e.tcp || !cluster.tls) return { ...base, url: `unix://${e.socket}` };
      if (tls === 'plain-http') return { ...base, url: e.tcp, insecure: true };
      return { ...base, url: e.tcp, tls: { ...cluster.tls, ...tls } };
    }),
  });
  runtimes.push(rt);
  return rt;
}

beforeAll(() => {
  cluster = startCluster(2, { tls: true });
}, 180_000);

afterAll(async () => {
  for (const rt of runtimes) await rt.close();
  cluster?.down();
}, 180_000);

runtimeConformance(clusterRuntime, {
  label: 'docker, two engines in network namespaces',
  foreign: dockerForeign((node) => cluster.docker(node), 'nn/devchain:latest'),
});

describe('DockerRuntime over TCP with TLS', () => {
  it('reaches e2 only with a client certificate its CA signed, never over plain HTTP', async () => {
    expect(cluster.engines.map((e) => e.tcp)).toEqual(['tcp://10.213.0.2:2376', 'tcp://10.213.0.3:2376']);
    const ok = await clusterRuntime().nodes();
    expect(ok.map((n) => [n.name, n.reachable])).toEqual([
      ['e1', true],
      ['e2', true],
    ]);
    // A certificate of its own making (also taken as the CA): the engine refuses the handshake.
    const dir = mkdtempSync(join(tmpdir(), 'nn-tls-'));
    try {
      const own = { cert: join(dir, 'cert.pem'), key: join(dir, 'key.pem') };
      const made = spawnSync('openssl', [
        ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'],
        ...['-keyout', own.key, '-out', own.cert, '-days', '1', '-subj', '/CN=stranger'],
      ]);
      expect(made.status).toBe(0);
      for (const rt of [
        clusterRuntime(own),
        clusterRuntime({ ...own, ca: own.cert }),
        clusterRuntime('plain-http'),
      ]) {
        const nodes = await rt.nodes();
        expect(nodes.map((n) => [n.name, n.reachable])).toEqual([
          ['e1', true],
          ['e2', false],
        ]);
        const err = await rt.ensureImage('e2', 'nn/devchain:latest').catch((e: unknown) => e);
        expect((err as { code?: string }).code).toBe('NODE_UNREACHABLE');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('DockerRuntime over two engines', () => {
  const images = { daemon: 'nn/devchain:latest', sidecar: 'nn/chain-sidecar:latest' };
  const prefix = `mc${randomBytes(3).toString('hex')}`;
  const base = 41000 + Math.floor(Math.random() * 90) * 10;
  let rt: DockerRuntime;
  const events: RuntimeEvent[] = [];
  const abort = new AbortController();
  let reader: Promise<void> = Promise.resolve();

  beforeAll(async () => {
    rt = clusterRuntime();
    await rt.ensureNetwork();
    const stream = rt.events({ signal: abort.signal });
    reader = (async () => {
      for await (const e of stream) events.push(e);
    })();
  });

  afterAll(async () => {
    abort.abort();
    await reader;
    for (const u of new Set(
      (await rt.listOwned()).filter((r) => r.unit.startsWith(prefix)).map((r) => r.unit),
    ))
      await rt.removeUnit(u, { volumes: true, timeoutSec: 10 });
  });

  it('lists both engines with their labels and cluster addresses', async () => {
    const nodes = await rt.nodes();
    expect(nodes.map((n) => [n.name, n.address, n.labels['nn.zone'], n.reachable])).toEqual([
      ['e1', '10.213.0.2', 'z1', true],
      ['e2', '10.213.0.3', 'z2', true],
    ]);
    // The engines' own labels come through too (dockerd --label nn.node=eN).
    expect(nodes.map((n) => n.labels['nn.node'])).toEqual(['e1', 'e2']);
  });

  it('sends an image an engine lacks from an engine that has it', async () => {
    const ref = `nn/xfer-test:${prefix}`;
    await cluster.docker('e1').getImage('nn/chain-sidecar:latest').tag({ repo: 'nn/xfer-test', tag: prefix });
    try {
      await expect(cluster.docker('e2').getImage(ref).inspect()).rejects.toThrow();
      const t0 = Date.now();
      await rt.ensureImage('e2', ref);
      const onE2 = await cluster.docker('e2').getImage(ref).inspect();
      const onE1 = await cluster.docker('e1').getImage(ref).inspect();
      expect(onE2.Id).toBe(onE1.Id);
      expect(Date.now() - t0).toBeLessThan(60_000);
    } finally {
      for (const e of ['e1', 'e2'])
        await cluster
          .docker(e)
          .getImage(ref)
          .remove()
          .catch(() => undefined);
    }
  });

  it('shows the assetchain’s KMDnotarized_height on engine 2 through its bridge to KMD on engine 1', async () => {
    const kmd = sampleKmdUnit({
      name: `${prefix}-kmd`,
      node: 'e1',
      hostPort: base,
      p2pPort: base + 1,
      images,
    });
    const kmdHandle = await rt.deployUnit(kmd.spec);
    expect(kmdHandle.node).toBe('e1');
    expect(kmdHandle.endpoint).toBe(`http://10.213.0.2:${base}`);

    const cclViewer = randomBytes(24).toString('hex');
    const cclSidecar = {
      flavour: 'komodo',
      chain: 'CCL',
      listen: '0.0.0.0:8080',
      daemon: { conf: '/data/.komodo/CCL/CCL.conf', datadir: '/data/.komodo/CCL', defaultPort: 20849 },
      tokensFile: '/data/nn/tokens.json',
      bridges: [
        {
          name: 'KMD',
          port: 7771,
          confPath: '/data/.komodo/komodo.conf',
          confExtra: {},
          // Another engine: the KMD sidecar's port published on engine 1's cluster address.
          upstream: kmdHandle.endpoint,
          tokenFile: '/data/nn/kmd.token',
        },
      ],
    };
    const ccl: UnitHandle = await rt.deployUnit({
      name: `${prefix}-ccl`,
      node: 'e2',
      labels: { 'nn.chain': 'CCL' },
      sidecar: { image: images.sidecar, cmd: ['--config', '/data/nn/sidecar.json'], hostPort: base + 2 },
      daemon: {
        image: images.daemon,
        cmd: ['-ac_name=CCL', '-ac_supply=200000000', '-ac_end=1', '-ac_cc=2', '-devblocktime=1'],
      },
      ports: [{ container: 20848, host: base + 3 }],
      files: [
        { path: 'nn/sidecar.json', content: JSON.stringify(cclSidecar) },
        { path: 'nn/tokens.json', content: JSON.stringify({ viewer: [cclViewer], operator: [] }) },
        { path: 'nn/kmd.token', content: `${kmd.viewerToken}\n` },
      ],
    });
    expect(ccl.node).toBe('e2');
    expect(ccl.endpoint).toBe(`http://10.213.0.3:${base + 2}`);

    const rpc = async (h: UnitHandle, token: string, method: string) => {
      const res = await fetch(`${h.endpoint}/v1/rpc`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ method, params: [], id: 1 }),
        signal: AbortSignal.timeout(5000),
      });
      return (await res.json()) as { result: unknown };
    };
    const height = await eventually(
      async () => {
        const kmdBlocks = (await rpc(kmdHandle, kmd.viewerToken, 'getblockcount')).result as number;
        const info = (await rpc(ccl, cclViewer, 'getinfo')).result as { KMDnotarized_height?: number } | null;
        const h = info?.KMDnotarized_height ?? 0;
        return kmdBlocks >= 2 && h > 0 && Math.abs(h - kmdBlocks) <= 2 ? h : undefined;
      },
      90_000,
      'KMDnotarized_height across engines',
    );
    expect(height).toBeGreaterThan(0);
    // Events came from both engines, with the unit's node.
    await eventually(
      async () =>
        events.some(
          (e) =>
            e.kind === 'container' && e.node === 'e1' && e.unit === kmd.spec.name && e.action === 'start',
        ) &&
        events.some(
          (e) =>
            e.kind === 'container' && e.node === 'e2' && e.unit === `${prefix}-ccl` && e.action === 'start',
        )
          ? true
          : undefined,
      10_000,
      'start events from both engines',
    );
    await daemonAnswers(ccl.endpoint, cclViewer);
  });

  it('follows an engine restart: its event stream is lost, restored and resumed, and the unit comes back', async () => {
    const ccl = `${prefix}-ccl`;
    const from = events.length;
    const t0 = Date.now();
    cluster.restartEngine('e2');
    const after = () => events.slice(from);
    await eventually(
      async () => {
        const lost = after().findIndex((e) => e.kind === 'node' && e.node === 'e2' && e.action === 'lost');
        const restored = after().findIndex(
          (e) => e.kind === 'node' && e.node === 'e2' && e.action === 'restored',
        );
        return lost >= 0 && restored > lost ? true : undefined;
      },
      60_000,
      'e2 lost then restored',
    );
    // The engine stopped the unit and its restart policy started it again; the resumed stream shows both.
    await eventually(
      async () =>
        after().some(
          (e) => e.kind === 'container' && e.unit === ccl && e.role === 'daemon' && e.action === 'die',
        ) &&
        after().some(
          (e) =>
            e.kind === 'container' && e.unit === ccl && e.action === 'start' && e.time.getTime() >= t0 - 1000,
        )
          ? true
          : undefined,
      60_000,
      'die and start of the CCL unit around the restart',
    );
    expect(after().some((e) => e.kind === 'node' && e.node === 'e1')).toBe(false);
    const state = (await rt.inspectUnit(ccl)).state;
    expect(['running', 'degraded', 'partial']).toContain(state);
    // Whatever order the engine restored them in, a deploy of the same spec leaves the unit running.
    const units = await rt.listUnits({ labels: { 'nn.chain': 'CCL' } });
    expect(units.map((u) => u.name)).toEqual([ccl]);
  });

  it('refuses to deploy a unit on one engine while it exists on the other', async () => {
    const again = sampleKmdUnit({ name: `${prefix}-kmd`, node: 'e2', hostPort: base + 4, images });
    const err = await rt.deployUnit(again.spec).catch((e: unknown) => e);
    expect((err as { code?: string }).code).toBe('UNIT_CONFLICT');
    expect((await rt.listOwned()).filter((r) => r.unit === `${prefix}-kmd` && r.node === 'e2')).toEqual([]);
  });

  it('lists units across engines by label', async () => {
    // The engine restart above leaves the CCL unit coming back under its restart policy (sidecar
    // first, then the daemon joining it): list it once it is whole again.
    const units = await eventually(
      async () => {
        const found = await rt.listUnits({ labels: { 'nn.chain': 'CCL' } });
        return found.every((u) => u.state === 'running') ? found : undefined;
      },
      60_000,
      'the CCL unit running again after the engine restart',
    );
    expect(units.map((u) => [u.name, u.node, u.state])).toEqual([[`${prefix}-ccl`, 'e2', 'running']]);
    const all = (await rt.listUnits()).filter((u) => u.name.startsWith(prefix));
    expect(all.map((u) => u.node).sort()).toEqual(['e1', 'e2']);
  });
});
