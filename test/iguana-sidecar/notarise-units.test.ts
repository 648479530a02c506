import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  encodeWif,
  iguanaPassphraseKey,
  KMD_PREFIXES,
  LTC_PREFIXES,
  p2pkhAddress,
  toHex,
} from '@nn/chain-crypto';
import type { RunningSidecar } from '@nn/chain-sidecar';
import { TokenStore } from '@nn/chain-sidecar';
import {
  type CoinStatus,
  parseConfig,
  type RunningIguanaSidecar,
  startIguanaSidecar,
} from '@nn/iguana-sidecar';
import { createLogger } from '@nn/shared';
import { eventually, freePorts } from '@nn/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type DeviguanaProcess,
  api as deviguanaApi,
  startDeviguana,
  waitForApi,
} from '../deviguana/deviguana-process.js';
import { DevchainPool, type DevchainProcess, writeConf } from '../helpers/devchain-process.js';
import {
  closeSidecars,
  http,
  LogCapture,
  newTokens,
  startTestSidecar,
  testConfig,
  writeSecret,
} from '../helpers/sidecar-process.js';

// The Iguana unit against chain units, as in production but in one process tree: LTC (litecoin flavour),
// KMD and two assetchains, each a devchain in its own HOME with its chain sidecar; deviguana in a HOME
// of its own, reaching every chain only through the Iguana sidecar's loopback bridges and the chain
// sidecars' gateways. The Iguana sidecar runs the start-up sequence, notarisations move `notarized`,
// killing deviguana brings re-registration and released locks, and a split restores the UTXO count.

const PASSPHRASE = 'iguana-sidecar e2e passphrase, never logged';
const CHAINS = ['IGSAC1', 'IGSAC2'] as const;
const VIEWER = 'iguana-sidecar-viewer-0123456789';
const OPERATOR = 'iguana-sidecar-operator-0123456789';
const SPLIT = 40;

const pool = new DevchainPool();
const sidecars: RunningSidecar[] = [];
let iguanaSidecar: RunningIguanaSidecar | undefined;
let dv: DeviguanaProcess | undefined;
let miner: NodeJS.Timeout | undefined;
afterEach(async () => {
  if (miner) clearInterval(miner);
  await iguanaSidecar?.close();
  iguanaSidecar = undefined;
  await dv?.kill('SIGKILL');
  dv = undefined;
  await closeSidecars(sidecars);
  await pool.cleanup();
});

async function get(base: string, path: string, token?: string) {
  return http(`${base}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
}

async function post(base: string, path: string, body: unknown) {
  return http(`${base}${path}`, {
    body: JSON.stringify(body),
    headers: { authorization: `Bearer ${OPERATOR}`, 'content-type': 'application/json' },
  });
}

describe('Iguana sidecar with deviguana and chain units', () => {
  it('registers every coin, notarises KMD and both assetchains, survives a deviguana restart, splits', async () => {
    const key = iguanaPassphraseKey(PASSPHRASE);
    const pubkey = toHex(key.publicKey);
    const secrets = pool.home('igs-secrets-');
    const elected = join(secrets, 'elected');
    writeFileSync(
      elected,
      JSON.stringify({
        port: 17775,
        BTCminsigs: 1,
        minsigs: 1,
        seeds: ['127.0.0.1'],
        notaries: [{ dev_NN: pubkey }],
      }),
    );

    // --- chain units: devchain + chain sidecar, each in its own HOME ---------------------------------
    const p = await freePorts(
      'ltcP2p',
      'ltcRpc',
      'kmdP2p',
      'kmdRpc',
      'ac1P2p',
      'ac1Rpc',
      'ac2P2p',
      'ac2Rpc',
      'api',
    );
    const ltcHome = pool.home('igs-ltc-');
    const ltcConf = join(ltcHome, '.litecoin', 'litecoin.conf');
    writeConf(ltcConf, {
      rpcuser: 'ltcuser',
      rpcpassword: 'ltcpassword0123456789',
      rpcport: p.ltcRpc,
      server: 1,
      txindex: 1,
    });
    const kmdHome = pool.home('igs-kmd-');
    const kmdConf = join(kmdHome, '.komodo', 'komodo.conf');
    writeConf(kmdConf, {
      rpcuser: 'kmduser',
      rpcpassword: 'kmdpassword0123456789',
      rpcport: p.kmdRpc,
      server: 1,
      txindex: 1,
    });
    const ltc = pool.start(['-devflavour=litecoin', '-gen=0', `-port=${p.ltcP2p}`], ltcHome);
    const kmd = pool.start(
      ['-gen=0', `-port=${p.kmdP2p}`, `-pubkey=${pubkey}`, `-devnotaries=${elected}`],
      kmdHome,
    );
    const acPorts = [
      [p.ac1P2p, p.ac1Rpc],
      [p.ac2P2p, p.ac2Rpc],
    ] as const;
    const acs: Record<string, { proc: DevchainProcess; home: string }> = {};
    CHAINS.forEach((name, i) => {
      const home = pool.home(`igs-${name.toLowerCase()}-`);
      const [p2p, rpc] = acPorts[i] ?? [0, 0];
      const proc = pool.start(
        [
          `-ac_name=${name}`,
          `-ac_supply=${1000 + i}`,
          '-gen=0',
          `-port=${p2p}`,
          `-rpcport=${rpc}`,
          `-pubkey=${pubkey}`,
          `-devnotaries=${elected}`,
        ],
        home,
      );
      acs[name] = { proc, home };
    });
    const ac = (name: string) => {
      const a = acs[name];
      if (!a) throw new Error(name);
      return a.proc;
    };
    await Promise.all([ltc.waitReady(), kmd.waitReady(), ...CHAINS.map((n) => ac(n).waitReady())]);
    // The operator imports the notary key into LTC and the assetchains; KMD gets it from walletpassphrase.
    // litecoind 0.21 starts without a wallet (-18): the operator makes the unnamed legacy one first.
    await ltc.call('createwallet', ['', false, false, '', false, false, true]);
    await ltc.call('importprivkey', [encodeWif(key.privateKey, LTC_PREFIXES.wif, true), '', false]);
    for (const n of CHAINS)
      await ac(n).call('importprivkey', [encodeWif(key.privateKey, KMD_PREFIXES.wif, true), '', false]);
    const ltcAddr = p2pkhAddress(key.publicKey, LTC_PREFIXES);
    await ltc.call('generatetoaddress', [101, ltcAddr]);
    await kmd.call('generate', [101]);
    for (const n of CHAINS) await ac(n).call('generate', [101]);

    const chainSidecar = async (chain: string, flavour: 'komodo' | 'bitcoin', conf: string) => {
      const s = await startTestSidecar(
        testConfig({ flavour, chain, daemon: { conf }, notaryPubkey: pubkey }),
        newTokens(chain.toLowerCase()),
        sidecars,
      );
      return {
        url: s.url,
        tokenFile: writeSecret(join(secrets, `${chain}-operator-token`), s.tokens.operator),
      };
    };
    const up = {
      LTC: await chainSidecar('LTC', 'bitcoin', ltcConf),
      KMD: await chainSidecar('KMD', 'komodo', kmdConf),
      ...Object.fromEntries(
        await Promise.all(
          CHAINS.map(
            async (n) =>
              [
                n,
                await chainSidecar(n, 'komodo', join(acs[n]?.home ?? '', '.komodo', n, `${n}.conf`)),
              ] as const,
          ),
        ),
      ),
    } as Record<string, { url: string; tokenFile: string }>;

    // --- the Iguana unit: deviguana + the Iguana sidecar ----------------------------------------------
    const iguanaHome = pool.home('igs-iguana-');
    const bridgePorts = await freePorts('kmd', 'ltc', 'ac1', 'ac2');
    const coin = (name: string, extra: Record<string, unknown>) => ({
      upstream: up[name]?.url,
      tokenFile: up[name]?.tokenFile,
      ...extra,
    });
    const cfg = parseConfig({
      listen: '127.0.0.1:0',
      iguanaPort: p.api,
      electedFile: elected,
      passphraseFile: writeSecret(join(secrets, 'passphrase'), PASSPHRASE),
      notaryPubkey: pubkey,
      myipaddr: '127.0.0.1',
      home: iguanaHome,
      tokensFile: join(secrets, 'unused-tokens.json'),
      pollIntervalMs: 300,
      statusCacheMs: 0,
      coins: [
        coin('KMD', { kind: 'kmd', rpcPort: bridgePorts.kmd }),
        coin('LTC', { kind: 'ltc', rpcPort: bridgePorts.ltc }),
        coin('IGSAC1', {
          kind: 'assetchain',
          assetchain: { ac_name: 'IGSAC1', ac_supply: '1000' },
          rpcPort: bridgePorts.ac1,
        }),
        coin('IGSAC2', {
          kind: 'assetchain',
          assetchain: { ac_name: 'IGSAC2', ac_supply: '1001' },
          rpcPort: bridgePorts.ac2,
        }),
      ],
    });
    const capture = new LogCapture();
    iguanaSidecar = await startIguanaSidecar(
      cfg,
      createLogger('iguana-sidecar', { level: 'debug', destination: capture }),
      {
        tokens: TokenStore.of({ viewer: [VIEWER], operator: [OPERATOR] }),
      },
    );
    const base = `http://${iguanaSidecar.address}`;
    expect((await get(base, '/readyz')).status).toBe(503);
    dv = startDeviguana([`-port=${p.api}`, '--elected', elected, '--devnet', '--pollms', '200'], iguanaHome);
    await waitForApi(p.api, dv);
    await eventually(
      async () => ((await get(base, '/readyz')).status === 200 ? true : undefined),
      60_000,
      'readyz 200',
    );

    const status = async () => {
      const r = await get(base, '/v1/status', VIEWER);
      expect(r.status).toBe(200);
      return r.json as { iguana: { restartsDetected: number }; coins: CoinStatus[] };
    };
    const coinOf = async (name: string) => (await status()).coins.find((c) => c.name === name);
    for (const c of (await status()).coins) {
      expect(c, c.name).toMatchObject({ registered: true, dpowActive: c.role === 'source', chain: 'ok' });
    }
    // walletpassphrase imported the key into KMD through the KMD bridge and the KMD sidecar.
    expect(
      (await kmd.call<{ ismine: boolean }>('validateaddress', [p2pkhAddress(key.publicKey, KMD_PREFIXES)]))
        .ismine,
    ).toBe(true);

    // --- notary UTXOs through the API, confirmed by a block ------------------------------------------------
    const mine = async () => {
      await ltc.call('generatetoaddress', [1, ltcAddr]);
      await kmd.call('generate', [1]);
      for (const n of CHAINS) await ac(n).call('generate', [1]);
    };
    // Every round spends one notary UTXO per chain it touches; 40 last the whole test.
    for (const name of ['KMD', 'LTC', ...CHAINS]) {
      const r = await post(base, `/v1/coins/${name}/split`, { duplicates: SPLIT });
      expect(r.status, `${name}: ${r.text}`).toBe(200);
      expect(r.json).toMatchObject({ coin: name, completed: true });
    }
    await mine();
    for (const name of ['KMD', 'LTC', ...CHAINS]) {
      // A round may start (and spend one) as soon as the split confirms.
      await eventually(
        async () => ((await coinOf(name))?.notaryUtxos ?? 0) >= SPLIT - 2 || undefined,
        20_000,
        `${name} utxos`,
      );
    }

    // --- notarisations: blocks on every chain until KMD and both assetchains are notarised and active --------
    const mining = () => {
      let busy = false;
      miner = setInterval(() => {
        if (busy) return;
        busy = true;
        void mine()
          .catch(() => undefined)
          .finally(() => {
            busy = false;
          });
      }, 400);
    };
    const allActive = async (above: Record<string, number>) =>
      eventually(
        async () => {
          const s = await status();
          const sources = s.coins.filter((c) => c.role === 'source');
          const ok = sources.every(
            (c) => c.status === 'active' && (c.lastNotarisedHeight ?? 0) > (above[c.name] ?? 0),
          );
          return ok ? s : undefined;
        },
        150_000,
        'KMD and both assetchains notarised and active',
      );
    mining();
    const first = await allActive({});
    clearInterval(miner);
    const heights = Object.fromEntries(first.coins.map((c) => [c.name, c.lastNotarisedHeight ?? 0]));
    expect(Object.keys(heights).sort()).toEqual(['IGSAC1', 'IGSAC2', 'KMD', 'LTC']);
    expect(first.coins.find((c) => c.name === 'LTC')?.status).toBeNull();

    // --- kill deviguana with a KMD notary UTXO locked, as a round cut short leaves it ---------------------
    const utxo = (await kmd.call<Array<{ txid: string; vout: number; amount: number }>>('listunspent')).find(
      (u) => Math.round(u.amount * 1e8) === 10000,
    );
    expect(utxo).toBeDefined();
    await kmd.call('lockunspent', [false, [{ txid: utxo?.txid, vout: utxo?.vout }]]);
    // A round in flight may hold a lock of its own: what matters is that ours is there.
    expect(
      (await kmd.call<Array<{ txid: string; vout: number }>>('listlockunspent')).filter(
        (l) => l.txid === utxo?.txid && l.vout === utxo?.vout,
      ),
    ).toHaveLength(1);
    await dv.kill('SIGKILL');
    await eventually(
      async () => ((await get(base, '/readyz')).status === 503 ? true : undefined),
      20_000,
      'readyz 503',
    );
    dv = startDeviguana([`-port=${p.api}`, '--elected', elected, '--devnet', '--pollms', '200'], iguanaHome);
    await waitForApi(p.api, dv);
    await eventually(
      async () => ((await get(base, '/readyz')).status === 200 ? true : undefined),
      60_000,
      'readyz again',
    );
    expect((await status()).iguana.restartsDetected).toBe(1);
    // The lock left behind is released (deviguana's new rounds may lock others meanwhile).
    const locked = await kmd.call<Array<{ txid: string; vout: number }>>('listlockunspent');
    expect(locked.filter((l) => l.txid === utxo?.txid && l.vout === utxo?.vout)).toEqual([]);
    const dpow = (await deviguanaApi(p.api, { agent: 'dpow', method: 'devstatus' })).json as {
      dpow: Array<{ symbol: string }>;
    };
    expect(dpow.dpow.map((d) => d.symbol).sort()).toEqual(['IGSAC1', 'IGSAC2', 'KMD']);

    // Notarisation resumes.
    mining();
    await allActive(heights);
    clearInterval(miner);

    // --- rounds spent notary UTXOs: a split restores the count --------------------------------------------
    const before = (await coinOf('KMD'))?.notaryUtxos ?? 0;
    expect(before).toBeLessThan(SPLIT - 2);
    const r = await post(base, '/v1/coins/KMD/split', { duplicates: SPLIT - before });
    expect(r.status, r.text).toBe(200);
    const splitTx = await kmd.call<{ vout: Array<{ value: number; scriptPubKey: { hex: string } }> }>(
      'getrawtransaction',
      [r.json && (r.json as { txid: string }).txid, 1],
    );
    expect(
      splitTx.vout.filter((o) => o.scriptPubKey.hex === `21${pubkey}ac` && o.value === 0.0001),
    ).toHaveLength(SPLIT - before);
    await kmd.call('generate', [1]);
    // Iguana may fund the split with notary UTXOs too, and a KMD round may spend one: the count rises.
    const after = await eventually(
      async () => {
        const n = (await coinOf('KMD'))?.notaryUtxos ?? 0;
        return n > before ? n : undefined;
      },
      20_000,
      'KMD utxos restored',
    );
    expect(after).toBeGreaterThan(before);

    // The passphrase never reached the Iguana sidecar's logs (debug level).
    expect(capture.text()).toContain('start-up sequence done');
    expect(capture.text()).not.toContain(PASSPHRASE);
  });
});
