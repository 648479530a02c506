import type { NodeUpgradeResult } from '@nn/orchestrator-jobs';
import { ProcessTracker } from '@nn/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crashThenRecover } from './crash-runner.js';
import { DEVCHAIN_IMAGE, unitResources } from './harness.js';
import { IGUANA_IMAGE, images, type NodeUpgradeEnv, nodeUpgradeEnv } from './node-upgrade-env.js';

// Crash safety of node.upgrade on the real engine (the set-up of node-upgrade.test.ts: a devnet node's
// LTC, KMD and Iguana units recorded as `nnctl up` records them, one assetchain registered with Iguana).
// The worker is SIGKILLed at each step of each daemon (LTC, KMD, the assetchain: stop, recreate,
// readiness on the new image, KMD's recorded image; Iguana: stop, unlock, start, readiness, the recorded
// image, the registration) and a fresh worker takes the stalled job over and finishes it: the new image
// running and recorded, one unit per name and every one running, the same volumes, no coin lost. Each
// case moves one daemon (and Iguana, which every node upgrade restarts) to the other of two references
// of the same image. One node: the cases run one after another (node jobs share the node units' lease).

export type Daemon = 'ltc' | 'kmd' | 'chain' | 'iguana';
/**
 * The kill points. `subject` is the unit (or chain) whose checkpoint it is: the daemons pass the same
 * steps one after another. `recreate|deploy files`: the old containers gone, both new ones made, neither
 * started.
 */
export interface UpgradeCrash {
  readonly daemon: Daemon;
  readonly at: string;
  readonly subject: Daemon | 'node';
}

export const UPGRADE_CRASHES: readonly UpgradeCrash[] = [
  ...(['ltc', 'kmd', 'chain'] as const).flatMap((d) => [
    { daemon: d, at: 'stop|stopped', subject: d },
    { daemon: d, at: 'recreate|deploy files', subject: d },
    { daemon: d, at: 'wait-ready|ready', subject: d },
  ]),
  { daemon: 'kmd', at: 'wait-ready|desired image written', subject: 'kmd' },
  { daemon: 'iguana', at: 'stop-iguana|stopped', subject: 'iguana' },
  { daemon: 'iguana', at: 'unlock|unlocked', subject: 'iguana' },
  { daemon: 'iguana', at: 'start-iguana|deployed', subject: 'iguana' },
  { daemon: 'iguana', at: 'start-iguana|ready', subject: 'iguana' },
  { daemon: 'iguana', at: 'start-iguana|desired image written', subject: 'iguana' },
  { daemon: 'iguana', at: 'register|registered', subject: 'chain' },
];
const IMAGE_KEY = { ltc: 'ltcDaemon', kmd: 'kmdDaemon', iguana: 'iguanaDaemon' } as const;

/** Defines one crash case per entry of `cases`, on one devnet node set up once for the file. */
export function nodeUpgradeCrashSuite(cases: readonly UpgradeCrash[]): void {
  const timings: string[] = [];
  let nu: NodeUpgradeEnv;

  beforeAll(async () => {
    nu = await nodeUpgradeEnv({ queueName: 'nodeup-crash' });
    // The crash workers and the fresh workers run the upgrades, each case on its own queue.
    await nu.jobs.worker?.close();
  });

  afterAll(async () => {
    if (timings.length > 0) console.log(`node upgrade, crash and recovery:\n  ${timings.join('\n  ')}`);
    await nu?.close();
  });

  describe('node.upgrade survives its worker being killed at each step of each daemon', () => {
    it.each(cases)('killed at $at of $daemon: a fresh worker finishes the upgrade', async (c) => {
      const t0 = Date.now();
      const alt = await nu.altImages();
      const current = await nu.desiredImages();
      const chainImage = (await nu.env.state.chains.get(nu.chainId)).spec.image;
      // Every case moves its daemon to the other of two references, so each really recreates it.
      const flip = (now: string, a: string, b: string) => (now === a ? b : a);
      const to = {
        ltc: flip(current.ltcDaemon, DEVCHAIN_IMAGE, alt.devchain),
        kmd: flip(current.kmdDaemon, DEVCHAIN_IMAGE, alt.devchain),
        chain: flip(chainImage, DEVCHAIN_IMAGE, alt.devchain),
        iguana: flip(current.iguanaDaemon, IGUANA_IMAGE, alt.iguana),
      };
      const target = { ltc: 'destination', kmd: 'main', chain: 'assetchains', iguana: 'iguana' } as const;
      const upgrade = images({ [target[c.daemon]]: to[c.daemon], iguana: to.iguana });
      const before = await nu.balances();
      const volumesBefore = await nu.volumes();
      const crashConfig = { ...nu.config, queueName: `nodeup-${c.daemon}-${c.at.replace(/[^a-z]+/g, '-')}` };
      const producer = await nu.env.start(crashConfig, { worker: false });
      const id = await producer.queue.upgradeNode(upgrade);
      const subject =
        c.subject === 'chain' ? nu.chainId : c.subject === 'node' ? 'node' : nu.names[c.subject];
      const workers = new ProcessTracker();
      let phases = '';
      try {
        const { crashed, view, crashMs, recoverMs } = await crashThenRecover(
          workers,
          nu.env,
          crashConfig,
          `${c.at}|${subject}`,
          id,
        );
        expect(crashed.stdout + crashed.stderr).not.toContain(nu.base.secrets.wif);
        const result = view.result as NodeUpgradeResult;
        const done =
          c.daemon === 'iguana' ? [] : [c.daemon === 'chain' ? `chain:${nu.chainId}` : target[c.daemon]];
        expect([...result.upgraded, ...result.already]).toEqual(done);
        expect(result.iguana).toEqual({ from: current.iguanaDaemon, to: to.iguana });
        expect(result.notRegistered).toEqual([]);
        phases = `crash ${crashMs} ms, recovery ${recoverMs} ms`;
      } finally {
        await workers.close(0);
      }
      // The new images run and are recorded; the data volumes are the same ones.
      const unit = { ltc: nu.names.ltc, kmd: nu.names.kmd, chain: nu.chainUnit, iguana: nu.names.iguana }[
        c.daemon
      ];
      expect(await nu.daemonImage(unit)).toBe(to[c.daemon]);
      expect(await nu.daemonImage(nu.names.iguana)).toBe(to.iguana);
      if (c.daemon === 'chain') expect((await nu.env.state.chains.get(nu.chainId)).spec.image).toBe(to.chain);
      else expect(await nu.desiredImages()).toMatchObject({ [IMAGE_KEY[c.daemon]]: to[c.daemon] });
      expect(await nu.volumes()).toEqual(volumesBefore);
      // One unit per name (a daemon and a sidecar, nothing twice), every one running, the chain ready.
      for (const u of [...Object.values(nu.names), nu.chainUnit]) {
        expect((await unitResources(nu.env.runtime, u)).containers, u).toEqual([
          `${u}-daemon`,
          `${u}-sidecar`,
        ]);
        expect(await nu.running(u), u).toBe('running');
      }
      expect((await nu.env.state.chains.get(nu.chainId)).status).toBe('ready');
      expect((await nu.iguanaCoins()).find((x) => x.name === nu.iguanaName)?.registered).toBe(true);
      // No coin lost: each wallet holds at least what it held (KMD keeps mining to the notary key).
      const after = await nu.balances();
      for (const k of Object.keys(before) as Array<keyof typeof before>)
        expect(after[k], `${k} wallet after a crash at ${c.at}`).toBeGreaterThanOrEqual(before[k]);
      timings.push(`${c.daemon} ${c.at}: ${Date.now() - t0} ms (${phases})`);
    });
  });
}
