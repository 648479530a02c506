import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningSidecar } from '@nn/chain-sidecar';
import { eventually, freePorts, REPO_ROOT, trackProcess } from '@nn/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { DevchainPool, writeConf } from '../helpers/devchain-process.js';
import {
  callVia,
  closeSidecars,
  http,
  newTokens,
  sidecarRpc,
  startKmd,
  startTestSidecar,
  testConfig,
  writeSecret,
} from '../helpers/sidecar-process.js';

const pool = new DevchainPool();
const sidecars: RunningSidecar[] = [];
const children: ChildProcess[] = [];
afterEach(async () => {
  await closeSidecars(sidecars);
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await pool.cleanup();
});

function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    p,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms)),
  ]);
}

describe('bitcoin flavour against a litecoin-flavour devchain', () => {
  it('reports status through getblockchaininfo/getnetworkinfo/getbalance', async () => {
    const home = pool.home('sidecar-ltc-');
    const ports = await freePorts('p2p', 'rpc');
    const conf = join(home, '.litecoin', 'litecoin.conf');
    writeConf(conf, {
      rpcuser: 'ltcuser',
      rpcpassword: 'ltc-password-0123456789',
      rpcport: ports.rpc,
      port: ports.p2p,
      server: 1,
    });
    const ltc = pool.start(['-devflavour=litecoin', '-gen=0'], home);
    await ltc.waitReady();
    // litecoind 0.21 starts without a wallet; the sidecar gives it the notary's, unasked, before it is ready.
    expect((await ltc.rpc('getwalletinfo')).error?.code).toBe(-18);
    const { url, tokens } = await startTestSidecar(
      testConfig({ flavour: 'bitcoin', chain: 'LTC', daemon: { conf, defaultPort: 9332 } }),
      newTokens('ltc'),
      sidecars,
    );
    await eventually(
      async () => ((await ltc.call<string[]>('listwallets')).length === 1 ? true : undefined),
      10_000,
      'the sidecar to create the wallet',
    );
    expect(await callVia(url, tokens.operator, 'listwallets')).toEqual(['']);
    expect(await ltc.call('listwalletdir')).toEqual({ wallets: [{ name: '' }] });
    // Legacy and loaded on every start-up: createwallet "" false false "" false false true.
    expect(await ltc.call<{ descriptors: boolean }>('getwalletinfo')).toMatchObject({ descriptors: false });
    expect(JSON.parse(readFileSync(join(home, '.litecoin', 'settings.json'), 'utf8'))).toEqual({
      wallet: [''],
    });
    await ltc.call('generatetoaddress', [105, await ltc.call<string>('getnewaddress', ['', 'legacy'])]);
    const balance = await ltc.call<number>('getbalance');
    const net = await ltc.call<{ version: number }>('getnetworkinfo');
    // The status is cached for a second: the one read while the wallet was made may still be served.
    const r = await eventually(
      async () => {
        const got = await http(`${url}/v1/status`, { headers: { authorization: `Bearer ${tokens.viewer}` } });
        return (got.json as { blocks?: number }).blocks === 105 ? got : undefined;
      },
      10_000,
      'a status of height 105',
    );
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      chain: 'LTC',
      flavour: 'bitcoin',
      rpc: 'ok',
      blocks: 105,
      headers: 105,
      synced: true,
      connections: 0,
      notarized: null,
      notarizedLag: null,
      balance,
      notaryUtxos: null,
      version: net.version,
    });
    expect(balance).toBeGreaterThan(0);
    expect((await http(`${url}/readyz`)).status).toBe(200);
    // komodod's getinfo does not exist in Bitcoin Core 0.21: the daemon's 404 comes through as is.
    const gi = await sidecarRpc(url, tokens.viewer, '{"method":"getinfo","params":[],"id":1}');
    expect(gi.status).toBe(404);
    expect(gi.json).toEqual({ result: null, error: { code: -32601, message: 'Method not found' }, id: 1 });
    expect(await callVia<number>(url, tokens.viewer, 'getblockcount')).toBe(105);
  });
});

describe('graceful stop', () => {
  it('close({stopDaemon:true}) sends stop and resolves once the daemon has exited 0', async () => {
    const { kmd, conf } = await startKmd(pool);
    await kmd.waitReady();
    const { sidecar } = await startTestSidecar(
      testConfig({ flavour: 'komodo', chain: 'KMD', daemon: { conf }, stopTimeoutSec: 30 }),
      newTokens('stop'),
      sidecars,
    );
    sidecars.splice(0);
    const started = Date.now();
    await within(sidecar.close({ stopDaemon: true }), 35_000, 'close');
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(await within(kmd.exited, 5_000, 'daemon exit')).toBe(0);
    expect(kmd.output()).not.toMatch(/SIGKILL|SIGTERM/);
  });

  it('the sidecar program stops its daemon on SIGTERM and exits 0', async () => {
    const { kmd, conf, home } = await startKmd(pool);
    await kmd.waitReady();
    const listenPort = (await freePorts('api')).api;
    const tokens = newTokens('main');
    const cfgFile = writeSecret(
      join(home, 'nn', 'sidecar.json'),
      JSON.stringify({
        flavour: 'komodo',
        chain: 'KMD',
        listen: `127.0.0.1:${listenPort}`,
        daemon: { conf },
        tokensFile: writeSecret(join(home, 'nn', 'tokens.json'), JSON.stringify({ viewer: [tokens.viewer] })),
        stopTimeoutSec: 30,
      }),
    );
    let out = '';
    const child = trackProcess(
      spawn(
        process.execPath,
        ['--import', 'tsx', 'services/chain-sidecar/src/main.ts', '--config', cfgFile],
        {
          cwd: REPO_ROOT,
          env: { ...process.env, NN_LOG_LEVEL: 'info' },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      ),
    );
    children.push(child);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr?.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await eventually(
      async () => ((await http(`http://127.0.0.1:${listenPort}/readyz`)).status === 200 ? true : undefined),
      20_000,
      'sidecar program ready',
    );
    child.kill('SIGTERM');
    expect(await within(exited, 35_000, `sidecar exit\n${out}`)).toBe(0);
    expect(await within(kmd.exited, 5_000, 'daemon exit')).toBe(0);
    expect(out).toContain('daemon stop requested');
    expect(out).toContain('daemon stopped');
  });
});
