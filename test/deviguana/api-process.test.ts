import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePorts } from '@nn/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { removeHome, tempHome } from '../helpers/devchain-process.js';
import { api, type DeviguanaProcess, rawExchange, startDeviguana, waitForApi } from './deviguana-process.js';

const PUB = '02a854251adfee222bede8396fed0756985d4ea905f72611740867c7a4ad6488c1';
const procs: DeviguanaProcess[] = [];
const homes: string[] = [];
afterEach(async () => {
  for (const p of procs.splice(0)) await p.kill('SIGKILL');
  for (const h of homes.splice(0)) removeHome(h);
});

function home(): string {
  const h = tempHome('deviguana-api-');
  homes.push(h);
  return h;
}

function run(args: string[], cwd: string): DeviguanaProcess {
  const p = startDeviguana(args, cwd);
  procs.push(p);
  return p;
}

describe('deviguana command line', () => {
  it('`notary` without ./elected stops with Iguana’s message and exit 1', async () => {
    const p = run(['notary'], home());
    expect(await p.exited).toBe(1);
    expect(p.output()).toContain('didnt find any elected notaries JSON in (elected)');
  });

  it('an elected file with a bad notary entry, or an unknown option, exits 1 naming the problem', async () => {
    const h = home();
    writeFileSync(join(h, 'bad'), JSON.stringify({ port: 1, minsigs: 1, notaries: [{ x: 'zz' }] }));
    const bad = run(['bad'], h);
    expect(await bad.exited).toBe(1);
    expect(bad.output()).toMatch(/didnt find any elected notaries JSON in \(bad\).*notaries\.0/);
    const unknown = run(['notary', '--frobnicate'], h);
    expect(await unknown.exited).toBe(1);
    expect(unknown.output()).toContain('unknown option --frobnicate');
  });
});

describe('deviguana API over TCP', () => {
  it('`<electedfile>` mode with the file’s rpcport; Iguana’s bytes, GET forms, remote origin, stop', async () => {
    const h = home();
    const { apiPort } = await freePorts('apiPort');
    writeFileSync(
      join(h, 'testnet2024'),
      JSON.stringify({ port: 17762, rpcport: apiPort, minsigs: 1, seeds: [], notaries: [{ dev: PUB }] }),
    );
    const p = run(['testnet2024'], h);
    await waitForApi(apiPort, p);

    const help = await api(apiPort, { agent: 'SuperNET', method: 'help', tag: '42' });
    expect(help.raw.startsWith('HTTP/1.1 200 OK\r\n')).toBe(true);
    expect(help.raw).toContain(
      `Content-Length : ${String(Buffer.byteLength(help.body) - 1).padStart(8, ' ')}\r\n`,
    );
    expect(help.body.endsWith('}\n')).toBe(true);
    expect(help.json.tag).toBe('42');
    expect(JSON.stringify(help.json.result)).toContain(`http://127.0.0.1:${apiPort}/api/iguana/dpow`);

    const get = await rawExchange(apiPort, 'GET /api/SuperNET/myipaddr?ipaddr=10.9.8.7 HTTP/1.1\r\n\r\n');
    expect(get).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\n\{"result":"10\.9\.8\.7","tag":"\d+"\}\n$/);
    const unframed = await rawExchange(apiPort, 'GET /index.html HTTP/1.1\r\n\r\n');
    expect(unframed).toMatch(/^\{"error":"no method","tag":"\d+"\}$/);

    const origin = await rawExchange(
      apiPort,
      'POST / HTTP/1.1\r\nOrigin: https://evil.example\r\nContent-Length: 36\r\n\r\n{"agent":"SuperNET","method":"help"}',
    );
    expect(origin.endsWith('\r\n\r\n{"error":"remote origin not enabled"}\n')).toBe(true);

    const status = await api(apiPort, { agent: 'dpow', method: 'devstatus' });
    expect(status.json).toMatchObject({ devnet: false, myip: '10.9.8.7', wallet: 'locked', dpow: [] });

    expect((await api(apiPort, { agent: 'SuperNET', method: 'stop' })).json.result).toBe('exit started');
    expect(await p.exited).toBe(0);
  });
});

describe('deviguana as kmdclassic/dPoW’s Iguana', () => {
  it('`iguana notary --build kmdclassic`: its reply headers, and a lower-case content-length read', async () => {
    const h = home();
    const { apiPort } = await freePorts('apiPort');
    // kmdclassic/dPoW's elected file has notary p2p 13849 and 13 signatures; one devnet notary here.
    writeFileSync(
      join(h, 'elected'),
      JSON.stringify({ port: 13849, rpcport: apiPort, minsigs: 1, seeds: [], notaries: [{ dev: PUB }] }),
    );
    const p = run(['iguana', 'notary', '--build', 'kmdclassic'], h);
    await waitForApi(apiPort, p);
    const help = await api(apiPort, { agent: 'SuperNET', method: 'help' });
    expect(help.raw).toContain('\r\nCache-Control: no-cache, no-store, must-revalidate\r\n');
    expect(help.raw).toContain(
      `\r\nContent-Length: ${String(Buffer.byteLength(help.body) - 1).padStart(8, ' ')}\r\n\r\n`,
    );
    const body = '{"agent":"SuperNET","method":"myipaddr","ipaddr":"10.1.2.3"}';
    const lower = await rawExchange(
      apiPort,
      `POST / HTTP/1.1\r\ncontent-length: ${body.length}\r\n\r\n${body}`,
    );
    expect(lower).toMatch(/\r\n\r\n\{"result":"10\.1\.2\.3","tag":"\d+"\}\n$/);
    expect((await api(apiPort, { agent: 'SuperNET', method: 'stop' })).json.result).toBe('exit started');
    expect(await p.exited).toBe(0);
  });
});
