import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseSidecarConfig } from '../config.js';
import type { SidecarConfig } from '../contract/index.js';
import { DaemonCredentials } from '../daemon/credentials.js';
import { DaemonRpc } from '../daemon/rpc.js';
import { SidecarMetrics } from '../metrics.js';
import { type FakeNode, type FakeNodeState, startFakeNode } from '../testing/fake-node.js';
import { StatusCache } from './cache.js';
import { readiness } from './readiness.js';
import { collectStatus } from './status.js';

// collectStatus against a JSON-RPC server that follows docs/reference (komodod-rpc.md, bitcoind-rpc.md),
// not devchain: the sidecar must work with any Bitcoin-Core-compatible node.
const PUBKEY = `02${'11'.repeat(32)}`;
const OTHER = `03${'22'.repeat(32)}`;
const p2pk = (pub: string) => `21${pub}ac`;
const p2pkh = `76a914${'33'.repeat(20)}88ac`;

let dir: string;
let node: FakeNode | undefined;
const rpcs: DaemonRpc[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sidecar-status-'));
});
afterEach(async () => {
  for (const r of rpcs.splice(0)) await r.close();
  await node?.close();
  node = undefined;
  rmSync(dir, { recursive: true, force: true });
});

function writeConf(path: string, port: number, password = 'pw-0123456789'): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, `rpcuser=user\nrpcpassword=${password}\nrpcport=${port}\nserver=1\n`, { mode: 0o600 });
}

async function setup(
  state: Partial<FakeNodeState>,
  extra: Record<string, unknown> = {},
): Promise<{ cfg: SidecarConfig; rpc: DaemonRpc }> {
  node = await startFakeNode({ user: 'user', password: 'pw-0123456789', state });
  const conf = join(dir, '.komodo', 'komodo.conf');
  writeConf(conf, node.port);
  const cfg = parseSidecarConfig({
    flavour: state.flavour ?? 'komodo',
    chain: state.flavour === 'bitcoin' ? 'LTC' : 'KMD',
    daemon: { conf, datadir: join(dir, '.komodo') },
    tokensFile: '/unused',
    ...extra,
  });
  const rpc = new DaemonRpc(new DaemonCredentials(cfg.daemon, 0), 3_000);
  rpcs.push(rpc);
  return { cfg, rpc };
}

describe('collectStatus, komodo flavour (getinfo)', () => {
  it('reads blocks, longestchain, notarisation, balance, notary UTXOs and the wallet size', async () => {
    const { cfg, rpc } = await setup(
      {
        blocks: 1234,
        headers: 1240,
        notarized: 1200,
        connections: 7,
        balance: 1234567.12345678,
        synced: false,
        unspent: [
          { amount: 0.0001, scriptPubKey: p2pk(PUBKEY), spendable: true },
          { amount: 0.0001, scriptPubKey: p2pk(PUBKEY), spendable: true },
          { amount: 0.0001, scriptPubKey: p2pk(PUBKEY), spendable: false },
          { amount: 0.0002, scriptPubKey: p2pk(PUBKEY), spendable: true },
          { amount: 0.0001, scriptPubKey: p2pk(OTHER), spendable: true },
          { amount: 0.0001, scriptPubKey: p2pkh, spendable: true },
        ],
      },
      { notaryPubkey: PUBKEY },
    );
    writeFileSync(join(dir, '.komodo', 'wallet.dat'), Buffer.alloc(4321));
    const s = await collectStatus(cfg, rpc);
    expect(s).toMatchObject({
      chain: 'KMD',
      flavour: 'komodo',
      rpc: 'ok',
      rpcMessage: null,
      blocks: 1234,
      headers: 1240,
      synced: false,
      connections: 7,
      notarized: 1200,
      notarizedLag: 34,
      // 16 characters: the RPC client's JSON parser hands it over as a string; the status has a number.
      balance: 1234567.12345678,
      notaryUtxos: 2,
      walletBytes: 4321,
      version: 3_010_050,
      // A komodod before v0.9.2: getinfo carries the notarised fields, no checkpoints.
      dpowActive: true,
      checkpoint: null,
    });
    expect(readiness(s, false).reason).toBe('syncing: 1234 of 1240 blocks');
    expect(node?.methods).toEqual(['getinfo', 'getblockchaininfo', 'listunspent']);
  });

  it('counts a configured notary UTXO size and reports null without a pubkey or wallet.dat', async () => {
    const { cfg, rpc } = await setup({
      unspent: [{ amount: 0.0001, scriptPubKey: p2pk(PUBKEY), spendable: true }],
    });
    const s = await collectStatus(cfg, rpc);
    expect(s.notaryUtxos).toBeNull();
    expect(s.walletBytes).toBeNull();
    expect(node?.methods).toEqual(['getinfo', 'getblockchaininfo']);
    const sized = await collectStatus({ ...cfg, notaryPubkey: PUBKEY, notaryUtxoSats: 20_000 }, rpc);
    expect(sized.notaryUtxos).toBe(0);
  });

  it('takes blocks as the network height when longestchain is 0 (no peer heard of yet)', async () => {
    const { cfg, rpc } = await setup({ blocks: 50, headers: 0, connections: 0 });
    const s = await collectStatus(cfg, rpc);
    expect(s).toMatchObject({ blocks: 50, headers: 50, synced: true, connections: 0 });
    expect(readiness(s, false).ready).toBe(true);
    expect(readiness(s, true).reason).toBe('no peers');
  });

  it('reports -28 with the warm-up message, then ok', async () => {
    const { cfg, rpc } = await setup({ warmup: 'Loading block index...' });
    const s = await collectStatus(cfg, rpc);
    expect(s).toMatchObject({
      rpc: 'warmup',
      rpcMessage: 'Loading block index...',
      blocks: null,
      synced: false,
    });
    expect(readiness(s, false)).toEqual({
      ready: false,
      reason: 'daemon warming up: Loading block index...',
    });
    if (node) node.state.warmup = null;
    const after = await collectStatus(cfg, rpc);
    expect(after.rpc).toBe('ok');
    expect(readiness(after, false).ready).toBe(true);
  });

  it('reports connection refused while the daemon is down', async () => {
    const { cfg, rpc } = await setup({});
    await node?.close();
    const s = await collectStatus(cfg, rpc);
    expect(s).toMatchObject({
      rpc: 'unreachable',
      rpcMessage: 'connection refused',
      blocks: null,
      synced: false,
    });
    expect(readiness(s, false).reason).toBe('daemon RPC unreachable: connection refused');
  });

  it('reports HTTP 401 when the conf has the wrong password, and recovers when the conf is fixed', async () => {
    const { cfg, rpc } = await setup({});
    const conf = cfg.daemon.conf as string;
    writeConf(conf, node?.port ?? 0, 'wrong-password');
    utimesSync(conf, new Date(), new Date(Date.now() + 5_000));
    const s = await collectStatus(cfg, rpc);
    expect(s.rpc).toBe('unreachable');
    expect(s.rpcMessage).toContain('401');
    expect(s.rpcMessage).not.toContain('wrong-password');
    writeConf(conf, node?.port ?? 0);
    utimesSync(conf, new Date(), new Date(Date.now() + 10_000));
    expect((await collectStatus(cfg, rpc)).rpc).toBe('ok');
  });

  it('reports a conf file that does not exist yet (an assetchain writes its own on first start)', async () => {
    const { cfg, rpc } = await setup({});
    rmSync(cfg.daemon.conf as string);
    const s = await collectStatus(cfg, rpc);
    expect(s.rpc).toBe('unreachable');
    expect(s.rpcMessage).toMatch(/does not exist yet/);
  });

  it('komodod v0.9.2 before its sunset: dPoW on (dpow_active "true"), no checkpoint yet, no getcheckpoint', async () => {
    const { cfg, rpc } = await setup({
      era: { dpowActive: true, checkpointsActive: false, checkpoint: '0'.repeat(64) },
    });
    expect(await collectStatus(cfg, rpc)).toMatchObject({ dpowActive: true, checkpoint: null });
    expect(node?.methods).toEqual(['getinfo', 'getblockchaininfo']);
  });

  it('komodod v0.9.2 after its sunset: dPoW off (dpow_active "false") and the checkpoint of getcheckpoint', async () => {
    const hash = 'ab'.repeat(32);
    const { cfg, rpc } = await setup({
      era: { dpowActive: false, checkpointsActive: true, checkpoint: hash, height: 4_771_700 },
    });
    const metrics = new SidecarMetrics(cfg.chain);
    const s = await collectStatus(cfg, rpc);
    expect(s).toMatchObject({ dpowActive: false, checkpoint: { height: 4_771_700, hash } });
    expect(node?.methods).toEqual(['getinfo', 'getblockchaininfo', 'getcheckpoint']);
    metrics.observe(s, true);
    const text = await metrics.registry.metrics();
    expect(text).toContain('nn_chain_dpow_active{chain="KMD"} 0');
    expect(text).toContain('nn_chain_checkpoint_height{chain="KMD"} 4771700');
    // A block the daemon does not know: the hash without a height; the null hash is no checkpoint.
    if (!node?.state.era) throw new Error('no era');
    node.state.era = { ...node.state.era, height: undefined };
    expect((await collectStatus(cfg, rpc)).checkpoint).toEqual({ height: null, hash });
    node.state.era = { ...node.state.era, checkpoint: '0'.repeat(64) };
    expect((await collectStatus(cfg, rpc)).checkpoint).toBeNull();
  });

  it('a chain without checkpoints after the sunset (PIRATE): dPoW off, checkpoint null', async () => {
    const { cfg, rpc } = await setup({
      era: { dpowActive: false, checkpointsActive: false, checkpoint: '0'.repeat(64) },
    });
    const metrics = new SidecarMetrics(cfg.chain);
    const s = await collectStatus(cfg, rpc);
    expect(s).toMatchObject({ dpowActive: false, checkpoint: null });
    metrics.observe(s, true);
    const text = await metrics.registry.metrics();
    expect(text).toContain('nn_chain_dpow_active{chain="KMD"} 0');
    expect(text).toContain('nn_chain_checkpoint_height{chain="KMD"} 0');
  });

  it('reports a komodo-flavour sidecar pointed at a Bitcoin Core node (no getinfo) as an RPC error', async () => {
    const { cfg, rpc } = await setup({ flavour: 'bitcoin' });
    const s = await collectStatus({ ...cfg, flavour: 'komodo' }, rpc);
    expect(s.rpc).toBe('unreachable');
    expect(s.rpcMessage).toBe('RPC error -32601: Method not found');
  });
});

describe('collectStatus, bitcoin flavour (getblockchaininfo, getnetworkinfo, getbalance)', () => {
  it('reads blocks, headers, connections, balance and notary UTXOs; notarized is null', async () => {
    const { cfg, rpc } = await setup(
      {
        flavour: 'bitcoin',
        blocks: 2_500_000,
        headers: 2_500_010,
        connections: 9,
        balance: 0.5,
        version: 210400,
        unspent: [{ amount: 0.0001, scriptPubKey: p2pk(PUBKEY), spendable: true }],
      },
      { notaryPubkey: PUBKEY },
    );
    const s = await collectStatus(cfg, rpc);
    expect(s).toMatchObject({
      chain: 'LTC',
      flavour: 'bitcoin',
      rpc: 'ok',
      blocks: 2_500_000,
      headers: 2_500_010,
      synced: false,
      connections: 9,
      notarized: null,
      notarizedLag: null,
      balance: 0.5,
      notaryUtxos: 1,
      version: 210400,
      dpowActive: null,
      checkpoint: null,
    });
    expect(node?.methods).not.toContain('getinfo');
  });

  it('is not synced during initial block download even at the header height', async () => {
    const { cfg, rpc } = await setup({ flavour: 'bitcoin', synced: false });
    expect((await collectStatus(cfg, rpc)).synced).toBe(false);
    if (node) node.state.synced = true;
    expect((await collectStatus(cfg, rpc)).synced).toBe(true);
  });

  it('a fresh 0.21 node without a wallet (-18): createwallet "" false false "" false false true, once', async () => {
    const { cfg, rpc } = await setup(
      { flavour: 'bitcoin', noWallet: true, defaultWalletOnDisk: false },
      { notaryPubkey: PUBKEY },
    );
    const outcomes: string[] = [];
    const s = await collectStatus(cfg, rpc, (o) => outcomes.push(o));
    expect(outcomes).toEqual(['created']);
    expect(node?.state.createdWallets).toEqual([['', false, false, '', false, false, true]]);
    expect(s).toMatchObject({ rpc: 'ok', balance: 12.5, notaryUtxos: 0, blocks: 100 });
    expect(readiness(s, false).ready).toBe(true);
    await collectStatus(cfg, rpc, (o) => outcomes.push(o));
    expect(outcomes).toEqual(['created']);
    expect(node?.methods.filter((m) => m === 'createwallet')).toHaveLength(1);
  });

  it('an existing unloaded default wallet is loaded, never re-created', async () => {
    const { cfg, rpc } = await setup({ flavour: 'bitcoin', noWallet: true, defaultWalletOnDisk: true });
    const outcomes: string[] = [];
    expect(await collectStatus(cfg, rpc, (o) => outcomes.push(o))).toMatchObject({
      rpc: 'ok',
      balance: 12.5,
    });
    expect(outcomes).toEqual(['loaded']);
    expect(node?.methods).toContain('loadwallet');
    expect(node?.methods).not.toContain('createwallet');
  });

  it('a loaded wallet is left alone: no wallet call beyond the status reads', async () => {
    const { cfg, rpc } = await setup({ flavour: 'bitcoin' });
    await collectStatus(cfg, rpc);
    expect(node?.methods).not.toContain('listwallets');
    expect(node?.methods).not.toContain('loadwallet');
    expect(node?.methods).not.toContain('createwallet');
  });

  it('a node run with -disablewallet stays without one: balance and notary UTXOs null, not down', async () => {
    const { cfg, rpc } = await setup(
      { flavour: 'bitcoin', noWallet: true, walletDisabled: true },
      { notaryPubkey: PUBKEY },
    );
    const s = await collectStatus(cfg, rpc);
    expect(s).toMatchObject({ rpc: 'ok', balance: null, notaryUtxos: null, blocks: 100 });
    expect(readiness(s, false).ready).toBe(true);
  });

  it('reports the size of <datadir>/wallets/wallet.dat, where 0.21 keeps the unnamed wallet', async () => {
    const { cfg, rpc } = await setup({ flavour: 'bitcoin' });
    const datadir = cfg.daemon.datadir as string;
    mkdirSync(join(datadir, 'wallets'), { recursive: true });
    writeFileSync(join(datadir, 'wallets', 'wallet.dat'), Buffer.alloc(4096));
    expect((await collectStatus(cfg, rpc)).walletBytes).toBe(4096);
  });

  it('reports -28 during warm-up', async () => {
    const { cfg, rpc } = await setup({ flavour: 'bitcoin', warmup: 'Verifying blocks...' });
    expect(await collectStatus(cfg, rpc)).toMatchObject({ rpc: 'warmup', rpcMessage: 'Verifying blocks...' });
  });

  it('finds the node through an explicit url, user and password file', async () => {
    node = await startFakeNode({
      user: 'rpcu',
      password: 'file-password-0123',
      state: { flavour: 'bitcoin' },
    });
    const pwFile = join(dir, 'rpc-password');
    writeFileSync(pwFile, 'file-password-0123\n', { mode: 0o600 });
    const cfg = parseSidecarConfig({
      flavour: 'bitcoin',
      chain: 'BTC',
      daemon: { url: node.url, user: 'rpcu', passwordFile: pwFile },
      tokensFile: '/unused',
    });
    const rpc = new DaemonRpc(new DaemonCredentials(cfg.daemon, 0), 3_000);
    rpcs.push(rpc);
    expect(await collectStatus(cfg, rpc)).toMatchObject({ rpc: 'ok', chain: 'BTC', blocks: 100 });
  });
});

describe('StatusCache', () => {
  it('answers from its cache within a second, but a fresh read (what /readyz uses) always asks the daemon', async () => {
    const { cfg, rpc } = await setup({ flavour: 'komodo', blocks: 100, headers: 100 });
    const cache = new StatusCache(cfg, rpc, new SidecarMetrics(cfg.chain), 60_000);
    expect((await cache.get()).blocks).toBe(100);
    if (!node) throw new Error('no fake node');
    // The daemon moves on (or is replaced): the cached view stays, a fresh one sees it.
    node.state.blocks = 150;
    node.state.headers = 150;
    expect((await cache.get()).blocks).toBe(100);
    expect((await cache.get({ fresh: true })).blocks).toBe(150);
    expect((await cache.get()).blocks).toBe(150);
  });
});
