import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import { DockerRuntime, LABEL_OWNER, LABEL_ROLE, LABEL_UNIT, OWNER, PortConflictError } from '@nn/runtime';
import { daemonAnswers, runtimeConformance, sampleKmdUnit } from '@nn/runtime/conformance';
import { claim } from '@nn/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execIn } from '../helpers/docker.js';
import { dockerForeign, localDocker } from './foreign.js';

// The conformance suite against the default DockerRuntime: the local engine alone.
runtimeConformance(() => new DockerRuntime(), {
  label: 'docker, local engine',
  foreign: dockerForeign(() => localDocker, 'nn/devchain:latest'),
});

describe('DockerRuntime on the local engine: Docker specifics', () => {
  const rt = new DockerRuntime();
  const prefix = `dl${randomBytes(3).toString('hex')}`;
  claim({ kind: 'docker', prefix });
  const base = 39000 + Math.floor(Math.random() * 90) * 10;
  const images = { daemon: 'nn/devchain:latest', sidecar: 'nn/chain-sidecar:latest' };

  let networkBefore = true;
  beforeAll(async () => {
    // Only the runtime's own cluster network counts: other files running beside this one own networks too,
    // and counting theirs left nn-cluster behind after every run.
    networkBefore = (await rt.listOwned()).some((r) => r.kind === 'network' && r.name === 'nn-cluster');
  });

  afterAll(async () => {
    for (const u of new Set(
      (await rt.listOwned()).filter((r) => r.unit.startsWith(prefix)).map((r) => r.unit),
    ))
      await rt.removeUnit(u, { volumes: true, timeoutSec: 10 });
    if (!networkBefore) await rt.removeNetwork();
    await rt.close();
  });

  it('puts files with their mode and owner, and the volume root to the unit uid', async () => {
    const { spec } = sampleKmdUnit({ name: `${prefix}-files`, node: 'local', hostPort: base, images });
    const h = await rt.deployUnit({
      ...spec,
      files: [...(spec.files ?? []), { path: 'nn/public.txt', content: 'hello', mode: 0o644, uid: 10002 }],
    });
    const stat = await execIn(h.sidecar?.id ?? '', [
      'busybox',
      'stat',
      '-c',
      '%a %u %n',
      '/data',
      '/data/nn',
      '/data/nn/tokens.json',
      '/data/nn/public.txt',
      '/data/.komodo/komodo.conf',
    ]);
    expect(stat.stdout.trim().split('\n')).toEqual([
      '755 10001 /data',
      '700 10001 /data/nn',
      '600 10001 /data/nn/tokens.json',
      '644 10002 /data/nn/public.txt',
      '600 10001 /data/.komodo/komodo.conf',
    ]);
    // Secrets never in env or args.
    const info = await localDocker.getContainer(h.daemon?.id ?? '').inspect();
    const password = /rpcpassword=(\w+)/.exec(String(spec.files?.[2]?.content))?.[1] ?? 'none';
    expect(JSON.stringify([info.Config.Env, info.Config.Cmd, info.Config.Labels])).not.toContain(password);
    expect(info.HostConfig.NetworkMode).toBe(`container:${h.sidecar?.id}`);
    // RPC ports are not published; only the sidecar API (and p2p when asked).
    const sidecar = await localDocker.getContainer(h.sidecar?.id ?? '').inspect();
    expect(Object.keys(sidecar.HostConfig.PortBindings ?? {})).toEqual(['8080/tcp']);
    // Both containers' logs rotate (20 MB x 10 by default), whatever the engine's own default driver.
    for (const c of [info, sidecar])
      expect(c.HostConfig.LogConfig).toEqual({
        Type: 'json-file',
        Config: { 'max-size': '20m', 'max-file': '10' },
      });
  });

  it('undoes a deploy whose port another process holds, leaving no container or volume', async () => {
    const server: Server = createServer();
    await new Promise<void>((r) => server.listen(base + 1, '127.0.0.1', r));
    try {
      const { spec } = sampleKmdUnit({ name: `${prefix}-held`, node: 'local', hostPort: base + 1, images });
      const err = await rt.deployUnit(spec).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PortConflictError);
      expect((err as PortConflictError).port).toBe(base + 1);
      expect((await rt.listOwned()).filter((r) => r.unit === spec.name)).toEqual([]);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('reports a unit whose sidecar restarted under its daemon as degraded, and deploy heals it', async () => {
    // Short stop timeout: the sidecar's own graceful stop stops the daemon, whose restart policy brings it
    // back at once, and a daemon that just started may not handle SIGTERM yet when deploy restarts it.
    const { spec, viewerToken } = sampleKmdUnit({
      name: `${prefix}-deg`,
      node: 'local',
      hostPort: base + 2,
      images,
      stopTimeoutSec: 5,
    });
    const h = await rt.deployUnit(spec);
    await daemonAnswers(h.endpoint, viewerToken);
    // A crash of the sidecar alone (a kill skips its graceful stop of the daemon), then its restart:
    // the daemon keeps running in the namespace of the sidecar's previous life.
    await localDocker.getContainer(h.sidecar?.id ?? '').kill();
    await localDocker.getContainer(h.sidecar?.id ?? '').start();
    expect((await rt.inspectUnit(spec.name)).state).toBe('degraded');
    const healed = await rt.deployUnit(spec);
    expect(healed.state).toBe('running');
    expect(healed.daemon?.id).toBe(h.daemon?.id);
  });
  it('settles on the oldest of several cluster networks of one name and joins units to it', async () => {
    // Two processes' creates that reach Docker 20.10 together both succeed (CheckDuplicate does not
    // hold): the next deploy keeps the oldest network, removes the empty other and joins it by id.
    const network = `${prefix}-dup`;
    const dup = new DockerRuntime({ network });
    const labels = { [LABEL_OWNER]: OWNER, [LABEL_UNIT]: '-', [LABEL_ROLE]: 'network' };
    const made: string[] = [];
    const { spec } = sampleKmdUnit({ name: `${prefix}-dup`, node: 'local', hostPort: base + 3, images });
    try {
      for (let i = 0; i < 2; i++)
        made.push(
          (await localDocker.createNetwork({ Name: network, Labels: labels, CheckDuplicate: false })).id,
        );
      const named = async () =>
        (await localDocker.listNetworks({ filters: { name: [network] } })).filter((n) => n.Name === network);
      expect((await named()).length).toBe(2);
      const oldest = made[0];
      const h = await dup.deployUnit({ ...spec, network });
      expect(h.state).toBe('running');
      expect((await named()).map((n) => n.Id)).toEqual([oldest]);
      const sidecar = await localDocker.getContainer(h.sidecar?.id ?? '').inspect();
      expect(sidecar.NetworkSettings.Networks[network]?.NetworkID).toBe(oldest);
      await dup.removeUnit(spec.name, { volumes: true, timeoutSec: 10 });
      await dup.removeNetwork();
      expect(await named()).toEqual([]);
    } finally {
      await dup.removeUnit(spec.name, { volumes: true, timeoutSec: 10 }).catch(() => undefined);
      for (const id of made)
        await localDocker
          .getNetwork(id)
          .remove()
          .catch(() => undefined);
      await dup.close();
    }
  });
});
