import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConf } from '@nn/komodo-params';
import { createLogger } from '@nn/shared';
import { freePort } from '@nn/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TokenStore } from '../api/tokens.js';
import { parseSidecarConfig } from '../config.js';
import { type RunningSidecar, startSidecar } from '../sidecar.js';
import { type FakeNode, startFakeNode } from '../testing/fake-node.js';

// A loopback bridge in front of an upstream sidecar (itself over a reference-following fake node):
// the conf it writes, Basic auth with its own credentials, its allowlist, and restarts.
const VIEWER = 'bridge-viewer-token-0123456789';
const log = createLogger('test', { level: 'silent' });

let dir: string;
let node: FakeNode;
const sidecars: RunningSidecar[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sidecar-bridge-'));
  node = await startFakeNode({ user: 'kmd', password: 'kmd-upstream-password-123', state: { blocks: 777 } });
});
afterEach(async () => {
  for (const s of sidecars.splice(0)) await s.close();
  await node.close();
  rmSync(dir, { recursive: true, force: true });
});

async function startPair(bridgePort: number, methods?: string[]) {
  const pw = join(dir, 'kmd-pw');
  writeFileSync(pw, 'kmd-upstream-password-123', { mode: 0o600 });
  const upstream = await startSidecar(
    parseSidecarConfig({
      flavour: 'komodo',
      chain: 'KMD',
      listen: '127.0.0.1:0',
      daemon: { url: node.url, user: 'kmd', passwordFile: pw },
      tokensFile: '/unused',
    }),
    log,
    TokenStore.of({ viewer: [VIEWER] }),
  );
  sidecars.push(upstream);
  const tokenFile = join(dir, 'kmd-token');
  writeFileSync(tokenFile, `${VIEWER}\n`, { mode: 0o600 });
  const confPath = join(dir, 'ac-home', '.komodo', 'komodo.conf');
  const acPw = join(dir, 'ac-pw');
  writeFileSync(acPw, 'unused-password', { mode: 0o600 });
  const bridged = await startSidecar(
    parseSidecarConfig({
      flavour: 'komodo',
      chain: 'AC',
      listen: '127.0.0.1:0',
      daemon: { url: 'http://127.0.0.1:1/', user: 'x', passwordFile: acPw },
      tokensFile: '/unused',
      bridges: [
        {
          name: 'KMD',
          port: bridgePort,
          confPath,
          confExtra: { port: '7770' },
          upstream: `http://${upstream.address}`,
          tokenFile,
          ...(methods ? { methods } : {}),
        },
      ],
    }),
    log,
    TokenStore.of({ viewer: [VIEWER] }),
  );
  sidecars.push(bridged);
  return { confPath, bridged };
}

function readConf(path: string) {
  const conf = parseConf(readFileSync(path, 'utf8'));
  return {
    user: conf.get('rpcuser')?.[0] ?? '',
    password: conf.get('rpcpassword')?.[0] ?? '',
    rpcport: conf.get('rpcport')?.[0],
    port: conf.get('port')?.[0],
  };
}

async function callBridge(port: number, user: string, password: string, body: string, agent?: Agent) {
  const res = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/',
        agent,
        headers: {
          authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
          'content-type': 'application/json',
        },
      },
      (r) => {
        let text = '';
        r.on('data', (c: Buffer) => {
          text += c.toString();
        });
        r.on('end', () => resolve({ status: r.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
  return res;
}

describe('LoopbackBridge', () => {
  it('writes the daemon a 600 conf with its own credentials and forwards allowed calls upstream', async () => {
    const port = await freePort();
    const { confPath } = await startPair(port);
    const conf = readConf(confPath);
    expect(statSync(confPath).mode & 0o777).toBe(0o600);
    expect(conf.rpcport).toBe(String(port));
    expect(conf.port).toBe('7770');
    expect(readFileSync(confPath, 'utf8')).not.toContain('kmd-upstream-password-123');
    const r = await callBridge(
      port,
      conf.user,
      conf.password,
      '{"id":"jl777","method":"getinfo","params":[]}',
    );
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text).result.blocks).toBe(777);
  });

  it('answers 401 to wrong credentials and 403 to a method off its allowlist, without calling upstream', async () => {
    const port = await freePort();
    const { confPath } = await startPair(port, ['getinfo']);
    const conf = readConf(confPath);
    const before = node.requests;
    expect((await callBridge(port, conf.user, 'wrong', '{"method":"getinfo"}')).status).toBe(401);
    const forbidden = await callBridge(port, conf.user, conf.password, '{"method":"getblockcount","id":1}');
    expect(forbidden.status).toBe(403);
    expect(JSON.parse(forbidden.text).error.message).toBe(
      "method 'getblockcount' is not allowed through the KMD bridge",
    );
    expect(node.requests).toBe(before);
  });

  // komodod reads the parent conf once at start: a sidecar restarted under a running daemon must
  // keep the credentials it gave that daemon.
  it('keeps its credentials across a sidecar restart', async () => {
    const port = await freePort();
    const { confPath } = await startPair(port);
    const before = readConf(confPath);
    for (const s of sidecars.splice(0)) await s.close();
    await startPair(port);
    const after = readConf(confPath);
    expect(after).toEqual(before);
    expect((await callBridge(port, before.user, before.password, '{"method":"getinfo"}')).status).toBe(200);
  });

  it('closes promptly while the daemon holds a keep-alive connection', async () => {
    const port = await freePort();
    const { confPath, bridged } = await startPair(port);
    const conf = readConf(confPath);
    const agent = new Agent({ keepAlive: true });
    expect((await callBridge(port, conf.user, conf.password, '{"method":"getinfo"}', agent)).status).toBe(
      200,
    );
    const started = Date.now();
    await bridged.close();
    expect(Date.now() - started).toBeLessThan(1_000);
    agent.destroy();
  });
});
