import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeWif, generatePrivateKey, KMD_PREFIXES, keyPairFromPrivateKey } from '@nn/chain-crypto';
import { parseConf } from '@nn/komodo-params';
import { freePorts } from '@nn/testkit';
import { describe, expect, it } from 'vitest';
import { postRaw } from '../helpers/devchain-process.js';
import {
  callVia,
  closeSidecars,
  http,
  LogCapture,
  newTokens,
  sidecarFixture,
  sidecarRpc,
  startKmd,
  startTestSidecar,
  testConfig,
  writeSecret,
} from '../helpers/sidecar-process.js';

// The "pino logs with secrets redacted, tested": at level trace, every route and every
// refusal, and not one line holds the daemon's RPC password, an API token, the bridge's password
// or a WIF that went through importprivkey.
const { pool, sidecars } = sidecarFixture();

describe('secrets never in logs', () => {
  it('logs at trace level without the RPC password, tokens, bridge credentials or a WIF', async () => {
    const { kmd, conf, password, home } = await startKmd(pool);
    await kmd.waitReady();
    await kmd.call('generate', [101]);
    const wif = encodeWif(keyPairFromPrivateKey(generatePrivateKey()).privateKey, KMD_PREFIXES.wif, true);
    const capture = new LogCapture();
    const kmdTokens = newTokens('kmd');
    const { url } = await startTestSidecar(
      testConfig({ flavour: 'komodo', chain: 'KMD', daemon: { conf }, maxBodyBytes: 2048 }),
      kmdTokens,
      sidecars,
      { level: 'trace', destination: capture },
    );
    const ports = await freePorts('bridge');
    const acHome = pool.home('sidecar-ac-');
    const bridgeConf = join(acHome, '.komodo', 'komodo.conf');
    const acTokens = newTokens('ac');
    const ac = await startTestSidecar(
      testConfig({
        flavour: 'komodo',
        chain: 'LOGAC',
        daemon: { conf: join(acHome, '.komodo', 'LOGAC', 'LOGAC.conf') },
        bridges: [
          {
            name: 'KMD',
            port: ports.bridge,
            confPath: bridgeConf,
            upstream: url,
            tokenFile: writeSecret(join(home, 'secrets', 'token'), kmdTokens.viewer),
          },
        ],
      }),
      acTokens,
      sidecars,
      { level: 'trace', destination: capture },
    );
    const parsedBridge = parseConf(readFileSync(bridgeConf, 'utf8'));
    const bridge = {
      url: `http://127.0.0.1:${ports.bridge}/`,
      user: parsedBridge.get('rpcuser')?.[0] ?? '',
      password: parsedBridge.get('rpcpassword')?.[0] ?? '',
    };
    const wrongToken = 'wrong-token-that-is-long-enough-0123';

    // Every route, the refusals and the errors.
    for (const path of ['/healthz', '/readyz', '/metrics', '/nowhere']) await http(`${url}${path}`);
    await http(`${url}/v1/status`, { headers: { authorization: `Bearer ${kmdTokens.viewer}` } });
    await http(`${url}/v1/status`, { headers: { authorization: `Bearer ${wrongToken}` } });
    await callVia(url, kmdTokens.viewer, 'getinfo');
    await callVia(url, kmdTokens.operator, 'importprivkey', [wif, '', false]);
    await sidecarRpc(
      url,
      kmdTokens.operator,
      JSON.stringify({ method: 'importprivkey', params: [`${wif}x`, '', false] }),
    );
    await sidecarRpc(url, kmdTokens.viewer, JSON.stringify({ method: 'importprivkey', params: [wif] }));
    await sidecarRpc(url, kmdTokens.operator, JSON.stringify({ method: 'dumpprivkey', params: [wif] }));
    await sidecarRpc(url, kmdTokens.operator, JSON.stringify({ method: wif, params: [] }));
    await sidecarRpc(url, wrongToken, '{"method":"getinfo"}');
    await sidecarRpc(url, undefined, '{"method":"getinfo"}');
    await sidecarRpc(url, kmdTokens.viewer, `{"method":"getinfo","params":["${wif}"`);
    await sidecarRpc(url, kmdTokens.viewer, JSON.stringify({ method: 'getinfo', params: [wif.repeat(60)] }));
    await postRaw(bridge, '{"method":"getinfo","params":[]}');
    await postRaw(bridge, JSON.stringify({ method: 'importprivkey', params: [wif] }));
    await postRaw({ ...bridge, password: password }, '{"method":"getinfo"}');
    await http(`${ac.url}/readyz`);
    // Daemon gone: the unreachable paths log too.
    await kmd.call('stop');
    await kmd.exited;
    await sidecarRpc(url, kmdTokens.viewer, '{"method":"getinfo"}');
    await postRaw(bridge, '{"method":"getinfo","params":[]}');
    await new Promise((r) => setTimeout(r, 1_100));
    await http(`${url}/readyz`);
    await closeSidecars(sidecars);

    const text = capture.text();
    // The capture did get the sidecar's lines (so the assertions below can fail).
    expect(text).toContain('"msg":"sidecar listening"');
    expect(text).toContain('"msg":"rpc method refused"');
    expect(text).toContain('"msg":"loopback bridge up"');
    expect(capture.lines.length).toBeGreaterThan(5);
    for (const [name, secret] of Object.entries({
      password,
      kmdViewer: kmdTokens.viewer,
      kmdOperator: kmdTokens.operator,
      acViewer: acTokens.viewer,
      acOperator: acTokens.operator,
      wrongToken,
      bridgePassword: bridge.password,
      wif,
      wifPrefix: wif.slice(0, 20),
    })) {
      expect(text.includes(secret), `${name} appears in the logs`).toBe(false);
    }
  });
});
