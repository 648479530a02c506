import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type K8sObject, render, secretData } from '../helm/render.js';
import { podmanPrefix } from './podman-cli.js';
import { PodmanNode, sidecarGet } from './podman-node.js';
import type { KubeObject } from './podman-pod.js';

// The Helm chart's own units (deploy/helm/notary-node, rendered by the real `helm template` for the
// devnet) played by podman 4.3 `kube play`, as podman-pods.test.ts plays the adapter's: on a cluster
// the node's LTC, KMD and Iguana are the chart's StatefulSets, so their pod templates are proven to run
// too: files step, native sidecar, daemon; each sidecar's /readyz 200 (KMD's bridge to LTC and Iguana's
// to both by the chart's Service names), Iguana's start-up sequence done; a stop in the kubelet's order
// gives the daemons SIGTERM and they exit 0 within the chart's terminationGracePeriodSeconds. What
// podman cannot play, and how the harness stands in for it, is listed in podman-pods.test.ts and
// docs/kubernetes.md.

const prefix = `${podmanPrefix()}h-`;
/** The release: its units are `<release>-ltc`, ... so every podman name starts with the prefix. */
const release = prefix.replace(/-+$/, '');
const node = new PodmanNode(prefix, 'notary');
let objects: K8sObject[] = [];

const unit = (suffix: string) => `${release}-${suffix}`;
/** A unit's StatefulSet, every Secret (the converter takes those its volumes name) and its Services. */
function unitObjects(suffix: string): KubeObject[] {
  const name = unit(suffix);
  return objects.filter(
    (o) =>
      (o.kind === 'StatefulSet' && o.metadata.name === name) ||
      o.kind === 'Secret' ||
      (o.kind === 'Service' && o.metadata.labels?.['nn.unit'] === name),
  );
}

/** A unit's viewer token, from the chart's generated node Secret (as the orchestrator reads it). */
function viewerOf(suffix: string): string {
  const secret = objects.find((o) => o.kind === 'Secret' && o.metadata.name === `${release}-node`);
  if (!secret) throw new Error(`the chart rendered no ${release}-node Secret`);
  const data = secretData(secret);
  const key = Object.keys(data).find((k) => k === `${suffix}-viewer`);
  if (!key)
    throw new Error(`${release}-node has no ${suffix}-viewer (keys: ${Object.keys(data).join(', ')})`);
  return data[key] ?? '';
}

beforeAll(async () => {
  // NodePort: with the default hostPort the Iguana pod would take the fixed host port 17775 (its notary
  // p2p port), which another test run on the machine may hold; the NodePort Service is not played, and
  // hostPort publishing is proven on a free port by podman-pods.test.ts.
  objects = render(['--set', 'network=devnet', '--set', 'p2p.exposure=NodePort'], release);
  await node.setUp();
});

afterAll(() => node.tearDown());

describe('the Helm chart’s units under podman kube play (devnet)', () => {
  it('LTC, KMD and Iguana come up in turn, each sidecar ready; Iguana registered KMD and LTC through its bridges', async () => {
    const podSpecs = JSON.stringify(objects.filter((o) => o.kind === 'StatefulSet'));
    expect(podSpecs).not.toContain('hostPort');
    for (const suffix of ['ltc', 'kmd', 'iguana']) {
      const pod = await node.play(unitObjects(suffix), async (p) => {
        expect((await p.state('daemon')).running).toBe(false);
      });
      const ready = await pod.waitProbe('sidecar', 'readiness', 180_000);
      expect(ready.detail).toMatch(/^200 /);
      expect((await pod.state('daemon')).running).toBe(true);
    }
    const iguana = node.pods.get(`${unit('iguana')}-0`);
    if (!iguana) throw new Error('Iguana was not played');
    const status = (await sidecarGet(iguana, '/v1/status', viewerOf('iguana'))) as {
      coins: { name: string; registered: boolean }[];
    };
    expect(
      status.coins
        .filter((c) => c.registered)
        .map((c) => c.name)
        .sort(),
    ).toEqual(['KMD', 'LTC']);
  });

  it('a stop: each daemon gets SIGTERM and exits 0 within the chart’s grace period, then its sidecar', async () => {
    for (const suffix of ['iguana', 'kmd', 'ltc']) {
      const pod = node.pods.get(`${unit(suffix)}-0`);
      if (!pod) throw new Error(`${suffix} was not played`);
      const stopped = await pod.stop();
      expect(stopped.map((s) => [s.container, s.exitCode])).toEqual([
        ['daemon', 0],
        ['sidecar', 0],
      ]);
      expect(stopped[0]?.graceSec).toBe(pod.spec.graceSec);
      expect(await pod.logs('daemon')).toMatch(/"signal":"SIGTERM"/);
    }
  });
});
