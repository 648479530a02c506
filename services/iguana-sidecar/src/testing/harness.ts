import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { TokenStore } from '@nn/chain-sidecar';
import { createLogger } from '@nn/shared';
import { freePort, LogCapture } from '@nn/testkit';
import type { Logger } from 'pino';
import { type IguanaSidecarConfig, parseConfig } from '../config.js';
import { type RunningIguanaSidecar, startIguanaSidecar } from '../sidecar.js';
import { FakeChainSidecar } from './fake-chain-sidecar.js';
import { FakeIguana } from './fake-iguana.js';

export { eventually, freePort } from '@nn/testkit';

// Test vector of Iguana's passphrase → key derivation (docs/reference/iguana.md §3.4, from
// KomodoPlatform/developer-docs generate-privkeys-third-party-coins-from-passphrase.md).
export const TEST_PASSPHRASE = 'myverysecretandstrongpassphrase_noneabletobrute';
export const TEST_PUBKEY = '02a854251adfee222bede8396fed0756985d4ea905f72611740867c7a4ad6488c1';

export function writeSecret(path: string, text: string): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${text}\n`, { mode: 0o600 });
  return path;
}

export { LogCapture };

export const VIEWER = 'viewer-token-0123456789abcdef';
export const OPERATOR = 'operator-token-0123456789abcdef';

/** Two small assetchains (no extra parameters): their ports are derived, the bridge ports are free ones. */
export const TEST_CHAINS = [
  { ac_name: 'IGSTEST1', ac_supply: '1000' },
  { ac_name: 'IGSTEST2', ac_supply: '2000', ac_end: '1' },
] as const;

export interface Harness {
  readonly dir: string;
  readonly home: string;
  readonly events: string[];
  readonly iguana: FakeIguana;
  readonly chains: Record<string, FakeChainSidecar>;
  readonly cfg: IguanaSidecarConfig;
  readonly capture: LogCapture;
  readonly log: Logger;
  sidecar: RunningIguanaSidecar | undefined;
  url: string;
  start(): Promise<RunningIguanaSidecar>;
  cleanup(): Promise<void>;
}

/** Temp dir with secrets and elected file, fake chain sidecars for KMD, LTC and two chains, a fake Iguana. */
export async function harness(
  opts: { seeds?: string[]; raw?: Record<string, unknown>; level?: string } = {},
): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'iguana-sidecar-'));
  const home = join(dir, 'home');
  const events: string[] = [];
  const iguana = await FakeIguana.start(0, { events });
  const names = ['KMD', 'LTC', ...TEST_CHAINS.map((c) => c.ac_name)];
  const chains: Record<string, FakeChainSidecar> = {};
  for (const n of names)
    chains[n] = await new FakeChainSidecar(n, `token-of-${n}-0123456789`, events).start();
  const token = (n: string) => writeSecret(join(dir, 'secrets', `${n}-token`), `token-of-${n}-0123456789`);
  const elected = join(dir, 'elected');
  writeFileSync(
    elected,
    JSON.stringify({
      port: 17775,
      minsigs: 1,
      seeds: opts.seeds ?? ['10.0.0.1', '10.0.0.2'],
      notaries: [{ test_NN: TEST_PUBKEY }],
    }),
  );
  const coins: unknown[] = [
    { kind: 'kmd', upstream: chains.KMD?.url, tokenFile: token('KMD'), rpcPort: await freePort() },
    { kind: 'ltc', upstream: chains.LTC?.url, tokenFile: token('LTC'), rpcPort: await freePort() },
  ];
  for (const c of TEST_CHAINS) {
    coins.push({
      kind: 'assetchain',
      assetchain: c,
      upstream: chains[c.ac_name]?.url,
      tokenFile: token(c.ac_name),
      rpcPort: await freePort(),
    });
  }
  const cfg = parseConfig({
    listen: '127.0.0.1:0',
    iguanaPort: iguana.port,
    electedFile: elected,
    passphraseFile: writeSecret(join(dir, 'secrets', 'passphrase'), TEST_PASSPHRASE),
    notaryPubkey: TEST_PUBKEY,
    myipaddr: '203.0.113.7',
    home,
    tokensFile: join(dir, 'secrets', 'tokens.json'),
    coins,
    pollIntervalMs: 100,
    iguanaTimeoutMs: 5_000,
    statusCacheMs: 0,
    ...opts.raw,
  });
  const capture = new LogCapture();
  const log = createLogger('iguana-sidecar', { level: opts.level ?? 'debug', destination: capture });
  const h: Harness = {
    dir,
    home,
    events,
    iguana,
    chains,
    cfg,
    capture,
    log,
    sidecar: undefined,
    url: '',
    async start() {
      const s = await startIguanaSidecar(cfg, log, {
        tokens: TokenStore.of({ viewer: [VIEWER], operator: [OPERATOR] }),
      });
      h.sidecar = s;
      h.url = `http://${s.address}`;
      return s;
    },
    async cleanup() {
      await h.sidecar?.close().catch(() => undefined);
      await iguana.stop();
      for (const c of Object.values(chains)) await c.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return h;
}
