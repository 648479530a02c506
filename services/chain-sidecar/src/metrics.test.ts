import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SidecarMetrics } from './metrics.js';

const dir = mkdtempSync(join(tmpdir(), 'nn-metrics-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sample = (text: string, name: string) =>
  new RegExp(`^${name}\\{[^}]*chain="KMD"[^}]*\\} (\\S+)$`, 'm').exec(text)?.[1];

describe('SidecarMetrics disk gauges', () => {
  it("report the used share and the bytes left of the volume's file system, as df counts them", async () => {
    const text = await new SidecarMetrics('KMD', dir).registry.metrics();
    const ratio = Number(sample(text, 'nn_chain_volume_used_ratio'));
    const avail = Number(sample(text, 'nn_chain_volume_available_bytes'));
    // df -P on the same directory: 1024-byte blocks used and available, and its Use% (rounded up).
    const df = spawnSync('df', ['-P', dir], { encoding: 'utf8' }).stdout.trim().split('\n')[1]?.split(/\s+/);
    const [used, available] = [Number(df?.[2]), Number(df?.[3])];
    expect(ratio).toBeGreaterThan(0);
    expect(ratio).toBeLessThan(1);
    expect(Math.abs(ratio - used / (used + available))).toBeLessThan(0.01);
    expect(Math.abs(avail / 1024 - available) / available).toBeLessThan(0.05);
  });

  it('leave the gauges without a sample when the path is not there, and out without a path', async () => {
    const missing = await new SidecarMetrics('KMD', join(dir, 'not-mounted')).registry.metrics();
    expect(missing).toContain('# TYPE nn_chain_volume_used_ratio gauge');
    expect(sample(missing, 'nn_chain_volume_used_ratio')).toBeUndefined();
    expect(sample(missing, 'nn_chain_volume_available_bytes')).toBeUndefined();
    const none = await new SidecarMetrics('KMD').registry.metrics();
    expect(none).not.toContain('nn_chain_volume_used_ratio');
  });
});
