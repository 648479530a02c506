import { randomBytes } from 'node:crypto';
import {
  CONTROL_ROLE,
  ensureRedisContainer,
  localDocker,
  REDIS_IMAGE,
  redisContainerOf,
  redisVolumeOf,
  removeRedisContainer,
} from '@nn/nnctl/up';
import { claim, freePort, runId } from '@nn/testkit';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { docker } from '../helpers/docker.js';

// The Redis `nnctl up` starts when none answers: a container of the node's own, managed like a unit
// (labels, restart policy, stop time-out, bounded logs), its data in a labelled volume that outlives the
// container, AOF on and noeviction (BullMQ). Checked on the real engine, under a name of this run's own.

const name = `r${runId()}${randomBytes(1).toString('hex')}`;
// Also the namesake's node, `${name}x`: anything carrying the owner label (nn/redis's image label
// counts) that a killed run left under this prefix is removed by the next run.
claim({ kind: 'docker', prefix: name });
const host = process.env.DOCKER_HOST;
const engine = localDocker(host?.startsWith('unix://') ? host : 'unix:///var/run/docker.sock');
const port = await freePort();
const url = `redis://127.0.0.1:${port}`;

afterAll(async () => {
  await removeRedisContainer(engine, name, true);
  await docker
    .getContainer(redisContainerOf(`${name}x`))
    .remove({ force: true })
    .catch(() => undefined);
});

async function withRedis<T>(use: (r: Redis) => Promise<T>): Promise<T> {
  const r = new Redis(url, { maxRetriesPerRequest: 2 });
  try {
    return await use(r);
  } finally {
    r.disconnect();
  }
}

describe("nnctl up's own Redis container", () => {
  it('runs nn/redis with AOF and noeviction on 127.0.0.1, owned, restart always, logs bounded', async () => {
    const made = await ensureRedisContainer(engine, name, port);
    expect(made.how).toBe('created');
    const c = await docker.getContainer(redisContainerOf(name)).inspect();
    expect(c.Config.Image).toBe(REDIS_IMAGE);
    expect(c.Config.Labels).toMatchObject({
      'nn.managed-by': 'notary-control-plane',
      'nn.unit': redisContainerOf(name),
      'nn.role': CONTROL_ROLE,
      'nn.instance': name,
    });
    expect(c.Config.User).toBe('10001:10001');
    expect(c.HostConfig.RestartPolicy?.Name).toBe('always');
    expect(c.HostConfig.LogConfig).toEqual({
      Type: 'json-file',
      Config: { 'max-size': '20m', 'max-file': '10' },
    });
    expect((c.Config as { StopTimeout?: number }).StopTimeout).toBe(60);
    expect(c.Mounts.find((m) => m.Destination === '/data')?.Name).toBe(redisVolumeOf(name));
    const volume = await docker.getVolume(redisVolumeOf(name)).inspect();
    expect(volume.Labels).toMatchObject({
      'nn.managed-by': 'notary-control-plane',
      'nn.unit': redisContainerOf(name),
    });
    await withRedis(async (r) => {
      expect(await r.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
      expect(await r.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
      expect(await r.config('GET', 'bind')).toEqual(['bind', '127.0.0.1']);
      await r.set('nn-test-kept', 'yes');
    });
  });

  it('is left as it is when nothing changed (same container id), and keeps its data when made again', async () => {
    const before = (await docker.getContainer(redisContainerOf(name)).inspect()).Id;
    const again = await ensureRedisContainer(engine, name, port);
    expect(again).toEqual({ id: before.slice(0, 12), how: 'running' });
    // Gone without its volume (a `down` without --volumes), then made again: AOF brings the key back.
    expect(await removeRedisContainer(engine, name, false)).toBe(true);
    await docker.getVolume(redisVolumeOf(name)).inspect();
    expect((await ensureRedisContainer(engine, name, port)).how).toBe('created');
    expect(await withRedis((r) => r.get('nn-test-kept'))).toBe('yes');
  });

  it('refuses a namesake container it did not make, and removes only its own', async () => {
    // Made by hand: it inherits nn/redis's nn.managed-by label but has no nn.unit.
    const other = redisContainerOf(`${name}x`);
    await docker.createContainer({ name: other, Image: REDIS_IMAGE });
    await expect(ensureRedisContainer(engine, `${name}x`, await freePort())).rejects.toThrow(
      `container ${other} exists and is not this node's; not touching it`,
    );
    expect(await removeRedisContainer(engine, `${name}x`, true)).toBe(false);
    expect(await removeRedisContainer(engine, name, true)).toBe(true);
    await expect(docker.getContainer(redisContainerOf(name)).inspect()).rejects.toMatchObject({
      statusCode: 404,
    });
    await expect(docker.getVolume(redisVolumeOf(name)).inspect()).rejects.toMatchObject({ statusCode: 404 });
    expect((await docker.getContainer(other).inspect()).Name).toBe(`/${other}`);
  });
});
