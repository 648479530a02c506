// biome-ignore-all lint/suspicious/noTemplateCurlyInString: network files write placeholders as ${name}, literally
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadNetwork, NetworkFileError, SHIPPED_DIR, shippedNetworks } from './load-network.js';

const dir = mkdtempSync(join(tmpdir(), 'nn-networks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface RawDaemon extends Record<string, unknown> {
  image: Record<string, unknown> & { source: Record<string, unknown> };
  args: string[];
}
const shipped = (name: string) =>
  JSON.parse(readFileSync(join(SHIPPED_DIR, `${name}.json`), 'utf8')) as Record<string, unknown> & {
    daemons: [RawDaemon, RawDaemon, RawDaemon];
    assetchains: { entries: Array<Record<string, unknown>> };
    dpow: Array<Record<string, unknown>>;
  };

let n = 0;
/** Writes `network` to a file of its own and returns the loader's problems (or [] when it loads). */
function problems(network: unknown): { file: string; lines: string[] } {
  const file = join(dir, `net${n++}.json`);
  writeFileSync(file, JSON.stringify(network));
  try {
    loadNetwork(file);
    return { file, lines: [] };
  } catch (err) {
    if (!(err instanceof NetworkFileError)) throw err;
    expect(err.message.split('\n').every((l) => l.startsWith(`${file}: `))).toBe(true);
    return { file, lines: [...err.problems] };
  }
}

describe('the shipped networks', () => {
  it('are the four the issue names, each valid and named by its file', () => {
    expect(shippedNetworks()).toEqual(['devnet', 'kmdclassic', 'komodo', 'testnet-2024']);
    for (const name of shippedNetworks()) {
      const loaded = loadNetwork(name);
      expect(loaded.network.name).toBe(name);
      expect(loaded.shipped).toBe(true);
    }
  });

  it('kmdclassic: KMDCL into LTC every 10 blocks, PIRATE into KMDCL, kmdclassicd in ~/.kmdclassic, Iguana on 7776/13849 with 13 signatures', () => {
    const { network } = loadNetwork('kmdclassic');
    const main = network.daemons.find((d) => d.role === 'main');
    expect(main).toMatchObject({
      chain: 'KMDCL',
      coin: 'KMD',
      binary: 'kmdclassicd',
      datadir: '.kmdclassic',
      conf: 'kmdclassic.conf',
    });
    expect(main?.role === 'main' && main.args).toEqual([
      '-gen',
      '-genproclimit=1',
      '-pubkey=${pubkey}',
      '-minrelaytxfee=0.000035',
      '-opretmintxfee=0.004',
      '-notary=.litecoin/litecoin.conf',
    ]);
    expect(network.daemons.find((d) => d.role === 'destination')?.image.ref).toBe('nn/litecoind:0.21.4');
    expect(network.dpow).toEqual([
      { chain: 'KMDCL', coin: 'KMD', dest: 'LTC', freq: 10 },
      { chain: 'PIRATE', coin: 'PIRATE', dest: 'KMD' },
    ]);
    expect(network.assetchains).toMatchObject({ binary: 'kmdclassicd', datadir: '.kmdclassic/${ac_name}' });
    expect(network.iguana).toMatchObject({
      api: 7776,
      p2p: 13849,
      elected: { port: 13849, minsigs: 13, BTCminsigs: 13 },
    });
    expect(network.iguana?.elected.notaries).toHaveLength(64);
    expect(network.iguana?.startup).toEqual([
      'unlock-utxos',
      'start',
      'myipaddr',
      'addnotary',
      'addcoin KMD',
      'walletpassphrase',
      'addcoin LTC',
      'addcoin PIRATE',
      'dpow KMD',
      'dpow PIRATE',
    ]);
  });

  it('komodo: KMD and the Season 8 assetchains as full nodes on komodod v0.9.2-2, no Iguana, nothing notarised', () => {
    const { network } = loadNetwork('komodo');
    expect(network.daemons.map((d) => d.role)).toEqual(['main']);
    expect(network.iguana).toBeNull();
    expect(network.dpow).toEqual([]);
    expect(network.assetchains.image.ref).toBe('nn/komodod:0.9.2-2');
    expect(network.assetchains.entries.length).toBeGreaterThan(10);
  });

  it('testnet-2024: DOC and MARTY into KMD, Iguana on 7779 with p2p 17762 and 3 signatures, no Litecoin', () => {
    const { network } = loadNetwork('testnet-2024');
    expect(network.daemons.map((d) => d.role)).toEqual(['main', 'iguana']);
    expect(network.dpow.map((d) => [d.coin, d.dest, d.freq])).toEqual([
      ['DOC', 'KMD', 10],
      ['MARTY', 'KMD', 10],
    ]);
    expect(network.iguana).toMatchObject({ api: 7779, p2p: 17762, elected: { minsigs: 3 } });
  });
});

describe('bad network files: the file, the field and the reason', () => {
  it('an unknown key, at the top and deep inside', () => {
    const net = shipped('devnet');
    net.colour = 'blue';
    net.daemons[0].rpcpasword = 'x';
    expect(problems(net).lines).toEqual(['daemons[0].rpcpasword: unknown key', 'colour: unknown key']);
  });

  it('a missing image, a missing commit, a branch for a commit', () => {
    const net = shipped('kmdclassic');
    delete (net.daemons[0] as Record<string, unknown>).image;
    delete net.daemons[1].image.source.commit;
    net.daemons[2].image.source.commit = 'master';
    expect(problems(net).lines).toEqual([
      'daemons[0].image: missing',
      'daemons[1].image.source.commit: missing',
      'daemons[2].image.source.commit: must be a commit hash (7-40 hex; branch and tag names move)',
    ]);
  });

  it.each([
    ['-rpcbind=0.0.0.0', '-rpcbind=0.0.0.0 would publish the RPC port: only a loopback address may be bound'],
    [
      '-rpcallowip=0.0.0.0/0',
      '-rpcallowip=0.0.0.0/0 would let callers from outside the unit reach the RPC port: only 127.0.0.0/8 or ::1',
    ],
    [
      '-rpcallowip=10.0.0.0/8',
      '-rpcallowip=10.0.0.0/8 would let callers from outside the unit reach the RPC port: only 127.0.0.0/8 or ::1',
    ],
  ])('a command line that would publish the RPC port: %s', (flag, reason) => {
    const net = shipped('kmdclassic');
    net.daemons[1].args.push(flag);
    expect(problems(net).lines).toEqual([`daemons[1].args[6]: ${reason}`]);
  });

  it('the RPC port among the published ports, or -rpcport set to a published port', () => {
    const net = shipped('kmdclassic');
    net.daemons[1].publish = [7770, 7771];
    net.daemons[0].args.push('-rpcport=9333');
    expect(problems(net).lines).toEqual([
      'daemons[0].args: -rpcport=9333 is a published port: the RPC port never leaves the unit',
      'daemons[1].publish: 7771 is the RPC port: only p2p ports are published',
    ]);
  });

  it('a chain notarised into a chain the node does not run, or a chain it does not run notarised', () => {
    const net = shipped('kmdclassic');
    net.dpow.push({ chain: 'PIRATE', coin: 'ARRR', dest: 'BTC' }, { chain: 'DOC', coin: 'DOC', dest: 'KMD' });
    expect(problems(net).lines).toEqual([
      "dpow[2].dest: BTC is not a chain this node runs (its daemons' coins: LTC, KMD)",
      'dpow[3].chain: DOC is not a chain this node runs (daemons and assetchains: LTC, KMDCL, PIRATE)',
    ]);
  });

  it('notarisation without Iguana', () => {
    const net = shipped('komodo');
    net.dpow.push({ chain: 'KMD', coin: 'KMD', dest: 'KMD' });
    expect(problems(net).lines).toEqual([
      'dpow[0].dest: a chain cannot be notarised into itself',
      'dpow: chains are notarised but the node runs no Iguana',
    ]);
  });

  it.each([
    ['/var/lib/komodo', "must be relative to the unit's home (its volume): no leading / or ~"],
    ['~/.komodo', "must be relative to the unit's home (its volume): no leading / or ~"],
    ['.komodo/../../etc', 'must stay inside the unit\'s volume (no "..", "." or empty segment)'],
  ])('a data dir outside the unit’s volume: %s', (datadir, reason) => {
    const net = shipped('kmdclassic');
    net.daemons[1].datadir = datadir;
    expect(problems(net).lines).toEqual([`daemons[1].datadir: ${reason}`]);
  });

  it('an assetchains.json datadir outside the volume', () => {
    const net = shipped('kmdclassic');
    (net.assetchains.entries[0] as Record<string, unknown>).datadir = '/etc/PIRATE';
    expect(problems(net).lines).toEqual([
      "assetchains.entries[0].datadir: must start with ${HOME}/ (the data dir must be inside the unit's volume)",
    ]);
  });

  it.each([
    ['name', '../evil', 'must be 1-32 of a-z, 0-9, "-", starting with a letter'],
    ['name', ';rm -rf /', 'must be 1-32 of a-z, 0-9, "-", starting with a letter'],
    ['name', 'dev\u0000net', 'must be 1-32 of a-z, 0-9, "-", starting with a letter'],
  ])('a hostile %s: %j', (field, value, reason) => {
    const net = shipped('devnet');
    net[field] = value;
    expect(problems(net).lines).toEqual([`${field}: ${reason}`]);
  });

  it('hostile names deeper in: a binary with a path, a chain symbol with a shell word, NUL in an argument, ../ in a conf name', () => {
    const net = shipped('kmdclassic');
    const main = net.daemons[1];
    main.binary = '../../bin/sh';
    main.chain = 'KMDCL;rm -rf /';
    main.conf = '../kmdclassic.conf';
    main.args[0] = '-gen\u0000';
    (net.assetchains.entries[0] as Record<string, unknown>).ac_name = '../PIRATE';
    const lines = problems(net).lines;
    expect(lines).toEqual(
      expect.arrayContaining([
        'daemons[1].chain: must be a chain symbol (A-Z, 0-9, _; starting with A-Z or 0-9)',
        'daemons[1].binary: must be a program name (a-z, 0-9, "_", ".", "-"; no path)',
        'daemons[1].conf: must be a file name (A-Z, a-z, 0-9, "_", ".", "-"; no directory, may be ${ac_name}.conf)',
        'daemons[1].args[0]: must not contain control characters (NUL, newline, ...)',
      ]),
    );
    expect(lines.some((l) => l.startsWith('assetchains.entries[0].ac_name: '))).toBe(true);
  });

  it('an unknown placeholder', () => {
    const net = shipped('kmdclassic');
    net.daemons[1].args.push('-pubkey=${PUBKEY}');
    expect(problems(net).lines).toEqual(['daemons[1].args[6]: unknown placeholder ${PUBKEY}']);
  });

  it('a name that is neither a shipped network nor a path; a file that is not JSON; a file that is not there', () => {
    expect(() => loadNetwork('mainnet')).toThrow(
      '--network: "mainnet" is not a shipped network (devnet, kmdclassic, komodo, testnet-2024) nor a path to a network file (./mynet.json)',
    );
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"name": ');
    expect(() => loadNetwork(bad)).toThrow(new RegExp(`^${bad}: is not JSON`));
    expect(() => loadNetwork(join(dir, 'none.json'))).toThrow(
      `${join(dir, 'none.json')}: cannot be read (ENOENT)`,
    );
  });

  it('a shipped name where no networks folder exists (a bundle copied alone) says so', () => {
    const nowhere = join(dir, 'no-networks-here');
    expect(shippedNetworks(nowhere)).toEqual([]);
    expect(() => loadNetwork('devnet', { dir: nowhere })).toThrow(
      `--network: "devnet" is not a shipped network (none found in ${nowhere}) nor a path to a network file (./mynet.json)`,
    );
  });

  it('an operator’s own file, by a relative path', () => {
    const net = shipped('testnet-2024');
    net.name = 'private-testnet';
    writeFileSync(join(dir, 'mynet.json'), JSON.stringify(net));
    const loaded = loadNetwork('./mynet.json', { cwd: dir });
    expect(loaded).toMatchObject({ shipped: false, file: join(dir, 'mynet.json') });
    expect(loaded.network.name).toBe('private-testnet');
  });
});
