import { eventually, freePorts } from '@nn/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { DevchainPool, type DevchainProcess } from '../helpers/devchain-process.js';

// Two instances of one assetchain, each in its own HOME with explicit ports, talking komodod's p2p
// protocol over loopback.
const CHAIN = ['-ac_name=P2PDEV', '-ac_supply=100000'];
const OTHER_CHAIN = ['-ac_name=P2POTHER', '-ac_supply=100000'];

const pool = new DevchainPool();
afterEach(() => pool.cleanup());

interface PeerRow {
  addr: string;
  inbound: boolean;
  subver: string;
  startingheight: number;
  version: number;
}

async function startNode(extra: string[], chain = CHAIN): Promise<{ node: DevchainProcess; p2p: number }> {
  const { p2p, rpc } = await freePorts('p2p', 'rpc');
  const node = pool.start([...chain, `-port=${p2p}`, `-rpcport=${rpc}`, ...extra]);
  await node.waitReady();
  return { node, p2p };
}

/** Connections as getinfo and getconnectioncount report them; both must agree. */
async function connections(node: DevchainProcess): Promise<number> {
  const info = await node.call<{ connections: number }>('getinfo');
  const count = await node.call<number>('getconnectioncount');
  expect(info.connections).toBe(count);
  return count;
}

async function waitConnected(node: DevchainProcess, n: number, what: string): Promise<void> {
  await eventually(async () => ((await connections(node)) === n ? true : undefined), 20_000, what);
}

async function bestHash(node: DevchainProcess): Promise<string> {
  return node.call<string>('getbestblockhash');
}

/** Resolves with the shared tip once both nodes report the same best block hash. */
async function converged(a: DevchainProcess, b: DevchainProcess, timeoutMs: number): Promise<string> {
  return eventually(
    async () => {
      const [ha, hb] = [await bestHash(a), await bestHash(b)];
      return ha === hb ? ha : undefined;
    },
    timeoutMs,
    'both nodes on the same best block',
  );
}

/** Polls until the tip has not moved for `quietMs`. */
async function settled(node: DevchainProcess, quietMs: number): Promise<void> {
  let last = await bestHash(node);
  let since = Date.now();
  await eventually(
    async () => {
      const now = await bestHash(node);
      if (now !== last) {
        last = now;
        since = Date.now();
      }
      return Date.now() - since >= quietMs ? true : undefined;
    },
    30_000,
    'the tip to stop moving',
  );
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('devchain p2p between two instances of one assetchain', () => {
  it('connects through -addnode, shows the peer on both sides and lets a late node catch up', async () => {
    const { node: a, p2p: aPort } = await startNode(['-gen=0']);
    const mined = await a.call<string[]>('generate', [7]);
    expect(mined).toHaveLength(7);

    const { node: b } = await startNode(['-gen=0', `-addnode=127.0.0.1:${aPort}`]);
    await waitConnected(a, 1, 'A to see one connection');
    await waitConnected(b, 1, 'B to see one connection');

    const fromB = await b.call<PeerRow[]>('getpeerinfo');
    expect(fromB).toHaveLength(1);
    expect(fromB[0]).toMatchObject({ addr: `127.0.0.1:${aPort}`, inbound: false, startingheight: 7 });
    expect(fromB[0]?.subver).toMatch(/^\/.+\/$/);
    const fromA = await a.call<PeerRow[]>('getpeerinfo');
    expect(fromA).toHaveLength(1);
    expect(fromA[0]).toMatchObject({ inbound: true, startingheight: 0 });
    expect(fromA[0]?.addr).toMatch(/^127\.0\.0\.1:\d+$/);

    expect(await converged(a, b, 20_000)).toBe(mined[6]);
    expect(await b.call<number>('getblockcount')).toBe(7);
    expect(await b.call<string>('getblockhash', [3])).toBe(mined[2]);
    // B has caught up, so it reports itself synced with the peer's longest chain.
    const infoB = await b.call<{ synced: boolean; longestchain: number; blocks: number }>('getinfo');
    expect(infoB).toMatchObject({ synced: true, longestchain: 7, blocks: 7 });
  });

  it('catches up across several getblocks rounds (500 blocks per inv)', async () => {
    const { node: a, p2p: aPort } = await startNode(['-gen=0', '-devblocktime=0.1']);
    // In batches: one `generate 1000` can outlast the RPC time-out on a busy machine.
    for (let i = 0; i < 6; i++) await a.call('generate', [200]);
    await a.call('generate', [34]);
    // A keeps mining while B syncs: new-block announcements arrive before B has their parents.
    await a.call('setgenerate', [true, 1]);
    const { node: b } = await startNode(['-gen=0', `-addnode=127.0.0.1:${aPort}`]);
    await eventually(
      async () => ((await b.call<number>('getblockcount')) > 1240 ? true : undefined),
      60_000,
      'B past 1240',
    );
    await a.call('setgenerate', [false]);
    await settled(a, 1_000);
    const tip = await bestHash(a);
    expect(await converged(a, b, 30_000)).toBe(tip);
    expect(await b.call<string>('getblockhash', [501])).toBe(await a.call<string>('getblockhash', [501]));
  });

  it('relays a transaction sent on A to B, where it is mined and seen by A as confirmed', async () => {
    const { node: a, p2p: aPort } = await startNode(['-gen=0']);
    await a.call('generate', [3]);
    const { node: b } = await startNode(['-gen=0', `-addnode=127.0.0.1:${aPort}`]);
    await converged(a, b, 20_000);

    const toB = await b.call<string>('getnewaddress');
    const txid = await a.call<string>('sendtoaddress', [toB, 12.5]);
    await eventually(
      async () => ((await b.call<string[]>('getrawmempool')).includes(txid) ? true : undefined),
      15_000,
      'tx in B mempool',
    );
    // B's wallet sees the incoming payment before it is mined.
    expect((await b.call<{ unconfirmed_balance: number }>('getwalletinfo')).unconfirmed_balance).toBe(12.5);

    const [blockHash] = await b.call<string[]>('generate', [1]);
    const block = await b.call<{ tx: string[] }>('getblock', [blockHash]);
    expect(block.tx).toContain(txid);
    await converged(a, b, 20_000);
    expect(await a.call<string[]>('getrawmempool')).not.toContain(txid);
    const onA = await a.call<{ blockhash: string; rawconfirmations: number }>('getrawtransaction', [txid, 1]);
    expect(onA.blockhash).toBe(blockHash);
    expect(onA.rawconfirmations).toBe(1);
    const coins = await b.call<Array<{ txid: string; amount: number }>>('listunspent');
    expect(coins.filter((c) => c.txid === txid).map((c) => c.amount)).toEqual([12.5]);
  });

  it('converges on one best block after both mined at once, and reorganises to the longer branch', async () => {
    const { node: a, p2p: aPort } = await startNode(['-gen=0', '-devblocktime=0.2']);
    await a.call('generate', [2]);
    const { node: b } = await startNode(['-gen=0', '-devblocktime=0.2', `-addnode=127.0.0.1:${aPort}`]);
    await converged(a, b, 20_000);
    const start = await a.call<number>('getblockcount');

    await a.call('setgenerate', [true, 1]);
    await b.call('setgenerate', [true, 1]);
    await sleep(5_000);
    await a.call('setgenerate', [false]);
    await b.call('setgenerate', [false]);
    expect((await a.call<{ generate: boolean }>('getgenerate')).generate).toBe(false);
    await settled(a, 1_500);
    await settled(b, 1_500);
    // Equal-height tips stay split (first seen wins, as in komodod) until the next block breaks the tie.
    if ((await bestHash(a)) !== (await bestHash(b))) await a.call('generate', [1]);
    const tip = await converged(a, b, 20_000);
    expect(await a.call<number>('getblockcount')).toBeGreaterThan(start + 5);
    // Once both stand still they stay on the same tip.
    await sleep(2_500);
    expect(await bestHash(a)).toBe(tip);
    expect(await bestHash(b)).toBe(tip);

    // Partition: B drops its link to A, both mine their own branch, B's is longer.
    await b.call('addnode', [`127.0.0.1:${aPort}`, 'remove']);
    await waitConnected(a, 0, 'A to lose B');
    await waitConnected(b, 0, 'B to lose A');
    const forkHeight = await a.call<number>('getblockcount');
    // A payment mined only on A's branch must come back to A's mempool when that branch is dropped.
    const payment = await a.call<string>('sendtoaddress', [await a.call<string>('getnewaddress'), 3]);
    const aBranch = await a.call<string[]>('generate', [3]);
    expect((await a.call<{ tx: string[] }>('getblock', [aBranch[0]])).tx).toContain(payment);
    const bBranch = await b.call<string[]>('generate', [5]);
    expect(aBranch[2]).not.toBe(bBranch[4]);

    await b.call('addnode', [`127.0.0.1:${aPort}`, 'add']);
    expect(await converged(a, b, 30_000)).toBe(bBranch[4]);
    expect(await a.call<number>('getblockcount')).toBe(forkHeight + 5);
    for (const hash of aBranch) {
      // A's own blocks are now off the main chain.
      expect((await a.call<{ confirmations: number }>('getblock', [hash])).confirmations).toBe(-1);
    }
    expect(await a.call<string>('getblockhash', [forkHeight + 1])).toBe(bBranch[0]);
    expect(a.output()).toMatch(/reorganised/);
    expect(await a.call<string[]>('getrawmempool')).toContain(payment);
    const back = await a.call<{ confirmations?: number; blockhash?: string }>('getrawtransaction', [
      payment,
      1,
    ]);
    expect(back.blockhash).toBeUndefined();
    // Mined again on the winning chain.
    const [again] = await a.call<string[]>('generate', [1]);
    expect((await a.call<{ tx: string[] }>('getblock', [again])).tx).toContain(payment);
    expect(await converged(a, b, 20_000)).toBe(again);
  });

  it('drops a node of another chain at the first message: connections stay 0', async () => {
    const { node: a, p2p: aPort } = await startNode(['-gen=0']);
    const { node: b } = await startNode(['-gen=0', `-addnode=127.0.0.1:${aPort}`]);
    await waitConnected(a, 1, 'A to see B');
    const { node: c } = await startNode(['-gen=0', `-addnode=127.0.0.1:${aPort}`], OTHER_CHAIN);
    const cMagic = (await c.call<{ magic: number }>('getinfo')).magic;
    expect(cMagic).not.toBe((await a.call<{ magic: number }>('getinfo')).magic);
    // devchain redials every 2 s; watch across several attempts.
    for (let i = 0; i < 6; i++) {
      await sleep(1_000);
      expect(await connections(c)).toBe(0);
      expect(await connections(a)).toBe(1);
      expect(await c.call<unknown[]>('getpeerinfo')).toEqual([]);
    }
    expect(await connections(b)).toBe(1);
    expect(a.output()).toMatch(/magic mismatch/);
  });

  it('answers addnode add/remove/onetry like komodod, with -23 and -24 errors', async () => {
    const { node: a, p2p: aPort } = await startNode(['-gen=0']);
    const { node: b } = await startNode(['-gen=0']);
    const target = `127.0.0.1:${aPort}`;
    expect(await connections(b)).toBe(0);

    expect(await b.rpc('addnode', [target, 'add'])).toMatchObject({ status: 200, result: null, error: null });
    await waitConnected(b, 1, 'B to connect after addnode add');
    expect(await b.rpc('addnode', [target, 'add'])).toMatchObject({
      status: 500,
      error: { code: -23, message: 'Error: Node already added' },
    });
    // onetry to a node already connected reuses the connection (ConnectNode finds it), as komodod does.
    expect(await b.rpc('addnode', [target, 'onetry'])).toMatchObject({ result: null, error: null });
    await sleep(1_500);
    expect(await connections(b)).toBe(1);
    expect(await connections(a)).toBe(1);
    expect(await b.rpc('addnode', [target, 'remove'])).toMatchObject({
      status: 200,
      result: null,
      error: null,
    });
    await waitConnected(b, 0, 'B to disconnect after addnode remove');
    expect(await b.rpc('addnode', [target, 'remove'])).toMatchObject({
      status: 500,
      error: { code: -24, message: 'Error: Node has not been added.' },
    });
    // onetry connects once without adding the node to the list.
    expect(await b.rpc('addnode', [target, 'onetry'])).toMatchObject({
      status: 200,
      result: null,
      error: null,
    });
    await waitConnected(b, 1, 'B to connect after addnode onetry');
    expect(await b.rpc('addnode', [target, 'remove'])).toMatchObject({ error: { code: -24 } });

    const badCommand = await b.rpc('addnode', [target, 'connect']);
    expect(badCommand.error?.code).toBe(-1);
    expect(badCommand.error?.message).toMatch(/^addnode "node" "add\|remove\|onetry"/);
    const badCount = await b.rpc('addnode', [target]);
    expect(badCount.error?.code).toBe(-1);
    expect(badCount.error?.message).toMatch(/^addnode /);
    expect(await connections(a)).toBe(1);
  });

  it('treats -addnode entries as added nodes and reconnects after the peer restarts', async () => {
    const { p2p: aPort, rpc: aRpc } = await freePorts('p2p', 'rpc');
    const aArgs = [...CHAIN, `-port=${aPort}`, `-rpcport=${aRpc}`, '-gen=0'];
    const a = pool.start(aArgs);
    await a.waitReady();
    const { node: b } = await startNode(['-gen=0', `-addnode=127.0.0.1:${aPort}`]);
    await waitConnected(b, 1, 'B to connect');
    expect(await b.rpc('addnode', [`127.0.0.1:${aPort}`, 'add'])).toMatchObject({ error: { code: -23 } });

    expect(await a.call('stop')).toBe('P2PDEV server stopping');
    expect(await a.exited).toBe(0);
    await waitConnected(b, 0, 'B to notice A is gone');
    const a2 = pool.start(aArgs, a.home);
    await a2.waitReady();
    await waitConnected(b, 1, 'B to reconnect to the restarted A');
    await waitConnected(a2, 1, 'the restarted A to see B');
  });
});
