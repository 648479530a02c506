import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type ApiHarness,
  apiHarness,
  bearer,
  nodeInput,
  OPERATOR_KEY,
  VIEWER_KEY,
} from '../testing/harness.js';
import { devnetSeason as devnet, nodeUnitsOf } from '../testing/season-node.js';

// POST /v1/season/plan and /v1/season against a node recorded as `nnctl up --network devnet` records
// it (the shipped devnet file's own daemons and Iguana section, its three chains in the desired state):
// the plan changes nothing, bad input is a 400 naming the field with nothing written or queued.

const op = bearer(OPERATOR_KEY);
let h: ApiHarness;

beforeEach(async () => {
  h = await apiHarness();
});
afterEach(async () => {
  await h.close();
});

const post = (url: string, payload: unknown, headers = op) =>
  h.app.inject({ method: 'POST', url, headers, payload: payload as object });

async function unchanged(run: () => Promise<void>): Promise<void> {
  const keys = await h.countKeys();
  const jobs = await h.countJobs();
  await run();
  expect(await h.countKeys()).toBe(keys);
  expect(await h.countJobs()).toBe(jobs);
}

describe('season routes', () => {
  it('plans a season that adds one chain and removes one, and changes nothing', async () => {
    await h.state.nodeUnits.putDesired(nodeUnitsOf(devnet()));
    await h.state.nodes.upsert(nodeInput('node-a', 20));
    const current = devnet();
    const imported = await post('/v1/chains/import', {
      entries: current.assetchains.entries,
      image: current.assetchains.image.ref,
    });
    expect(imported.statusCode).toBe(202);
    const season = devnet();
    const koin = season.assetchains.entries.findIndex((e) => e.ac_name === 'KOIN');
    season.assetchains.entries.splice(koin, 1, { ac_name: 'SEASONX', ac_supply: '1000000' });
    season.dpow = (season.dpow as Array<{ chain: string }>).filter((d) => d.chain !== 'KOIN');
    season.iguana.startup = (season.iguana.startup as string[]).filter((s) => !s.endsWith(' KOIN'));
    await unchanged(async () => {
      const res = await post('/v1/season/plan', { network: season });
      expect(res.statusCode, res.body).toBe(200);
      const plan = res.json() as {
        add: Array<{ id: string }>;
        remove: Array<{ id: string }>;
        restartIguana: boolean;
      };
      expect(plan.add.map((c) => c.id)).toEqual(['seasonx']);
      expect(plan.remove.map((c) => c.id)).toEqual(['koin']);
      expect(plan.restartIguana).toBe(true);
      expect(Object.keys(plan)).not.toContain('nodeUnits');
    });
    // With no node able to publish the new chain's p2p port the season is refused.
    await h.state.nodes.upsert(nodeInput('node-a', 20, { schedulable: false }));
    const nowhere = await post('/v1/season/plan', { network: season });
    expect(nowhere.statusCode).toBe(400);
    expect(nowhere.body).toContain("SEASONX's p2p port");
    expect(nowhere.body).toContain("is outside every schedulable node's p2pPorts (none)");
    await h.state.nodes.upsert(nodeInput('node-a', 20));
    const applied = await post('/v1/season', { network: season, keepData: true });
    expect(applied.statusCode, applied.body).toBe(202);
    const { jobId, name } = applied.json() as { jobId: string; name: string };
    expect(name).toBe('season.apply');
    const job = await h.queue.queue.getJob(jobId);
    expect(job?.data).toMatchObject({ keepData: true, requestedBy: expect.any(String) });
    // A second season while one waits gets the waiting one's id (one season at a time).
    const again = await post('/v1/season', { network: season });
    expect((again.json() as { jobId: string }).jobId).toBe(jobId);
  });

  it('refuses a file that fails the network schema with the field, nothing written or queued', async () => {
    await h.state.nodeUnits.putDesired(nodeUnitsOf(devnet()));
    const bad = devnet();
    bad.iguana.p2p = 70_000;
    await unchanged(async () => {
      for (const url of ['/v1/season/plan', '/v1/season']) {
        const res = await post(url, { network: bad });
        expect(res.statusCode).toBe(400);
        expect(res.body).toContain('network.iguana.p2p: must be a port number 1-65535');
      }
      const notObject = await post('/v1/season', { network: 'devnet' });
      expect(notObject.statusCode).toBe(400);
      expect(notObject.body).toContain('network');
      const extra = await post('/v1/season', { network: devnet(), dryRun: true });
      expect(extra.statusCode).toBe(400);
      expect(extra.body).toContain('dryRun');
    });
  });

  it("refuses an elected list without this node's pubkey, and a node with no recorded units", async () => {
    const listed = devnet();
    const pubkey = `03${'cd'.repeat(32)}`;
    listed.iguana.elected = {
      ...(listed.iguana.elected as object),
      notaries: [{ other_NN: `02${'ab'.repeat(32)}` }],
    };
    await unchanged(async () => {
      const none = await post('/v1/season', { network: listed });
      expect(none.statusCode).toBe(400);
      expect(none.body).toContain('no node units are recorded');
    });
    await h.close();
    h = await apiHarness({ notaryPubkey: pubkey });
    await h.state.nodeUnits.putDesired(nodeUnitsOf(devnet()));
    await unchanged(async () => {
      const res = await post('/v1/season', { network: listed });
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain(
        `network.iguana.elected.notaries: does not list this node's notary pubkey ${pubkey}`,
      );
    });
  });

  it('needs an operator key', async () => {
    for (const url of ['/v1/season/plan', '/v1/season'])
      expect((await post(url, { network: devnet() }, bearer(VIEWER_KEY))).statusCode).toBe(403);
  });
});
