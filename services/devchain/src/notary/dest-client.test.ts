import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DestinationClient, txidHeight } from './dest-client.js';

const TXID = '12'.repeat(32);

interface Call {
  method: string;
  params: unknown[];
  auth: string | undefined;
}

/** A stand-in destination daemon answering from `answer`, recording every call. */
async function fakeDaemon(
  answer: (method: string, params: unknown[]) => { status: number; body: string },
): Promise<{ server: Server; port: number; calls: Call[] }> {
  const calls: Call[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (d: Buffer) => {
      text += d.toString();
    });
    req.on('end', () => {
      const { method, params } = JSON.parse(text) as { method: string; params: unknown[] };
      calls.push({ method, params, auth: req.headers.authorization });
      const a = answer(method, params);
      res.writeHead(a.status, { 'Content-Type': 'application/json' }).end(a.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as AddressInfo).port, calls };
}

const ok = (result: unknown) => ({ status: 200, body: JSON.stringify({ result, error: null, id: 'jl777' }) });
const rpcError = (code: number, message: string) => ({
  status: 500,
  body: JSON.stringify({ result: null, error: { code, message }, id: 'jl777' }),
});

let dir: string;
let servers: Server[];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dest-client-'));
  servers = [];
});
afterEach(async () => {
  for (const s of servers) await new Promise((r) => s.close(r));
  rmSync(dir, { recursive: true, force: true });
});

function conf(port: number): string {
  const path = join(dir, 'komodo.conf');
  writeFileSync(path, `rpcuser=u\nrpcpassword=p\nrpcport=${port}\n`);
  return path;
}

describe('DestinationClient (komodod notarizedtxid_height)', () => {
  it('KMD destination: getinfo blocks, then getrawtransaction <desttxid> 1 → blocks − rawconfirmations', async () => {
    const d = await fakeDaemon((m) =>
      m === 'getinfo' ? ok({ blocks: 100 }) : ok({ txid: TXID, confirmations: 1, rawconfirmations: 5 }),
    );
    servers.push(d.server);
    const client = new DestinationClient('kmd', conf(d.port), 7771, () => TXID);
    await client.refresh();
    expect(client.destHeight).toBe(100);
    expect(client.notarizedTxidHeight).toBe(95);
    expect(d.calls.map((c) => [c.method, c.params])).toEqual([
      ['getinfo', []],
      ['getrawtransaction', [TXID, 1]],
    ]);
    expect(d.calls[0]?.auth).toBe(`Basic ${Buffer.from('u:p').toString('base64')}`);
  });

  it('LTC destination: getblockchaininfo; without rawconfirmations the height is `blocks`', async () => {
    const d = await fakeDaemon((m) =>
      m === 'getblockchaininfo' ? ok({ chain: 'main', blocks: 40 }) : ok({ txid: TXID, confirmations: 3 }),
    );
    servers.push(d.server);
    const client = new DestinationClient('btc', conf(d.port), 9332, () => TXID);
    await client.refresh();
    expect(d.calls.map((c) => c.method)).toEqual(['getblockchaininfo', 'getrawtransaction']);
    expect(client.destHeight).toBe(40);
    expect(client.notarizedTxidHeight).toBe(40);
  });

  it('an unknown desttxid (error reply, result null) gives `blocks`; so does a tx still in the mempool', async () => {
    let known = false;
    const d = await fakeDaemon((m) => {
      if (m === 'getinfo') return ok({ blocks: 30 });
      return known
        ? ok({ txid: TXID, rawconfirmations: 0 })
        : rpcError(-5, 'No information available about transaction');
    });
    servers.push(d.server);
    const client = new DestinationClient('kmd', conf(d.port), 7771, () => '0'.repeat(64));
    await client.refresh();
    expect(client.notarizedTxidHeight).toBe(30);
    expect(d.calls[1]?.params).toEqual(['0'.repeat(64), 1]);
    known = true;
    await new Promise((r) => setTimeout(r, 1_050));
    await client.refresh();
    expect(client.notarizedTxidHeight).toBe(30);
  });

  it('reads 0 and 0 when the destination is down or has no conf', async () => {
    const d = await fakeDaemon(() => ok({ blocks: 1 }));
    const port = d.port;
    await new Promise((r) => d.server.close(r));
    const down = new DestinationClient('kmd', conf(port), 7771, () => TXID);
    await down.refresh();
    expect([down.destHeight, down.notarizedTxidHeight]).toEqual([0, 0]);
    const noConf = new DestinationClient('kmd', join(dir, 'missing.conf'), 7771, () => TXID);
    await noConf.refresh();
    expect([noConf.destHeight, noConf.notarizedTxidHeight]).toEqual([0, 0]);
  });
});

describe('txidHeight', () => {
  it('follows komodod: confirmations > 0 and below blocks subtract, anything else is blocks; no JSON is 0', () => {
    expect(txidHeight(100, { result: { rawconfirmations: 100 } })).toBe(100);
    expect(txidHeight(100, { result: { rawconfirmations: 99 } })).toBe(1);
    expect(txidHeight(100, { result: { rawconfirmations: -1 } })).toBe(100);
    expect(txidHeight(0, { result: { rawconfirmations: 3 } })).toBe(0);
    expect(txidHeight(100, undefined)).toBe(0);
    expect(txidHeight(100, {})).toBe(0);
  });
});
