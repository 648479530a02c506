import { randomBytes } from 'node:crypto';
import {
  encodeWif,
  iguanaPassphraseKey,
  KMD_PREFIXES,
  LTC_PREFIXES,
  p2pkhAddress,
  toHex,
} from '@nn/chain-crypto';
import {
  type AssetchainEntry,
  rpcPort as acRpcPort,
  assetchainParamsFromOptions,
  entryToArgs,
  parseKomodoArgs,
} from '@nn/komodo-params';
import { eventually } from '@nn/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import s8 from '../fixtures/assetchains.s8.json' with { type: 'json' };
import { docker, removeProject } from '../helpers/docker.js';
import { createNetwork, newToken, startUnit, type Unit } from '../helpers/units.js';

// Issue 4's acceptance case on the real engine: LTC, KMD and two Season 8 assetchains, each a devchain
// unit with its chain sidecar; deviguana in the Iguana unit with the Iguana sidecar, reaching every
// chain only through its loopback bridges. Notarisations move `notarized` on KMD and both assetchains;
// killing deviguana and starting it again re-registers every coin, releases the UTXOs it left locked
// and notarisation resumes; a split restores the notary UTXO count.

const project = `nn-e2e-${randomBytes(3).toString('hex')}`;
const network = `${project}-net`;
const PASSPHRASE = `devnet notary ${randomBytes(8).toString('hex')}`;
const key = iguanaPassphraseKey(PASSPHRASE);
const pubkey = toHex(key.publicKey);
const elected = JSON.stringify({
  port: 17775,
  BTCminsigs: 1,
  minsigs: 1,
  seeds: [],
  notaries: [{ dev_NN: pubkey }],
});
const SPLIT = 30;

// Two real S8 entries, without their addnode lists: a devnet never dials the public seed nodes.
const entries = (s8 as AssetchainEntry[])
  .filter((e) => e.ac_name === 'CCL' || e.ac_name === 'KOIN')
  .map(({ addnode: _seeds, ...entry }) => entry as AssetchainEntry);

type Tokens = { viewer: string[]; operator: string[] };
const tokens = (): Tokens => ({ viewer: [newToken()], operator: [newToken()] });
const units: Record<string, { unit: Unit; tokens: Tokens }> = {};
let iguana: { unit: Unit; tokens: Tokens };

async function call<T>(name: string, method: string, params: unknown[] = []): Promise<T> {
  const u = units[name];
  if (!u) throw new Error(name);
  const res = await fetch(`${u.unit.url}/v1/rpc`, {
    method: 'POST',
    headers: { authorization: `Bearer ${u.tokens.operator[0]}`, 'content-type': 'application/json' },
    body: JSON.stringify({ method, params, id: 1 }),
  });
  const body = (await res.json()) as { result: T; error: { message: string } | null };
  if (body.error) throw new Error(`${name} ${method}: ${body.error.message}`);
  return body.result;
}

async function iguanaApi(method: 'GET' | 'POST', path: string, body?: unknown) {
  const res = await fetch(`${iguana.unit.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${iguana.tokens.operator[0]}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

interface CoinStatus {
  name: string;
  role: string;
  registered: boolean;
  dpowActive: boolean;
  status: string | null;
  lastNotarisedHeight: number | null;
  notaryUtxos: number | null;
}
const coins = async () =>
  (await iguanaApi('GET', '/v1/status')).json as {
    coins: CoinStatus[];
    iguana: { restartsDetected: number };
  };

beforeAll(async () => {
  await createNetwork(network, project);
  const files = (extra: Array<{ path: string; content: string }> = []) => [
    { path: '/data/nn/elected.json', content: elected },
    ...extra,
  ];
  const sidecarUrl = (name: string) => `http://${project}-${name}-sidecar:8080`;
  const common = ['-devblocktime=1', '-devnotaries=/data/nn/elected.json'];

  const ltcTokens = tokens();
  units.LTC = {
    tokens: ltcTokens,
    unit: await startUnit({
      name: `${project}-ltc`,
      project,
      network,
      daemonArgs: ['-devflavour=litecoin', '-devblocktime=1'],
      tokens: ltcTokens,
      sidecar: {
        flavour: 'bitcoin',
        chain: 'LTC',
        daemon: { conf: '/data/.litecoin/litecoin.conf' },
        notaryPubkey: pubkey,
      },
      files: [
        {
          path: '/data/.litecoin/litecoin.conf',
          content: `rpcuser=ltc\nrpcpassword=${newToken()}\nrpcport=9332\nport=9333\nserver=1\ntxindex=1\n`,
        },
      ],
    }),
  };
  const kmdTokens = tokens();
  units.KMD = {
    tokens: kmdTokens,
    unit: await startUnit({
      name: `${project}-kmd`,
      project,
      network,
      daemonArgs: [...common, `-pubkey=${pubkey}`, '-notary=.litecoin/litecoin.conf'],
      tokens: kmdTokens,
      sidecar: {
        flavour: 'komodo',
        chain: 'KMD',
        daemon: { conf: '/data/.komodo/komodo.conf', datadir: '/data/.komodo' },
        notaryPubkey: pubkey,
        bridges: [
          {
            name: 'LTC',
            port: 9332,
            confPath: '/data/.litecoin/litecoin.conf',
            upstream: sidecarUrl('ltc'),
            tokenFile: '/data/nn/ltc.token',
          },
        ],
      },
      files: files([
        {
          path: '/data/.komodo/komodo.conf',
          content: `rpcuser=kmd\nrpcpassword=${newToken()}\nrpcport=7771\nport=7770\nserver=1\ntxindex=1\n`,
        },
        { path: '/data/nn/ltc.token', content: `${ltcTokens.viewer[0]}\n` },
      ]),
    }),
  };
  for (const entry of entries) {
    const name = entry.ac_name;
    const t = tokens();
    const args = entryToArgs(entry, { home: '/data', pubkey });
    const rpc = acRpcPort(assetchainParamsFromOptions(parseKomodoArgs(args).options));
    units[name] = {
      tokens: t,
      unit: await startUnit({
        name: `${project}-${name.toLowerCase()}`,
        project,
        network,
        daemonArgs: [...args, ...common],
        tokens: t,
        sidecar: {
          flavour: 'komodo',
          chain: name,
          daemon: {
            conf: `/data/.komodo/${name}/${name}.conf`,
            datadir: `/data/.komodo/${name}`,
            defaultPort: rpc,
          },
          notaryPubkey: pubkey,
          bridges: [
            {
              name: 'KMD',
              port: 7771,
              confPath: '/data/.komodo/komodo.conf',
              upstream: sidecarUrl('kmd'),
              tokenFile: '/data/nn/kmd.token',
            },
          ],
        },
        files: files([{ path: '/data/nn/kmd.token', content: `${kmdTokens.viewer[0]}\n` }]),
      }),
    };
  }

  // The notary key into LTC and the assetchains (KMD gets it from Iguana's walletpassphrase), and coins
  // old enough to spend: KMD and LTC coinbases mature after 100 blocks.
  // Ready (as the product waits for it) means litecoind 0.21, which starts walletless, has its wallet:
  // the sidecar made it.
  await eventually(
    async () => ((await fetch(`${units.LTC?.unit.url}/readyz`)).status === 200 ? true : undefined),
    60_000,
    'LTC ready',
  );
  expect(await call('LTC', 'listwallets')).toEqual(['']);
  await call('LTC', 'importprivkey', [encodeWif(key.privateKey, LTC_PREFIXES.wif, true), '', false]);
  await call('LTC', 'generatetoaddress', [101, p2pkhAddress(key.publicKey, LTC_PREFIXES)]);
  await eventually(
    async () => (await call<number>('KMD', 'getblockcount')) >= 0 || undefined,
    60_000,
    'KMD up',
  );
  await call('KMD', 'generate', [101]);
  for (const { ac_name: name } of entries) {
    await eventually(
      async () => (await call<number>(name, 'getblockcount')) >= 0 || undefined,
      60_000,
      `${name} up`,
    );
    await call(name, 'importprivkey', [encodeWif(key.privateKey, KMD_PREFIXES.wif, true), '', false]);
    await call(name, 'generate', [3]);
  }

  const iguanaTokens = tokens();
  const coinToken = (name: string) => ({
    path: `/data/nn/${name.toLowerCase()}.token`,
    content: `${units[name]?.tokens.operator[0]}\n`,
  });
  iguana = {
    tokens: iguanaTokens,
    unit: await startUnit({
      name: `${project}-iguana`,
      project,
      network,
      sidecarImage: 'nn/iguana-sidecar:latest',
      daemonImage: 'nn/deviguana:latest',
      daemonArgs: ['notary', '--elected', '/data/nn/elected.json', '--devnet', '--pollms', '300'],
      daemonEnv: ['DEVIGUANA_PORT=7776'],
      tokens: iguanaTokens,
      sidecar: {
        listen: '0.0.0.0:8080',
        iguanaPort: 7776,
        electedFile: '/data/nn/elected.json',
        passphraseFile: '/data/nn/passphrase',
        notaryPubkey: pubkey,
        myipaddr: '127.0.0.1',
        home: '/data',
        pollIntervalMs: 500,
        statusCacheMs: 0,
        coins: [
          { kind: 'kmd', upstream: sidecarUrl('kmd'), tokenFile: '/data/nn/kmd.token' },
          { kind: 'ltc', upstream: sidecarUrl('ltc'), tokenFile: '/data/nn/ltc.token' },
          ...entries.map((entry) => ({
            kind: 'assetchain',
            assetchain: entry,
            upstream: sidecarUrl(entry.ac_name.toLowerCase()),
            tokenFile: `/data/nn/${entry.ac_name.toLowerCase()}.token`,
          })),
        ],
      },
      files: files([
        { path: '/data/nn/passphrase', content: `${PASSPHRASE}\n` },
        coinToken('KMD'),
        coinToken('LTC'),
        ...entries.map((e) => coinToken(e.ac_name)),
      ]),
    }),
  };
  await eventually(
    async () => ((await fetch(`${iguana.unit.url}/readyz`)).status === 200 ? true : undefined),
    120_000,
    'Iguana unit ready',
  );
});

afterAll(async () => {
  await removeProject(project);
});

const names = () => ['KMD', 'LTC', ...entries.map((e) => e.ac_name)];
const sources = () => ['KMD', ...entries.map((e) => e.ac_name)];

async function allActive(above: Record<string, number>, what: string) {
  return eventually(
    async () => {
      const s = await coins();
      const ok = sources().every((n) => {
        const c = s.coins.find((x) => x.name === n);
        return c?.status === 'active' && (c.lastNotarisedHeight ?? 0) > (above[n] ?? 0);
      });
      return ok ? s : undefined;
    },
    240_000,
    what,
  );
}

describe('a notarising devnet notary node in containers', () => {
  let heights: Record<string, number> = {};

  it('registers every coin with deviguana through the Iguana sidecar', async () => {
    const s = await coins();
    for (const n of names()) {
      expect(
        s.coins.find((c) => c.name === n),
        n,
      ).toMatchObject({ registered: true, dpowActive: n !== 'LTC' });
    }
  });

  it('notarises KMD and both assetchains: notarized rises and every coin is active', async () => {
    for (const n of names()) {
      const r = await iguanaApi('POST', `/v1/coins/${n}/split`, { duplicates: SPLIT });
      expect(r.status, `${n}: ${JSON.stringify(r.json)}`).toBe(200);
    }
    const s = await allActive({}, 'KMD and both assetchains notarised');
    heights = Object.fromEntries(s.coins.map((c) => [c.name, c.lastNotarisedHeight ?? 0]));
    for (const n of sources()) {
      const info = await call<{ notarized: number; notarizedhash: string }>(n, 'getinfo');
      expect(info.notarized, n).toBeGreaterThan(0);
      expect(info.notarizedhash).not.toBe('0'.repeat(64));
    }
  });

  it('after deviguana is killed and started again: re-registers, releases locked UTXOs, notarises again', async () => {
    // The source chains stop making blocks while deviguana is away, so no new round (which locks a KMD
    // UTXO of its own choosing, possibly this one) starts: what is locked afterwards is only what the
    // restart left behind.
    for (const n of sources()) await call(n, 'setgenerate', [false]);
    await new Promise((r) => setTimeout(r, 3_000));
    const utxo = (
      await call<Array<{ txid: string; vout: number; amount: number }>>('KMD', 'listunspent')
    ).find((u) => Math.round(u.amount * 1e8) === 10_000);
    expect(utxo).toBeDefined();
    await call('KMD', 'lockunspent', [false, [{ txid: utxo?.txid, vout: utxo?.vout }]]);
    const deviguana = docker.getContainer(iguana.unit.daemonId);
    await deviguana.kill({ signal: 'SIGKILL' });
    await eventually(
      async () => ((await fetch(`${iguana.unit.url}/readyz`)).status === 503 ? true : undefined),
      60_000,
      'Iguana seen down',
    );
    await deviguana.start();
    await eventually(
      async () => ((await fetch(`${iguana.unit.url}/readyz`)).status === 200 ? true : undefined),
      120_000,
      'Iguana registered again',
    );
    const s = await coins();
    expect(s.iguana.restartsDetected).toBeGreaterThanOrEqual(1);
    for (const n of names()) expect(s.coins.find((c) => c.name === n)?.registered, n).toBe(true);
    const locked = await call<Array<{ txid: string; vout: number }>>('KMD', 'listlockunspent');
    expect(locked.filter((l) => l.txid === utxo?.txid && l.vout === utxo?.vout)).toEqual([]);
    for (const n of sources()) await call(n, 'setgenerate', [true, 1]);
    await allActive(heights, 'notarisation to resume after the restart');
  });

  it('restores the notary UTXO count with a split', async () => {
    const name = entries[0]?.ac_name ?? 'CCL';
    const before = (await coins()).coins.find((c) => c.name === name)?.notaryUtxos ?? 0;
    const r = await iguanaApi('POST', `/v1/coins/${name}/split`, { duplicates: SPLIT });
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    const after = await eventually(
      async () => {
        const n = (await coins()).coins.find((c) => c.name === name)?.notaryUtxos ?? 0;
        return n > before ? n : undefined;
      },
      60_000,
      `${name} notary UTXOs restored`,
    );
    expect(after).toBeGreaterThan(before);
  });
});
