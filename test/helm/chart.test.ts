import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  baseLayoutOf,
  iguanaUnitSpec,
  kmdUnitSpec,
  loadProfile,
  ltcUnitSpec,
  type NodeSecrets,
} from '@nn/node-units';
import { parseJobsConfig } from '@nn/orchestrator-jobs';
import { isOwned, LABEL_OWNER, OWNER, type UnitSpec } from '@nn/runtime';
import { kubernetesRuntimeConfigSchema } from '@nn/runtime/kubernetes/config';
import { REPO_ROOT } from '@nn/testkit';
import { describe, expect, it } from 'vitest';
import { SHIPPED_NETWORKS } from './chart-layout.js';
import { helm } from './helm.js';
import { CHART_DIR, currentNetworkFile, networkFileText } from './network-files.js';
import { byKind, invalidObjects, type K8sObject, named, render, renderAgain, secretData } from './render.js';

// The Helm chart deploy/helm/notary-node, rendered by the real helm binary for the default values and
// for each network, every object validated against the Kubernetes OpenAPI schema; the node's units
// compared with what `nnctl up` deploys (@nn/node-units); secrets only in Secrets; hostile values refused.

const OPERATOR_KEY = [
  '--set',
  'notary.pubkey=02aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
  '--set',
  'notary.existingSecret=my-notary-key',
];
const OPERATOR_NETWORKS = new Set(['kmdclassic', 'testnet-2024']);
const argsOf = (network: string, standIns = false): string[] => [
  '--set',
  `network=${network}`,
  '--set',
  `standIns=${standIns}`,
  ...(OPERATOR_NETWORKS.has(network) && !standIns ? OPERATOR_KEY : []),
];
const CASES = SHIPPED_NETWORKS.flatMap((n) => [
  { network: n, standIns: false },
  { network: n, standIns: true },
]);
const DEVNET_PUBKEY = '029990370c7832425b27c524c6a687188c8ce5de304e756210bd32a602da3c482c';

describe('the network files the chart reads', () => {
  it('are the ones networks/*.json make now, one per shipped network', () => {
    const shipped = readdirSync(join(REPO_ROOT, 'networks')).filter((f) => f.endsWith('.json'));
    expect(shipped.map((f) => f.replace(/\.json$/, '')).sort()).toEqual([...SHIPPED_NETWORKS].sort());
    expect(readdirSync(join(CHART_DIR, 'networks')).sort()).toEqual(
      shipped.map((f) => f.replace(/json$/, 'yaml')).sort(),
    );
    for (const name of SHIPPED_NETWORKS) expect(currentNetworkFile(name), name).toBe(networkFileText(name));
  });
});

describe('helm lint and template', () => {
  it('lints clean (strict) with the default values and for every network', () => {
    for (const args of [[], ...CASES.map((c) => argsOf(c.network, c.standIns))]) {
      const r = helm(['lint', '--strict', CHART_DIR, ...args]);
      expect(r.code, `${args.join(' ')}\n${r.stdout}${r.stderr}`).toBe(0);
    }
  });

  it('renders the default values (devnet) into objects that all validate', () => {
    const objects = render([]);
    expect(invalidObjects(objects)).toEqual([]);
    const kinds = new Set(objects.map((o) => o.kind));
    for (const k of [
      'StatefulSet',
      'Deployment',
      'Service',
      'Secret',
      'NetworkPolicy',
      'PodDisruptionBudget',
      'Role',
    ])
      expect(kinds).toContain(k);
    expect(
      byKind(objects, 'StatefulSet')
        .map((o) => o.metadata.name)
        .sort(),
    ).toEqual(['nn-iguana', 'nn-kmd', 'nn-ltc', 'nn-redis']);
  });

  it.each(CASES)(
    'renders $network (stand-ins: $standIns), every object valid, the units the network has',
    (c) => {
      const objects = render(argsOf(c.network, c.standIns));
      expect(invalidObjects(objects)).toEqual([]);
      const units = byKind(objects, 'StatefulSet')
        .map((o) => o.metadata.name)
        .filter((n) => n !== 'nn-redis')
        .sort();
      const expected = { devnet: 3, kmdclassic: 3, komodo: 1, 'testnet-2024': 2 }[c.network];
      expect(units).toHaveLength(expected);
      expect(units).toContain('nn-kmd');
    },
  );

  it('needs Kubernetes 1.29 or later (native sidecars): 1.29 renders, 1.28 is refused', () => {
    const ok = helm(['template', 'nn', CHART_DIR, '--kube-version', '1.29.0']);
    expect(ok.code, ok.stderr).toBe(0);
    const old = helm(['template', 'nn', CHART_DIR, '--kube-version', '1.28.9']);
    expect(old.code).not.toBe(0);
    expect(old.stderr).toMatch(/kubeVersion/);
  });

  it('validates the optional ServiceMonitor against the Prometheus Operator CRD schema', () => {
    const objects = render(['--set', 'serviceMonitor.enabled=true']);
    expect(byKind(objects, 'ServiceMonitor')).toHaveLength(2);
    expect(invalidObjects(objects)).toEqual([]);
  });

  it('the validation is real: a wrong type in a rendered object is found', () => {
    const objects = render([]);
    const set = structuredClone(named(objects, 'StatefulSet', 'nn-kmd')) as unknown as {
      spec: { replicas: unknown };
    };
    set.spec.replicas = 'one';
    expect(invalidObjects([set as unknown as K8sObject]).join()).toMatch(/replicas/);
  });

  it('so is the field check: a field Kubernetes does not have is found, wherever it is', () => {
    const set = structuredClone(named(render([]), 'StatefulSet', 'nn-kmd')) as unknown as {
      spec: { template: { spec: { initContainers: Array<Record<string, unknown>> } } };
    };
    const sidecar = set.spec.template.spec.initContainers[1] ?? {};
    sidecar.restartPolicy = 'Always';
    sidecar.restartPolicyy = 'Always';
    expect(invalidObjects([set as unknown as K8sObject])).toEqual([
      'StatefulSet nn-kmd: unknown field StatefulSet.spec.template.spec.initContainers[1].restartPolicyy',
    ]);
  });
});

/** The NodeSecrets the rendered chart holds, as @nn/node-units would have them. */
function secretsOf(objects: readonly K8sObject[], pubkey: string): NodeSecrets {
  const s = secretData(named(objects, 'Secret', 'nn-node'));
  const pair = (u: string) => ({
    viewer: s[`${u}-viewer`] ?? '',
    operator: s[`${u}-operator`] ?? '',
    viewerFile: '',
    operatorFile: '',
  });
  const passphrase = secretData(named(objects, 'Secret', 'nn-devnet-key')).passphrase?.trim() ?? '';
  return {
    dir: '',
    passphrase,
    passphraseFile: '',
    pubkey,
    address: '',
    wif: '',
    wifFile: '',
    ltc: { ...pair('ltc'), rpcpassword: s['ltc-rpcpassword'] ?? '' },
    kmd: { ...pair('kmd'), rpcpassword: s['kmd-rpcpassword'] ?? '' },
    iguana: pair('iguana'),
  };
}

/** The files a rendered unit's pod holds: destination path → content (files Secret, devnet key). */
function podFiles(objects: readonly K8sObject[], unit: string): Record<string, string> {
  const set = named(objects, 'StatefulSet', unit) as unknown as {
    spec: { template: { spec: { initContainers: Array<{ name: string; command: string[] }> } } };
  };
  const init = set.spec.template.spec.initContainers.find((c) => c.name === 'files');
  const words = init?.command.slice(4) ?? [];
  const files = secretData(named(objects, 'Secret', `${unit}-files`));
  const key = secretData(named(objects, 'Secret', 'nn-devnet-key'));
  const out: Record<string, string> = {};
  for (let i = 0; i + 2 < words.length; i += 3) {
    const [src = '', mode, dst = ''] = words.slice(i, i + 3);
    expect(mode).toBe('600');
    const source = src.startsWith('/nn/files/') ? files[src.slice(10)] : key[src.slice('/nn/notary/'.length)];
    out[dst.replace(/^\/data\//, '')] = source ?? `missing ${src}`;
  }
  return out;
}

describe('the node units are the ones `nnctl up` deploys', () => {
  it.each(CASES.filter((c) => !OPERATOR_NETWORKS.has(c.network) || c.standIns))(
    '$network (stand-ins: $standIns): same files, command line, image and grace period',
    (c) => {
      const objects = render(argsOf(c.network, c.standIns));
      const profile = loadProfile(c.network, { standIns: c.standIns });
      const layout = {
        ...baseLayoutOf(profile, 'nn-'),
        prefix: 'nn-',
        node: 'unused',
        network: profile.network,
        ports: { ltc: 1, kmd: 2, iguana: 3 },
        stopTimeoutSec: profile.stopTimeoutSec,
      };
      const s = secretsOf(objects, DEVNET_PUBKEY);
      const specs: UnitSpec[] = [
        ...(layout.daemons.destination ? [ltcUnitSpec(layout, s)] : []),
        kmdUnitSpec(layout, s),
        ...(layout.daemons.iguana ? [iguanaUnitSpec(layout, s)] : []),
      ];
      for (const spec of specs) {
        const expected = Object.fromEntries((spec.files ?? []).map((f) => [f.path, String(f.content)]));
        expect(podFiles(objects, spec.name), spec.name).toEqual(expected);
        const pod = (
          named(objects, 'StatefulSet', spec.name) as unknown as {
            spec: {
              template: {
                spec: {
                  terminationGracePeriodSeconds: number;
                  containers: Array<{ name: string; image: string; args?: string[]; workingDir?: string }>;
                };
              };
            };
          }
        ).spec.template.spec;
        const daemon = pod.containers.find((x) => x.name === 'daemon');
        expect(daemon?.image).toBe(spec.daemon.image);
        expect(daemon?.args ?? []).toEqual(spec.daemon.cmd ?? []);
        expect(daemon?.workingDir).toBe(spec.daemon.workdir);
        expect(pod.terminationGracePeriodSeconds).toBe(spec.stopTimeoutSec);
      }
    },
  );

  it('the generated secrets are the same in every object of one render, and kept from the live Secret', () => {
    const objects = render([]);
    const tokens = secretData(named(objects, 'Secret', 'nn-node'));
    expect(Object.values(tokens).every((v) => /^[A-Za-z0-9]{48}$/.test(v))).toBe(true);
    const kmdFiles = podFiles(objects, 'nn-kmd');
    expect(kmdFiles['nn/tokens.json']).toContain(tokens['kmd-viewer']);
    expect(podFiles(objects, 'nn-iguana')['nn/kmd.token']).toBe(`${tokens['kmd-operator']}\n`);
    // A second render (no cluster: lookup finds nothing) makes new ones: what an install does once.
    const again = renderAgain([]);
    expect(secretData(named(again, 'Secret', 'nn-node'))['kmd-viewer']).not.toBe(tokens['kmd-viewer']);
    // Other files, another checksum on the pod template: the pod rolls.
    const sum = (objs: K8sObject[]) =>
      (
        named(objs, 'StatefulSet', 'nn-kmd').spec as {
          template: { metadata: { annotations: Record<string, string> } };
        }
      ).template.metadata.annotations['checksum/files'];
    expect(sum(again)).not.toBe(sum(objects));
    const tpl = helm(['show', 'chart', CHART_DIR]);
    expect(tpl.stdout).toMatch(/kubeVersion: '?>=1\.29/);
  });
});

describe('the zcash params', () => {
  it.each(['kmdclassic', 'komodo', 'testnet-2024'])(
    '%s: the main chain unit fetches them with its image’s own script, then mounts them read-only',
    (network) => {
      const pod = (
        named(render(argsOf(network)), 'StatefulSet', 'nn-kmd').spec as {
          template: {
            spec: {
              initContainers: Array<{ name: string; image: string; command?: string[] }>;
              containers: Array<{ volumeMounts: Array<{ name: string; readOnly?: boolean }> }>;
            };
          };
        }
      ).template.spec;
      const fetch = pod.initContainers[0];
      expect(fetch?.name).toBe('zcash-params');
      const program = fetch?.command?.[0] ?? '';
      // The image's Dockerfile installs that program (images/real).
      const dockerfiles = readdirSync(join(REPO_ROOT, 'images', 'real')).filter((f) =>
        f.endsWith('.Dockerfile'),
      );
      expect(
        dockerfiles.some((f) =>
          readFileSync(join(REPO_ROOT, 'images', 'real', f), 'utf8').includes(`/out/bin/${program}`),
        ),
        program,
      ).toBe(true);
      expect(pod.containers[0]?.volumeMounts).toContainEqual({
        name: 'zcash-params',
        mountPath: '/data/.zcash-params',
        readOnly: true,
      });
    },
  );

  it('the stand-ins fetch nothing, and fetch=false leaves it to the operator', () => {
    for (const args of [
      argsOf('kmdclassic', true),
      [...argsOf('komodo'), '--set', 'units.zcashParams.fetch=false'],
    ]) {
      const spec = JSON.stringify(named(render(args), 'StatefulSet', 'nn-kmd').spec);
      expect(spec).not.toContain('fetch-params');
      expect(spec).toContain('"claimName":"nn-zcash-params","readOnly":true');
    }
  });
});

describe('secrets and ownership', () => {
  it.each(CASES)('$network (stand-ins: $standIns): no secret value in any object but a Secret', (c) => {
    const objects = render(argsOf(c.network, c.standIns));
    // The secret values: the generated ones (tokens, RPC passwords, API keys) and the devnet key's.
    const generated = Object.values(secretData(named(objects, 'Secret', 'nn-node')));
    const key = byKind(objects, 'Secret').filter((o) => o.metadata.name === 'nn-devnet-key');
    const values = [...generated, ...key.flatMap((o) => Object.values(secretData(o)).map((v) => v.trim()))];
    expect(values.length).toBeGreaterThan(5);
    for (const o of objects.filter((x) => x.kind !== 'Secret')) {
      const text = JSON.stringify(o);
      for (const v of values)
        expect(text.includes(v), `${o.kind} ${o.metadata.name} holds a secret`).toBe(false);
    }
  });

  it('every object is Helm-managed and of the release; the units carry nn.unit but are not the runtime’s', () => {
    const objects = render([
      ...argsOf('kmdclassic', true),
      '--set',
      'p2p.exposure=NodePort',
      '--set',
      'serviceMonitor.enabled=true',
    ]);
    for (const o of objects) {
      expect(o.metadata.labels?.['app.kubernetes.io/managed-by'], o.metadata.name).toBe('Helm');
      expect(o.metadata.labels?.['app.kubernetes.io/instance']).toBe('nn');
      // The orchestrator's Kubernetes runtime proves ownership by nn.managed-by + nn.unit: it never
      // touches what the chart made, but for the two claims it must reach (Iguana's volume, where it puts
      // each chain's token; the zcash params every chain unit mounts), which it keeps as they are.
      const shared = ['nn-iguana-data', 'nn-zcash-params'].includes(o.metadata.name);
      expect(isOwned(o.metadata.labels), `${o.kind} ${o.metadata.name}`).toBe(
        shared && o.kind === 'PersistentVolumeClaim',
      );
    }
    expect(
      isOwned(named(objects, 'PersistentVolumeClaim', 'nn-zcash-params').metadata.labels, 'nn-kmd'),
    ).toBe(true);
    // The object names the runtime's Kubernetes adapter gives a unit (orchestrator/runtime/src/kubernetes).
    for (const unit of ['nn-ltc', 'nn-kmd', 'nn-iguana']) {
      for (const [kind, name] of [
        ['StatefulSet', unit],
        ['Service', `${unit}-sidecar`],
        ['Secret', `${unit}-files`],
        ['PersistentVolumeClaim', `${unit}-data`],
        ['NetworkPolicy', `${unit}-api`],
      ] as const)
        expect(named(objects, kind, name).metadata.labels?.['nn.unit']).toBe(unit);
    }
  });
});

describe('ports', () => {
  const rpcPorts = [9332, 7771, 7776];
  const containerPorts = (objects: readonly K8sObject[]) =>
    JSON.stringify(byKind(objects, 'StatefulSet').map((o) => o.spec));

  it('hostPort (default): p2p ports on the pod’s node, no p2p Service, RPC nowhere', () => {
    const objects = render(argsOf('kmdclassic'));
    const kmd = JSON.stringify(named(objects, 'StatefulSet', 'nn-kmd').spec);
    expect(kmd).toContain('"hostPort":7770');
    expect(objects.some((o) => o.metadata.name.endsWith('-p2p'))).toBe(false);
    for (const p of rpcPorts) {
      expect(containerPorts(objects)).not.toContain(`"containerPort":${p}`);
      expect(JSON.stringify(byKind(objects, 'Service'))).not.toContain(`"port":${p}`);
    }
  });

  it('NodePort and LoadBalancer: a p2p Service per unit with the ports asked for', () => {
    const np = render([
      ...argsOf('kmdclassic'),
      '--set',
      'p2p.exposure=NodePort',
      '--set',
      'p2p.nodePorts.7770=30770',
    ]);
    const svc = named(np, 'Service', 'nn-kmd-p2p') as unknown as {
      spec: { type: string; ports: Array<{ port: number; nodePort?: number }> };
    };
    expect(svc.spec.type).toBe('NodePort');
    expect(svc.spec.ports).toEqual([expect.objectContaining({ port: 7770, nodePort: 30770 })]);
    expect(containerPorts(np)).not.toContain('hostPort');
    const lb = render([...argsOf('kmdclassic'), '--set', 'p2p.exposure=LoadBalancer']);
    expect((named(lb, 'Service', 'nn-iguana-p2p').spec as { type: string }).type).toBe('LoadBalancer');
    expect(invalidObjects([...np, ...lb])).toEqual([]);
  });
});

describe('the orchestrator', () => {
  it.each(CASES)('$network (stand-ins: $standIns): its jobs config is valid and wired to the units', (c) => {
    const objects = render(argsOf(c.network, c.standIns));
    const cm = named(objects, 'ConfigMap', 'nn-orchestrator') as unknown as { data: Record<string, string> };
    const config = JSON.parse(cm.data['orchestrator.json'] ?? '{}') as {
      jobs: unknown;
      redisUrl: string;
      kubernetes: {
        namespace: string;
        inCluster: boolean;
        orchestrator: { podLabels: Record<string, string> };
      };
    };
    // The runtime's section: the release's namespace, and the labels the orchestrator's pods carry (the
    // units' NetworkPolicies, the chart's and the runtime's, admit pods with them).
    expect(config.kubernetes).toMatchObject({ namespace: 'notary', inCluster: true });
    for (const d of byKind(objects, 'Deployment'))
      expect(
        (d.spec as { template: { metadata: { labels: object } } }).template.metadata.labels,
      ).toMatchObject(config.kubernetes.orchestrator.podLabels);
    const jobs = parseJobsConfig(config.jobs);
    expect(jobs.kmd?.sidecarUrl).toBe('http://nn-kmd-sidecar:8080');
    // The destination's sidecar too where the network has one (its live status and automatic wallet
    // reset), its viewer token mounted in the workers; komodo's node has no destination, so none.
    const hasLtc = objects.some((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'nn-ltc-api');
    expect(jobs.ltc).toEqual(
      hasLtc
        ? { sidecarUrl: 'http://nn-ltc-sidecar:8080', viewerTokenFile: '/etc/nn/node/ltc-viewer' }
        : undefined,
    );
    const worker = JSON.stringify(named(objects, 'Deployment', 'nn-orchestrator-worker'));
    expect(worker.includes('"key":"ltc-viewer"')).toBe(hasLtc);
    // The adapter reads the section as the chart writes it.
    const kube = kubernetesRuntimeConfigSchema.parse(config.kubernetes);
    // Chain units the workers add carry the label KMD's NetworkPolicy admits their bridge by ...
    expect(jobs.chainUnits?.labels).toEqual({ 'nn.bridge/nn-kmd': 'true' });
    const kmdPolicy = named(objects, 'NetworkPolicy', 'nn-kmd-api').spec as {
      ingress: Array<{ from?: Array<{ podSelector?: { matchLabels: Record<string, string> } }> }>;
    };
    const chainPod = { ...jobs.chainUnits?.labels, [LABEL_OWNER]: OWNER };
    const admits = (labels: Record<string, string>) =>
      kmdPolicy.ingress.some((rule) =>
        (rule.from ?? []).some(
          (peer) =>
            peer.podSelector !== undefined &&
            Object.entries(peer.podSelector.matchLabels).every(([k, v]) => labels[k] === v),
        ),
      );
    expect(admits(chainPod)).toBe(true);
    expect(admits({ [LABEL_OWNER]: OWNER })).toBe(false);
    // ... and every unit the adapter makes admits the chart's Iguana (which calls every chain's sidecar).
    if (jobs.iguana) {
      const iguanaPod = (
        named(objects, 'StatefulSet', 'nn-iguana').spec as {
          template: { metadata: { labels: Record<string, string> } };
        }
      ).template.metadata.labels;
      expect(kube.apiPeers.some((p) => Object.entries(p).every(([k, v]) => iguanaPod[k] === v))).toBe(true);
    }
    expect(config.redisUrl).toBe('redis://nn-redis:6379');
    // The Iguana wiring names the claim the chart made for Iguana.
    if (jobs.iguana)
      expect(named(objects, 'PersistentVolumeClaim', jobs.iguana.volume).metadata.labels?.['nn.unit']).toBe(
        'nn-iguana',
      );
    if (jobs.chainUnits?.zcashParams)
      expect(named(objects, 'PersistentVolumeClaim', jobs.chainUnits.zcashParams.volume).kind).toBe(
        'PersistentVolumeClaim',
      );
    expect(jobs.iguana === undefined).toBe(c.network === 'komodo');
    expect(cm.data['orchestrator.json']).not.toContain('@@');
    // Chains that read the local elected file get the main chain unit's copy, as with `nnctl up`.
    if (jobs.unitFiles.length > 0) {
      const worker = JSON.stringify(named(objects, 'Deployment', 'nn-orchestrator-worker').spec);
      expect(jobs.unitFiles).toEqual([
        { path: 'nn/elected.json', source: '/etc/nn/unit-files/elected.json' },
      ]);
      expect(worker).toMatch(
        /"secretName":"nn-kmd-files","defaultMode":288,"items":\[\{"key":"f\d","path":"elected.json"\}\]/,
      );
      expect(jobs.daemonExtraArgs).toContain('-devnotaries=/data/nn/elected.json');
    }
    expect(jobs.unitFiles.length > 0).toBe(c.network === 'devnet' || (c.standIns && c.network !== 'komodo'));
  });

  it('runs the API and the workers as two Deployments; only the workers get the Role', () => {
    const objects = render([]);
    const deps = byKind(objects, 'Deployment') as unknown as Array<{
      metadata: { name: string };
      spec: {
        template: { spec: { automountServiceAccountToken: boolean; containers: Array<{ args: string[] }> } };
      };
    }>;
    expect(deps.map((d) => [d.metadata.name, d.spec.template.spec.containers[0]?.args.at(-1)])).toEqual([
      ['nn-orchestrator-api', 'api'],
      ['nn-orchestrator-worker', 'worker'],
    ]);
    expect(deps.map((d) => d.spec.template.spec.automountServiceAccountToken)).toEqual([false, true]);
    const role = named(objects, 'Role', 'nn-orchestrator') as unknown as {
      rules: Array<{ resources: string[] }>;
    };
    expect(role.rules.flatMap((r) => r.resources).sort()).toEqual(
      [
        'statefulsets',
        'services',
        'secrets',
        'persistentvolumeclaims',
        'pods',
        'pods/log',
        'networkpolicies',
        'events',
        'events',
      ].sort(),
    );
    const nodes = byKind(objects, 'ClusterRole')[0] as unknown as {
      rules: Array<{ resources: string[]; verbs: string[] }>;
    };
    expect(nodes.rules).toEqual([{ apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch'] }]);
  });
});

describe('bad values are refused by the values schema, naming the field', () => {
  const HOSTILE: ReadonlyArray<{ set: string[]; field: RegExp }> = [
    { set: ['network=mainnet'], field: /\/network/ },
    { set: ['standIns=maybe'], field: /\/standIns/ },
    { set: ['redis.persistence.size=lots'], field: /\/redis\/persistence\/size/ },
    { set: ['orchestrator.api.replicas=0'], field: /\/orchestrator\/api\/replicas/ },
    { set: ['orchestrator.worker.replicas=2'], field: /\/orchestrator\/persistence\/accessMode/ },
    { set: ['orchestrator.instance=Bad_Name'], field: /\/orchestrator\/instance/ },
    { set: ['p2p.exposure=ClusterIP'], field: /\/p2p\/exposure/ },
    { set: ['p2p.nodePorts.7770=80'], field: /\/p2p\/nodePorts\/7770/ },
    { set: ['notary.pubkey=04abc'], field: /\/notary\/pubkey/ },
    {
      set: ['podDisruptionBudget.units.maxUnavailable=5'],
      field: /\/podDisruptionBudget\/units\/maxUnavailable/,
    },
    { set: ['units.resources.kmd.limits.memory=a lot'], field: /\/units\/resources\/kmd\/limits\/memory/ },
    { set: ['podSecurityContext.runAsUser=0'], field: /\/podSecurityContext\/runAsUser/ },
    { set: ['imageRegistry=http://evil'], field: /\/imageRegistry/ },
    { set: ['unknownValue=1'], field: /unknownValue/ },
    { set: ['network=kmdclassic'], field: /\/notary\/(pubkey|existingSecret)/ },
  ];
  it.each(HOSTILE)('--set $set', ({ set, field }) => {
    const r = helm(['template', 'nn', CHART_DIR, ...set.flatMap((s) => ['--set', s])]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/values don't meet the specifications of the schema/);
    expect(r.stderr).toMatch(field);
    expect(r.stdout).toBe('');
  });

  it('nodeSecret.existingSecret is read from the cluster (lookup): without one, refused naming it', () => {
    const r = helm(['template', 'nn', CHART_DIR, '--set', 'nodeSecret.existingSecret=my-node-secrets']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('nodeSecret.existingSecret: Secret "my-node-secrets" has no key');
  });

  it('the template refuses a pubkey without the Secret holding its key', () => {
    const r = helm(['template', 'nn', CHART_DIR, '--set', `notary.pubkey=${DEVNET_PUBKEY}`]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('notary.existingSecret');
  });
});
