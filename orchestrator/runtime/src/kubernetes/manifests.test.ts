import { describe, expect, it } from 'vitest';
import { sampleKmdUnit } from '../conformance/sample-unit.js';
import { InvalidSpecError } from '../errors.js';
import type { UnitSpec } from '../types/unit-spec.js';
import type { KubeUnitOptions } from './kube-options.js';
import { kubeSpecHash, unitObjects } from './manifests.js';

const images = { daemon: 'nn/devchain:latest', sidecar: 'nn/chain-sidecar:latest' };
const options: KubeUnitOptions = {
  namespace: 'nn',
  p2pExposure: 'NodePort',
  orchestrator: { podLabels: { 'app.kubernetes.io/name': 'nn-orchestrator' } },
};
const sample = (extra: Partial<UnitSpec> = {}) => {
  const { spec } = sampleKmdUnit({ name: 'kmd-a', node: 'node-1', hostPort: 31001, p2pPort: 31002, images });
  return { ...spec, ...extra } as UnitSpec;
};
const issuesOf = (spec: unknown, opts: KubeUnitOptions = options): string[] => {
  try {
    unitObjects(spec as UnitSpec, opts);
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidSpecError);
    return [...(err as InvalidSpecError).issues];
  }
  throw new Error('expected an InvalidSpecError');
};

describe('unitObjects', () => {
  it('builds objects the Kubernetes schema accepts, for every p2p exposure', () => {
    for (const p2pExposure of ['hostPort', 'NodePort', 'LoadBalancer'] as const) {
      const o = unitObjects(
        sample({ mounts: [{ volume: 'zcash-params', path: '/data/.zcash-params', readOnly: true }] }),
        {
          ...options,
          p2pExposure,
          apiExposure: 'hostPort',
          storage: { className: 'fast', size: '50Gi' },
          placement: 'require',
        },
      );
      const all = [
        o.statefulSet,
        o.service,
        o.p2pService,
        o.secret,
        o.networkPolicy,
        o.dataClaim,
        ...o.sharedClaims,
      ];
      for (const obj of all) if (obj) expect(() => obj.validate()).not.toThrow();
      expect(o.p2pService === null).toBe(p2pExposure === 'hostPort');
    }
  });

  it('refuses, through the schema, an object Kubernetes would refuse (the check can fail)', () => {
    const o = unitObjects(sample(), options);
    const broken = o.statefulSet;
    (broken.spec as { replicas: unknown }).replicas = 'one';
    expect(() => broken.validate()).toThrow(/replicas/);
  });

  it('makes a one-replica set: files step, native sidecar with its probes, the daemon, the stop grace', () => {
    const spec = sample({ stopTimeoutSec: 200, memoryBytes: 512 * 1024 * 1024, cpus: 1.5 });
    const { statefulSet } = unitObjects(spec, options);
    expect(statefulSet.metadata?.name).toBe('kmd-a');
    expect(statefulSet.spec?.replicas).toBe(1);
    expect(statefulSet.spec?.serviceName).toBe('kmd-a-sidecar');
    const pod = statefulSet.spec?.template.spec;
    expect(pod?.initContainers?.map((c) => [c.name, c.restartPolicy])).toEqual([
      ['files', undefined],
      ['sidecar', 'Always'],
    ]);
    const sidecar = pod?.initContainers?.[1];
    expect(sidecar?.readinessProbe?.httpGet?.path).toBe('/readyz');
    expect(sidecar?.livenessProbe?.httpGet?.path).toBe('/healthz');
    expect(sidecar?.args).toEqual(['--config', '/data/nn/sidecar.json']);
    expect(pod?.containers.map((c) => c.name)).toEqual(['daemon']);
    expect(pod?.containers[0]?.resources).toEqual({
      requests: { memory: String(512 * 1024 * 1024), cpu: '1500m' },
      limits: { memory: String(512 * 1024 * 1024), cpu: '1500m' },
    });
    expect(pod?.terminationGracePeriodSeconds).toBe(200);
    expect(pod?.volumes?.[0]).toEqual({ name: 'data', persistentVolumeClaim: { claimName: 'kmd-a-data' } });
    expect(pod?.automountServiceAccountToken).toBe(false);
    expect(
      pod?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.[0]?.preference,
    ).toEqual({
      matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['node-1'] }],
    });
  });

  it('carries files only in the Secret: never in the set, env or args', () => {
    const spec = sample();
    const o = unitObjects(spec, options);
    const secretText = (spec.files ?? []).map((f) => String(f.content));
    const setJson = JSON.stringify(o.statefulSet);
    for (const s of secretText) {
      expect(setJson).not.toContain(s);
      expect(setJson).not.toContain(Buffer.from(s).toString('base64'));
    }
    expect(Object.values(o.secret?.data ?? {}).map((b) => Buffer.from(b, 'base64').toString())).toEqual(
      secretText,
    );
    const files = o.statefulSet.spec?.template.spec?.initContainers?.[0];
    // The files step gets (source, mode, destination) triples: paths only.
    expect(files?.command?.slice(4)).toEqual([
      '/nn/files/f0',
      '600',
      '/data/nn/sidecar.json',
      '/nn/files/f1',
      '600',
      '/data/nn/tokens.json',
      '/nn/files/f2',
      '600',
      '/data/.komodo/komodo.conf',
    ]);
    expect(unitObjects(sample({ files: [] }), options).secret).toBeNull();
  });

  it('exposes p2p as configured and never RPC; the API through the headless Service', () => {
    const hostPort = unitObjects(sample(), { ...options, p2pExposure: 'hostPort' });
    const daemonPorts = hostPort.statefulSet.spec?.template.spec?.containers[0]?.ports;
    expect(daemonPorts).toEqual([{ name: 'p2p-0', containerPort: 7770, protocol: 'TCP', hostPort: 31002 }]);
    expect(
      hostPort.statefulSet.spec?.template.spec?.initContainers?.[1]?.ports?.[0]?.hostPort,
    ).toBeUndefined();
    const nodePort = unitObjects(sample(), options).p2pService;
    expect(nodePort?.spec?.type).toBe('NodePort');
    expect(nodePort?.spec?.ports).toEqual([
      { name: 'p2p-0', protocol: 'TCP', port: 31002, targetPort: 7770, nodePort: 31002 },
    ]);
    const lb = unitObjects(sample(), { ...options, p2pExposure: 'LoadBalancer' }).p2pService;
    expect(lb?.spec?.type).toBe('LoadBalancer');
    expect(lb?.spec?.ports?.[0]?.nodePort).toBeUndefined();
    const { service } = unitObjects(sample(), options);
    expect(service.spec?.clusterIP).toBe('None');
    expect(service.spec?.publishNotReadyAddresses).toBe(true);
    expect(service.spec?.ports?.map((p) => p.port)).toEqual([8080]);
    const all = JSON.stringify(unitObjects(sample(), options));
    expect(all).not.toMatch(/7771/);
  });

  it('admits the sidecar API only from the orchestrator, bridged units and the configured peers (Iguana), p2p from anywhere', () => {
    const { networkPolicy } = unitObjects(sample(), {
      ...options,
      orchestrator: { ...options.orchestrator, namespace: 'nn-system', cidrs: ['10.1.0.0/24'] },
      apiPeers: [{ 'app.kubernetes.io/instance': 'nn', 'nn.role-in-node': 'iguana' }],
    });
    expect(networkPolicy.spec?.podSelector.matchLabels).toEqual({
      'nn.managed-by': 'notary-control-plane',
      'nn.unit': 'kmd-a',
    });
    expect(networkPolicy.spec?.policyTypes).toEqual(['Ingress']);
    expect(networkPolicy.spec?.ingress).toEqual([
      {
        from: [
          {
            podSelector: { matchLabels: { 'app.kubernetes.io/name': 'nn-orchestrator' } },
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'nn-system' } },
          },
          {
            podSelector: {
              matchLabels: { 'nn.managed-by': 'notary-control-plane', 'nn.bridge/kmd-a': 'true' },
            },
          },
          {
            podSelector: { matchLabels: { 'app.kubernetes.io/instance': 'nn', 'nn.role-in-node': 'iguana' } },
          },
          { ipBlock: { cidr: '10.1.0.0/24' } },
        ],
        ports: [{ protocol: 'TCP', port: 8080 }],
      },
      { ports: [{ protocol: 'TCP', port: 7770 }] },
    ]);
  });

  it('labels every object as owned, with the spec labels, and sizes the claim per chain', () => {
    const o = unitObjects(sample({ labels: { 'nn.chain': 'KMD', 'nn.storage-size': '80Gi' } }), options);
    for (const obj of [o.statefulSet, o.service, o.p2pService, o.secret, o.networkPolicy, o.dataClaim])
      expect(obj?.metadata?.labels).toMatchObject({
        'nn.managed-by': 'notary-control-plane',
        'nn.unit': 'kmd-a',
        'app.kubernetes.io/managed-by': 'notary-control-plane',
        'nn.chain': 'KMD',
      });
    expect(o.dataClaim.spec?.resources?.requests?.storage).toBe('80Gi');
    expect(o.dataClaim.spec?.accessModes).toEqual(['ReadWriteOnce']);
  });

  it('changes the spec hash with the spec and with the options, not otherwise', () => {
    const spec = sample();
    const a = kubeSpecHash(spec, options);
    expect(kubeSpecHash({ ...spec }, { ...options })).toBe(a);
    expect(kubeSpecHash({ ...spec, stopTimeoutSec: 100 }, options)).not.toBe(a);
    expect(kubeSpecHash(spec, { ...options, p2pExposure: 'hostPort' })).not.toBe(a);
    // The tokens are random per sample: another file content is another spec.
    expect(kubeSpecHash(sample(), options)).not.toBe(a);
    const o = unitObjects(spec, options);
    expect(o.specHash).toBe(a);
    expect(o.statefulSet.spec?.template.metadata?.annotations?.['nn.spec-hash']).toBe(a);
  });

  it('refuses specs Kubernetes would reject, naming the field', () => {
    const good = sample();
    const cases: Array<[unknown, RegExp, KubeUnitOptions?]> = [
      [{ ...good, name: 'a'.repeat(64) }, /^name: /],
      [{ ...good, node: 'Node_1' }, /^node: /],
      [{ ...good, labels: { 'nn.chain': 'x'.repeat(64) } }, /^labels\.nn\.chain: a label value/],
      [{ ...good, labels: { 'nn.chain': 'two words' } }, /^labels\.nn\.chain: a label value/],
      [{ ...good, labels: { 'nn.x/-bad-': 'v' } }, /^labels\.nn\.x\/-bad-: the key name/],
      [{ ...good, labels: { 'nn.storage-size': 'lots' } }, /^labels\.nn\.storage-size: /],
      [
        {
          ...good,
          ports: [
            { container: 7770, host: 31002 },
            { container: 7770, host: 31003 },
          ],
        },
        /^ports\.1\.container: duplicates ports\.0\.container/,
      ],
      [
        { ...good, ports: [{ container: 7770, host: 7770 }] },
        /^ports\.0\.host: a NodePort must be in 30000-32767/,
      ],
      [{ ...good, restart: 'no' }, /^restart: not supported on kubernetes/],
      [{ ...good, logs: { maxFiles: 2 } }, /^logs: not supported on kubernetes/],
      [{ ...good, volume: { name: 'Data_Vol' } }, /^volume\.name: /],
      [{ ...good, mounts: [{ volume: 'Params', path: '/params' }] }, /^mounts\.0\.volume: /],
      [{ ...good, files: [{ path: 'a b.conf', content: 'x' }] }, /^files\.0\.path: /],
      [
        {
          ...good,
          files: [
            { path: 'a', content: 'x' },
            { path: 'b', content: 'y', uid: 0 },
          ],
        },
        /^files\.1\.uid: not supported on kubernetes/,
      ],
      [
        { ...good, files: [{ path: 'big', content: 'x'.repeat(1_100_000) }] },
        /^files: not supported on kubernetes/,
      ],
      // The generic checks run first, with the same field names as on Docker.
      [{ ...good, sidecar: { ...good.sidecar, hostPort: 70000 } }, /^sidecar\.hostPort: /],
      [{ ...good, privileged: true }, /privileged/],
    ];
    for (const [spec, field, opts] of cases) {
      const issues = issuesOf(spec, opts);
      expect(
        issues.some((i) => field.test(i)),
        `${field} in ${issues.join(' | ')}`,
      ).toBe(true);
    }
  });
});
