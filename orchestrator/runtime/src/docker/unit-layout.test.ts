import { describe, expect, it } from 'vitest';
import type { UnitSpec } from '../types/unit-spec.js';
import { daemonOptions, hostPorts, sidecarOptions, specHash } from './unit-layout.js';

const spec: UnitSpec = {
  name: 'ccl',
  node: 'e2',
  labels: { 'nn.chain': 'CCL' },
  sidecar: { image: 'nn/chain-sidecar:latest', hostPort: 20001 },
  daemon: { image: 'nn/devchain:latest', cmd: ['-ac_name=CCL'] },
  ports: [{ container: 20848, host: 20002 }],
  files: [{ path: 'nn/secret', content: 'hunter2-secret' }],
  memoryBytes: 512 * 1024 * 1024,
  cpus: 1.5,
};

describe('unit layout', () => {
  it('publishes the sidecar API and p2p ports on the node address only, from the sidecar', () => {
    const o = sidecarOptions(spec, 'nn-cluster', '10.213.0.3', 'h');
    expect(o.HostConfig?.PortBindings).toEqual({
      '8080/tcp': [{ HostIp: '10.213.0.3', HostPort: '20001' }],
      '20848/tcp': [{ HostIp: '10.213.0.3', HostPort: '20002' }],
    });
    expect(o.HostConfig?.NetworkMode).toBe('nn-cluster');
    expect(o.NetworkingConfig?.EndpointsConfig?.['nn-cluster']?.Aliases).toEqual(['ccl-sidecar']);
    expect(o.Labels).toMatchObject({
      'nn.managed-by': 'notary-control-plane',
      'nn.unit': 'ccl',
      'nn.role': 'sidecar',
      'nn.chain': 'CCL',
      'nn.volume': 'ccl-data',
      'nn.api-port': '8080',
    });
  });

  it('joins the daemon to the sidecar namespace with a long stop timeout and limits', () => {
    const o = daemonOptions(spec, 'abc123', 'h');
    expect(o.HostConfig?.NetworkMode).toBe('container:abc123');
    expect(o.HostConfig?.PortBindings).toBeUndefined();
    expect(o.StopTimeout).toBe(300);
    expect(o.HostConfig?.Memory).toBe(512 * 1024 * 1024);
    expect(o.HostConfig?.NanoCpus).toBe(1_500_000_000);
    expect(o.HostConfig?.Binds).toEqual(['ccl-data:/data']);
  });

  it('mounts further volumes into the daemon only, read-only where asked, sets its working dir, and hashes both', () => {
    const mounted: UnitSpec = {
      ...spec,
      mounts: [
        { volume: 'n1-zcash-params', path: '/data2/.zcash-params', readOnly: true },
        { volume: 'n1-shared', path: '/shared' },
      ],
    };
    expect(daemonOptions(mounted, 'abc123', 'h').HostConfig?.Binds).toEqual([
      'ccl-data:/data',
      'n1-zcash-params:/data2/.zcash-params:ro',
      'n1-shared:/shared',
    ]);
    expect(sidecarOptions(mounted, 'nn-cluster', '10.213.0.3', 'h').HostConfig?.Binds).toEqual([
      'ccl-data:/data',
    ]);
    expect(specHash(mounted)).not.toBe(specHash(spec));
    const inDir: UnitSpec = { ...spec, daemon: { ...spec.daemon, workdir: '/data/dPoW/iguana' } };
    expect(daemonOptions(inDir, 'abc123', 'h').WorkingDir).toBe('/data/dPoW/iguana');
    expect(daemonOptions(spec, 'abc123', 'h')).not.toHaveProperty('WorkingDir');
    expect(specHash(inDir)).not.toBe(specHash(spec));
    expect(specHash({ ...spec, mounts: undefined })).toBe(specHash(spec));
  });

  it("bounds both containers' logs: 20 MB x 10 files by default, or the spec's limits", () => {
    const rotated = { Type: 'json-file', Config: { 'max-size': '20m', 'max-file': '10' } };
    expect(daemonOptions(spec, 'abc123', 'h').HostConfig?.LogConfig).toEqual(rotated);
    expect(sidecarOptions(spec, 'nn-cluster', '10.213.0.3', 'h').HostConfig?.LogConfig).toEqual(rotated);
    const small: UnitSpec = { ...spec, logs: { maxSizeMb: 5, maxFiles: 3 } };
    const limited = { Type: 'json-file', Config: { 'max-size': '5m', 'max-file': '3' } };
    expect(daemonOptions(small, 'abc123', 'h').HostConfig?.LogConfig).toEqual(limited);
    expect(sidecarOptions(small, 'nn-cluster', '10.213.0.3', 'h').HostConfig?.LogConfig).toEqual(limited);
    // Docker cannot change a container's log settings: other limits must replace the unit.
    expect(specHash(small)).not.toBe(specHash(spec));
  });

  it('hashes the spec: stable, sensitive to config and file content, never containing a secret', () => {
    const h = specHash(spec);
    expect(specHash({ ...spec, labels: { 'nn.chain': 'CCL' } })).toBe(h);
    expect(specHash({ ...spec, daemon: { ...spec.daemon, cmd: ['-ac_name=CCL', '-x'] } })).not.toBe(h);
    expect(specHash({ ...spec, files: [{ path: 'nn/secret', content: 'other' }] })).not.toBe(h);
    expect(h).toMatch(/^[0-9a-f]{32}$/);
  });

  it('lists the host ports a unit binds', () => {
    expect(hostPorts(spec)).toEqual([
      { port: 20001, protocol: 'tcp' },
      { port: 20002, protocol: 'tcp' },
    ]);
  });
});
