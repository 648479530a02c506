import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePorts } from '@nn/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type DevchainProcess,
  removeHome,
  startDevchain,
  tempHome,
  writeConf,
} from '../helpers/devchain-process.js';

// devchain started under the real daemons' names, with their command lines (notary-facts §1, §9;
// kmdclassic/dPoW d7055a8 iguana/assetchains.old for PIRATE; kmdclassic/KmdClassic 8f0b460 src/util.cpp).
const PIRATE = [
  '-ac_name=PIRATE',
  '-ac_supply=0',
  '-ac_reward=25600000000',
  '-ac_halving=77777',
  '-ac_private=1',
];

const running: DevchainProcess[] = [];
const homes: string[] = [];
afterEach(async () => {
  for (const p of running.splice(0)) await p.kill('SIGKILL');
  for (const h of homes.splice(0)) removeHome(h);
});

function start(args: string[], program?: string, prepare?: (home: string) => void): DevchainProcess {
  const home = tempHome('devchain-names-');
  homes.push(home);
  prepare?.(home);
  const p = startDevchain(args, home, program);
  running.push(p);
  return p;
}

describe('devchain under the real daemons’ names', () => {
  it('kmdclassicd -ac_name=PIRATE writes ~/.kmdclassic/PIRATE/PIRATE.conf with the published port', async () => {
    const node = start([...PIRATE, '-gen=0'], 'kmdclassicd.ts');
    await node.waitReady();
    const info = await node.call<Record<string, unknown>>('getinfo');
    expect(info).toMatchObject({ name: 'PIRATE', p2pport: 45452, rpcport: 45453, KMDversion: '0.9.1' });
    const conf = readFileSync(join(node.home, '.kmdclassic', 'PIRATE', 'PIRATE.conf'), 'utf8');
    expect(conf).toMatch(/^rpcuser=user\d+\nrpcpassword=pass[0-9a-f]{66}\nrpcport=45453\n/);
  });

  it('kmdclassicd for KMD takes the notary line and reads ~/.kmdclassic/kmdclassic.conf', async () => {
    const ports = await freePorts('p2p', 'rpc');
    const line = [
      '-gen=0',
      '-genproclimit=1',
      `-pubkey=02${'ab'.repeat(32)}`,
      '-minrelaytxfee=0.000035',
      '-opretmintxfee=0.004',
      '-notary=.litecoin/litecoin.conf',
    ];
    const node = start(line, 'kmdclassicd.ts', (home) =>
      writeConf(join(home, '.kmdclassic', 'kmdclassic.conf'), {
        rpcuser: 'u',
        rpcpassword: 'p',
        port: ports.p2p,
        rpcport: ports.rpc,
      }),
    );
    await node.waitReady();
    const info = await node.call<Record<string, unknown>>('getinfo');
    expect(info).toMatchObject({ name: 'KMD', rpcport: ports.rpc, pubkey: `02${'ab'.repeat(32)}` });
  });

  it('kmdclassicd without credentials stops with the daemon’s message naming kmdclassic.conf', async () => {
    const node = start(['-gen=0'], 'kmdclassicd.ts');
    expect(await node.exited).toBe(1);
    expect(node.output()).toContain(
      `To use kmdclassicd, you must set rpcuser and rpcpassword in the configuration file: ${join(node.home, '.kmdclassic', 'kmdclassic.conf')}`,
    );
  });

  it('litecoind without -devflavour is the Litecoin flavour in ~/.litecoin', async () => {
    const ports = await freePorts('p2p', 'rpc');
    const node = start([`-port=${ports.p2p}`, `-rpcport=${ports.rpc}`, '-gen=0'], 'litecoind.ts', (home) =>
      writeConf(join(home, '.litecoin', 'litecoin.conf'), { rpcuser: 'u', rpcpassword: 'p' }),
    );
    await node.waitReady();
    const net = await node.call<Record<string, unknown>>('getnetworkinfo');
    expect(net.subversion).toBe('/LitecoinCore:0.21.4(devchain)/');
    expect((await node.rpc('getinfo')).error?.code).toBe(-32601);
  });
});
