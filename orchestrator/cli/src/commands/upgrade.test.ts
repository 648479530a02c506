import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ApiHarness, apiHarness, OPERATOR_KEY, recordedNodeUnits } from '@nn/orchestrator-api/testing';
import { runProcess } from '@nn/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CliError } from '../io.js';
import { imagesFromFlags, imagesFromNetwork } from './upgrade.js';

// nnctl upgrade: its grammar (--image TARGET=IMAGE, --network), then nnctl as a process against a real
// API over real Redis with the node units' desired state recorded: the dry run prints the plan and
// changes nothing, bad input exits non-zero before anything is queued.

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));
const TSX = fileURLToPath(new URL('../../../../node_modules/.bin/tsx', import.meta.url));

describe('--image TARGET=IMAGE', () => {
  it('resolves the aliases to the API spelling', () => {
    expect(
      imagesFromFlags([
        'ltc=nn/ltc:2',
        'KMDCL=nn/kmd:2',
        'iguana=nn/ig:2',
        'assetchains=nn/ac:2',
        'chain:ccl=nn/ac:3',
      ]),
    ).toEqual({
      destination: 'nn/ltc:2',
      main: 'nn/kmd:2',
      iguana: 'nn/ig:2',
      assetchains: 'nn/ac:2',
      'chain:ccl': 'nn/ac:3',
    });
  });

  it.each([
    ['main', /must be TARGET=IMAGE/],
    ['main=', /must be TARGET=IMAGE/],
    ['=nn/kmd:2', /must be TARGET=IMAGE/],
    ['bitcoin=nn/x:1', /not an upgrade target: use destination \(ltc\), main/],
    ['ccl=nn/x:1', /not an upgrade target/],
    ['chain:Not_An_Id=nn/x:1', /not a chain id after chain:/],
  ])('refuses %s as a usage error', (value, message) => {
    expect(() => imagesFromFlags([value])).toThrow(message);
    expect(() => imagesFromFlags([value])).toThrow(CliError);
  });

  it('refuses a target given twice, also through an alias', () => {
    expect(() => imagesFromFlags(['kmd=nn/a:1', 'main=nn/b:1'])).toThrow(
      '--image main=nn/b:1: main is given twice',
    );
  });
});

describe('--network FILE', () => {
  it("takes the file's daemon and assetchain images, the stand-ins only with --stand-ins", async () => {
    expect(await imagesFromNetwork('devnet', false)).toEqual({
      destination: 'nn/devchain:0.1.0',
      main: 'nn/devchain:0.1.0',
      iguana: 'nn/deviguana:0.1.0',
      assetchains: 'nn/devchain:0.1.0',
    });
    const real = await imagesFromNetwork('kmdclassic', false);
    const standIns = await imagesFromNetwork('kmdclassic', true);
    expect(real.main).toBe('nn/kmdclassicd:1.0.0-beta25');
    expect(standIns.main).toBe('nn/devchain:0.1.0');
    // The checkpoint era's network runs neither a destination chain nor Iguana.
    expect(Object.keys(await imagesFromNetwork('komodo', false)).sort()).toEqual(['assetchains', 'main']);
  });

  it('a file that is not a network is a usage error naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nnctl-upgrade-'));
    try {
      const file = join(dir, 'bad.json');
      writeFileSync(file, '{"name": 1}');
      await expect(imagesFromNetwork(file, false)).rejects.toThrow(CliError);
      await expect(imagesFromNetwork('nosuchnet', false)).rejects.toThrow(/is not a shipped network/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('nnctl upgrade against the API', () => {
  let h: ApiHarness;
  let api: string;
  let dir: string;
  let key: string;
  const desired = recordedNodeUnits();

  beforeAll(async () => {
    h = await apiHarness();
    await h.state.nodeUnits.putDesired(desired);
    await h.app.listen({ host: '127.0.0.1', port: 0 });
    api = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
    dir = mkdtempSync(join(tmpdir(), 'nnctl-upgrade-'));
    key = join(dir, 'operator.key');
    writeFileSync(key, `${OPERATOR_KEY}\n`, { mode: 0o600 });
  });
  afterAll(async () => {
    await h?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const nnctl = (...args: string[]) =>
    runProcess(TSX, [MAIN, '--api', api, '--key-file', key, 'upgrade', ...args], {
      env: { PATH: process.env.PATH ?? '' },
      timeoutMs: 30_000,
    });

  it('--dry-run prints the plan in order and changes nothing', async () => {
    const jobs = await h.countJobs();
    const run = await nnctl('--image', 'kmd=nn/kmd:2', '--image', 'iguana=nn/iguana:2', '--dry-run');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(
      [
        '1. preflight: nn/kmd:2 on local, nn/iguana:2 on local',
        '2. stop Iguana (nn-iguana)',
        '3. upgrade main (nn-kmd on local): nn/devchain:0.1.0 -> nn/kmd:2, health-gated, rolled back on failure',
        '4. unlock stale UTXOs on every daemon',
        '5. upgrade Iguana (nn-iguana): nn/deviguana:0.1.0 -> nn/iguana:2',
        '6. register the chains with Iguana again',
        '(dry run: nothing changed)',
        '',
      ].join('\n'),
    );
    expect(await h.countJobs()).toBe(jobs);
    expect(await h.state.nodeUnits.getDesired()).toEqual(desired);
  });

  it('bad input exits non-zero with the reason, nothing queued', async () => {
    const jobs = await h.countJobs();
    const usage = await nnctl('--image', 'bitcoin=nn/x:1');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--image bitcoin=nn/x:1: not an upgrade target');
    const none = await nnctl();
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('give at least one --image TARGET=IMAGE, or --network FILE');
    const hostile = await nnctl('--image', 'main=nn/kmd;reboot', '--dry-run');
    expect(hostile.code).toBe(1);
    expect(hostile.stderr).toContain('images.main');
    const same = await nnctl('--network', 'devnet');
    expect(same.code).toBe(1);
    expect(same.stderr).toContain('nothing to upgrade');
    expect(await h.countJobs()).toBe(jobs);
  });
});
