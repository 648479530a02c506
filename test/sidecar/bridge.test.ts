import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseConf } from '@nn/komodo-params';
import { eventually, freePorts } from '@nn/testkit';
import { describe, expect, it } from 'vitest';
import { postRaw } from '../helpers/devchain-process.js';
import {
  callVia,
  newTokens,
  sidecarFixture,
  startKmd,
  startTestSidecar,
  testConfig,
  writeSecret,
} from '../helpers/sidecar-process.js';

// The loopback bridge (docs/architecture.md, "The design in short"): an assetchain reads the parent ~/.komodo/komodo.conf and
// calls KMD at 127.0.0.1:<rpcport> (komodod-rpc.md §8.3). Here the assetchain lives in another HOME
// than KMD; its sidecar writes that conf with bridge-local credentials and forwards to KMD's sidecar.
const { pool, sidecars } = sidecarFixture();

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

describe('loopback bridge from an assetchain to KMD', () => {
  it('gives the assetchain KMDnotarized_height through the bridge, within its allowlist, without KMD secrets', async () => {
    const { kmd, password: kmdPassword, conf: kmdConf } = await startKmd(pool);
    await kmd.waitReady();
    await kmd.call('generate', [5]);
    const kmdSide = await startTestSidecar(
      testConfig({ flavour: 'komodo', chain: 'KMD', daemon: { conf: kmdConf } }),
      newTokens('kmd'),
      sidecars,
    );

    const acHome = pool.home('sidecar-ac-');
    const secrets = pool.home('sidecar-secrets-');
    const ports = await freePorts('bridge', 'acP2p', 'acRpc');
    const confPath = join(acHome, '.komodo', 'komodo.conf');
    const acConf = join(acHome, '.komodo', 'BRIDGEAC', 'BRIDGEAC.conf');
    const acConfig = testConfig({
      flavour: 'komodo',
      chain: 'BRIDGEAC',
      daemon: { conf: acConf, datadir: join(acHome, '.komodo', 'BRIDGEAC') },
      bridges: [
        {
          name: 'KMD',
          port: ports.bridge,
          confPath,
          upstream: kmdSide.url,
          tokenFile: writeSecret(join(secrets, 'kmd-viewer-token'), kmdSide.tokens.viewer),
        },
      ],
    });
    const acTokens = newTokens('ac');
    let acSide = await startTestSidecar(acConfig, acTokens, sidecars);
    // The bridge's conf is there before the assetchain starts, with the bridge's own credentials.
    const bridgeConf = parseConf(readFileSync(confPath, 'utf8'));
    expect(bridgeConf.get('rpcport')).toEqual([String(ports.bridge)]);
    expect(statSync(confPath).mode & 0o777).toBe(0o600);

    const ac = pool.start(
      ['-ac_name=BRIDGEAC', '-ac_supply=1000', '-gen=0', `-port=${ports.acP2p}`, `-rpcport=${ports.acRpc}`],
      acHome,
    );
    await ac.waitReady();
    const seen = async (height: number) =>
      eventually(
        async () => {
          const info = await ac.call<{ KMDnotarized_height: number }>('getinfo');
          return info.KMDnotarized_height === height ? info : undefined;
        },
        15_000,
        `KMDnotarized_height ${height}`,
      );
    await seen(5);
    expect(await kmd.call<number>('getblockcount')).toBe(5);
    await kmd.call('generate', [2]);
    await seen(7);
    // The assetchain's own sidecar found the conf the assetchain wrote on first start.
    expect(await callVia<{ name: string }>(acSide.url, acSide.tokens.viewer, 'getinfo')).toMatchObject({
      name: 'BRIDGEAC',
    });

    // The daemon's view of the bridge: 127.0.0.1:<port> with the conf's credentials.
    const target = {
      url: `http://127.0.0.1:${ports.bridge}/`,
      user: bridgeConf.get('rpcuser')?.[0] ?? '',
      password: bridgeConf.get('rpcpassword')?.[0] ?? '',
    };
    const ok = await postRaw(target, '{"id":"jl777","method":"getinfo","params":[]}');
    expect(ok.status).toBe(200);
    expect((ok.json?.result as { blocks: number } | undefined)?.blocks).toBe(7);
    for (const method of ['getnewaddress', 'sendtoaddress', 'dumpprivkey', 'stop']) {
      const r = await postRaw(target, JSON.stringify({ method, params: [], id: 1 }));
      expect(r.status, method).toBe(403);
      expect(r.json?.error?.message, method).toBe(`method '${method}' is not allowed through the KMD bridge`);
    }
    expect(await kmd.call<number>('getblockcount')).toBe(7);

    // The assetchain read the conf once at start: a restarted sidecar must keep serving it.
    const sidecarIndex = sidecars.indexOf(acSide.sidecar);
    sidecars.splice(sidecarIndex, 1);
    await acSide.sidecar.close();
    acSide = await startTestSidecar(acConfig, acTokens, sidecars);
    await kmd.call('generate', [1]);
    await seen(8);
    const wrong = await postRaw({ ...target, password: kmdPassword }, '{"method":"getinfo"}');
    expect(wrong.status).toBe(401);

    // KMD's rpcpassword is nowhere in the assetchain's HOME.
    const files = filesUnder(acHome);
    expect(files).toContain(confPath);
    expect(files).toContain(acConf);
    for (const f of files) expect(readFileSync(f).includes(kmdPassword), f).toBe(false);
  });
});
