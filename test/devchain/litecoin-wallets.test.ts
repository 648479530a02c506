import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePorts } from '@nn/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { DevchainPool, type DevchainProcess, postRaw, writeConf } from '../helpers/devchain-process.js';

// devchain as litecoind 0.21 follows Bitcoin Core 0.21's wallet rules (bitcoind-rpc.md "Wallets"): no
// wallet at start-up, createwallet/loadwallet/unloadwallet/listwallets/listwalletdir, settings.json,
// /wallet/<name>, rescanblockchain.
const pool = new DevchainPool();
afterEach(() => pool.cleanup());

const NO_WALLET =
  'No wallet is loaded. Load a wallet using loadwallet or create a new one with createwallet. (Note: A default wallet is no longer automatically created)';
const NOT_SPECIFIED =
  'Wallet file not specified (must request wallet RPC through /wallet/<filename> uri-path).';
/** What an operator types on a fresh litecoind 0.21: the unnamed legacy wallet, loaded on start-up. */
const CREATE_DEFAULT = ['', false, false, '', false, false, true];

interface Litecoind {
  readonly home: string;
  readonly dataDir: string;
  start(extra?: string[]): Promise<DevchainProcess>;
}

/** A litecoind whose conf lives outside its data dir, so the data dir is made on the first start. */
async function litecoind(): Promise<Litecoind> {
  const home = pool.home();
  const ports = await freePorts('p2p', 'rpc');
  const conf = join(home, 'litecoin.conf');
  writeConf(conf, {
    rpcuser: 'ltcuser',
    rpcpassword: 'ltcpassword0123456789',
    rpcport: ports.rpc,
    port: ports.p2p,
    server: 1,
  });
  const dataDir = join(home, 'ltcdata');
  return {
    home,
    dataDir,
    async start(extra = []) {
      const node = pool.start(
        ['-devflavour=litecoin', '-gen=0', `-conf=${conf}`, `-datadir=${dataDir}`, ...extra],
        home,
      );
      await node.waitReady();
      return node;
    },
  };
}

async function stop(node: DevchainProcess): Promise<void> {
  await node.call('stop');
  expect(await node.exited).toBe(0);
}

function onWallet(node: DevchainProcess, name: string, body: unknown) {
  const t = node.target();
  return postRaw({ ...t, url: `${t.url}wallet/${encodeURIComponent(name)}` }, JSON.stringify(body));
}

describe('devchain as litecoind 0.21: wallets', () => {
  it('a fresh data dir has wallets/ and no wallet; createwallet "" ... true makes one loaded on every start', async () => {
    const ltc = await litecoind();
    let node = await ltc.start();
    expect(existsSync(join(ltc.dataDir, 'wallets'))).toBe(true);
    expect(await node.call('listwallets')).toEqual([]);
    for (const m of ['getwalletinfo', 'getnewaddress', 'getbalance', 'listunspent']) {
      expect((await node.rpc(m)).error, m).toEqual({ code: -18, message: NO_WALLET });
    }
    expect(await node.call('createwallet', CREATE_DEFAULT)).toEqual({
      name: '',
      warning: 'Empty string given as passphrase, wallet will not be encrypted.',
    });
    expect(existsSync(join(ltc.dataDir, 'wallets', 'wallet.dat'))).toBe(true);
    expect(JSON.parse(readFileSync(join(ltc.dataDir, 'settings.json'), 'utf8'))).toEqual({ wallet: [''] });
    const address = await node.call<string>('getnewaddress', ['', 'legacy']);
    expect(await node.call('listwalletdir')).toEqual({ wallets: [{ name: '' }] });
    expect(await node.call<{ walletname: string }>('getwalletinfo')).toMatchObject({ walletname: '' });

    const dir = join(ltc.dataDir, 'wallets');
    expect((await node.rpc('createwallet', CREATE_DEFAULT)).error).toEqual({
      code: -4,
      message: `Wallet file verification failed. Failed to create database path '${dir}'. Database already exists.`,
    });
    expect((await node.rpc('loadwallet', [''])).error).toEqual({
      code: -35,
      message: `Wallet file verification failed. Refusing to load database. Data file '${join(dir, 'wallet.dat')}' is already loaded.`,
    });
    await stop(node);

    node = await ltc.start();
    expect(await node.call('listwallets')).toEqual(['']);
    expect(await node.call<{ ismine: boolean }>('getaddressinfo', [address])).toMatchObject({ ismine: true });
  });

  it('refuses what a legacy devchain wallet cannot be, naming the option; help lists the wallet RPCs', async () => {
    const ltc = await litecoind();
    const node = await ltc.start();
    for (const [i, field] of [
      [1, 'disable_private_keys=true'],
      [2, 'blank=true'],
      [4, 'avoid_reuse=true'],
      [5, 'descriptors=true'],
    ] as const) {
      const params: unknown[] = ['w', false, false, '', false, false];
      params[i] = true;
      const e = (await node.rpc('createwallet', params)).error;
      expect(e?.code, field).toBe(-4);
      expect(e?.message, field).toContain(field);
    }
    expect((await node.rpc('createwallet', ['w', false, false, 'secret'])).error?.message).toMatch(
      /^devchain makes no encrypted wallets/,
    );
    expect(await node.call('listwallets')).toEqual([]);
    const help = await node.call<string>('help');
    const walletSection = help.split('== Wallet ==')[1] ?? '';
    for (const m of [
      'createwallet',
      'loadwallet',
      'unloadwallet',
      'listwallets',
      'listwalletdir',
      'rescanblockchain',
    ])
      expect(walletSection, m).toContain(`\n${m}`);
  });

  it('two wallets need /wallet/<name> (-19 without); unloadwallet, loadwallet, -wallet at start', async () => {
    const ltc = await litecoind();
    let node = await ltc.start();
    await node.call('createwallet', ['']);
    expect(await node.call('createwallet', ['notary', false, false, '', false, false, false])).toEqual({
      name: 'notary',
      warning: 'Empty string given as passphrase, wallet will not be encrypted.',
    });
    expect(existsSync(join(ltc.dataDir, 'wallets', 'notary', 'wallet.dat'))).toBe(true);
    expect((await node.rpc('getbalance')).error).toEqual({ code: -19, message: NOT_SPECIFIED });
    const info = await onWallet(node, 'notary', { method: 'getwalletinfo', params: [], id: 1 });
    expect(info.status).toBe(200);
    expect(info.json?.result).toMatchObject({ walletname: 'notary' });
    const missing = await onWallet(node, 'none', { method: 'getbalance', params: [], id: 2 });
    expect(missing.json?.error).toEqual({
      code: -18,
      message: 'Requested wallet does not exist or is not loaded',
    });
    expect(
      (await onWallet(node, 'notary', { method: 'unloadwallet', params: ['notary'], id: 3 })).json?.error,
    ).toEqual({ code: -8, message: 'Cannot unload the requested wallet' });
    expect(await node.call('unloadwallet', ['notary'])).toEqual({ warning: '' });
    expect(await node.call('listwallets')).toEqual(['']);
    expect(await node.call('loadwallet', ['notary'])).toEqual({ name: 'notary', warning: '' });
    expect((await node.rpc('loadwallet', ['nope'])).error?.code).toBe(-18);
    expect(
      (await node.call<{ wallets: { name: string }[] }>('listwalletdir')).wallets.map((w) => w.name).sort(),
    ).toEqual(['', 'notary']);
    await stop(node);
    // Nothing in settings.json and the unnamed wallet exists: only it is loaded again ...
    node = await ltc.start();
    expect(await node.call('listwallets')).toEqual(['']);
    await stop(node);
    // ... unless -wallet names others; a missing one is skipped, never created.
    node = await ltc.start(['-wallet=notary', '-wallet=ghost']);
    expect(await node.call('listwallets')).toEqual(['notary']);
    expect(existsSync(join(ltc.dataDir, 'wallets', 'ghost'))).toBe(false);
    expect(node.output()).toContain("Skipping -wallet path that doesn't exist.");
  });

  it("rescanblockchain finds an imported key's coins again, from the height given", async () => {
    const ltc = await litecoind();
    const node = await ltc.start();
    await node.call('createwallet', CREATE_DEFAULT);
    const miner = await node.call<string>('getnewaddress', ['', 'legacy']);
    const wif = await node.call<string>('dumpprivkey', [miner]);
    await node.call('generatetoaddress', [5, miner]);
    await node.call('createwallet', ['other']);
    const other = (body: unknown) => onWallet(node, 'other', body);
    expect(
      (await other({ method: 'importprivkey', params: [wif, '', false], id: 1 })).json?.result,
    ).toBeNull();
    expect((await other({ method: 'listtransactions', params: ['*', 100], id: 2 })).json?.result).toEqual([]);
    expect((await other({ method: 'rescanblockchain', params: [3], id: 3 })).json?.result).toEqual({
      start_height: 3,
      stop_height: 5,
    });
    const txs = (await other({ method: 'listtransactions', params: ['*', 100], id: 4 })).json
      ?.result as unknown[];
    expect(txs).toHaveLength(3);
    expect((await other({ method: 'rescanblockchain', params: [], id: 5 })).json?.result).toEqual({
      start_height: 0,
      stop_height: 5,
    });
    for (const [params, message] of [
      [[6], 'Invalid start_height'],
      [[0, 9], 'Invalid stop_height'],
      [[4, 2], 'stop_height must be greater than start_height'],
    ] as const) {
      expect((await other({ method: 'rescanblockchain', params, id: 6 })).json?.error).toEqual({
        code: -8,
        message,
      });
    }
  });
});
