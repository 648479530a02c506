import type { ChainStatus } from '@nn/orchestrator-core';
import type { LiveSubject } from '@nn/orchestrator-state';
import { abortableSleep } from '@nn/shared';
import { IguanaClient, type IguanaStatusView, SidecarClient } from '@nn/sidecar-clients';
import type { JobsDeps } from '../context.js';
import { resetBloatedWallets, type WalletResetChores } from './wallet-chores.js';

/** Chains whose unit should be answering: their sidecar is asked for its status. */
const LIVE_STATUSES = new Set<ChainStatus>(['syncing', 'ready', 'restarting', 'upgrading']);
/** A coin is split at most this often (cluster-wide). */
const SPLIT_EVERY_MS = 60_000;

export interface StatusPoller {
  /** One round now (tests; the loop calls it every `liveStatusEveryMs`). */
  pollOnce(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Asks every running chain's sidecar (and KMD's, the destination's and Iguana's) for /v1/status and
 * keeps the answer in the state store with a TTL of three rounds, for `nnctl status`. Only workers run
 * it: they hold the chains' viewer tokens. A sidecar that does not answer (or answers off its contract)
 * simply has no fresh status. With `iguana.splitUtxos` set it also tops up coins whose notary UTXOs run
 * low; with `walletResetBytes` it queues the resets of wallets past it (`chores`, wallet-chores.ts).
 */
export function startStatusPoller(deps: JobsDeps, chores: WalletResetChores = {}): StatusPoller {
  const { config, state, runtime, secrets, log } = deps;
  const every = config.liveStatusEveryMs;
  const ttl = every * 3;
  const abort = new AbortController();

  const fetchStatus = async (url: string, token: string): Promise<Record<string, unknown> | null> => {
    try {
      return await new SidecarClient(url.replace(/\/+$/, ''), config.httpTimeoutMs).status(
        token,
        abort.signal,
      );
    } catch {
      return null;
    }
  };
  // A token file that cannot be read (yet) is no status of that unit, not a failed round for all.
  const fetchNodeUnit = async (unit: {
    readonly sidecarUrl: string;
    readonly remoteUrl?: string | undefined;
    readonly viewerTokenFile: string;
  }): Promise<Record<string, unknown> | null> => {
    let token: string;
    try {
      token = secrets.readExternal(unit.viewerTokenFile);
    } catch {
      return null;
    }
    return fetchStatus(unit.remoteUrl ?? unit.sidecarUrl, token);
  };
  const fetchIguana = async (url: string, token: string): Promise<IguanaStatusView | null> => {
    try {
      return await new IguanaClient(url.replace(/\/+$/, ''), token, config.httpTimeoutMs).status(
        abort.signal,
      );
    } catch {
      return null;
    }
  };

  const pollOnce = async (): Promise<number> => {
    const addresses = new Map((await runtime.nodes()).map((n) => [n.name, n.address]));
    const chains = (await state.chains.list()).filter(
      (c) => c.placement && LIVE_STATUSES.has(c.status) && secrets.has(c.spec.id),
    );
    type Polled = [LiveSubject, Record<string, unknown> | null];
    const jobs: Array<Promise<Polled>> = chains.map(async (c): Promise<Polled> => {
      const address = c.placement ? addresses.get(c.placement.node) : undefined;
      if (!address || !c.placement) return [{ chain: c.spec.id }, null];
      const host = address.includes(':') ? `[${address}]` : address;
      const token = secrets.chain(c.spec.id, c.spec.identity.acName).viewerToken;
      return [{ chain: c.spec.id }, await fetchStatus(`http://${host}:${c.placement.sidecarPort}`, token)];
    });
    // The node's own chains: the main chain (KMD, KMDCL) and the destination (LTC), as the orchestrator
    // reaches their sidecars.
    for (const [base, unit] of [
      ['kmd', config.kmd],
      ['ltc', config.ltc],
    ] as const)
      if (unit) jobs.push(fetchNodeUnit(unit).then((s): Polled => [{ base }, s]));
    const iguana = config.iguana
      ? fetchIguana(config.iguana.url, secrets.readExternal(config.iguana.operatorTokenFile))
      : Promise.resolve(null);
    if (config.iguana) jobs.push(iguana.then((s): Polled => [{ base: 'iguana' }, s]));
    let stored = 0;
    for (const [subject, status] of await Promise.all(jobs))
      if (status) {
        await state.live.put(subject, status, ttl);
        stored++;
      }
    await resetBloatedWallets(deps, chores, chains, await Promise.all(jobs));
    const iguanaStatus = await iguana;
    if (iguanaStatus) await topUpUtxos(iguanaStatus);
    return stored;
  };

  // The notary's chore: every notarisation spends a notary-size UTXO on each side, so a coin running low
  // is split again: at most once a minute per coin in the whole cluster (every worker runs this poller,
  // so the claim is in Redis; Iguana's split takes a block to confirm and shows up only then).
  const topUpUtxos = async (iguanaStatus: IguanaStatusView): Promise<void> => {
    const iguana = config.iguana;
    if (!iguana || iguana.splitUtxos === 0) return;
    const client = new IguanaClient(
      iguana.url,
      secrets.readExternal(iguana.operatorTokenFile),
      config.httpTimeoutMs,
    );
    for (const coin of iguanaStatus.coins) {
      if (!coin.registered || coin.notaryUtxos === null) continue;
      if (coin.notaryUtxos >= Math.ceil(iguana.splitUtxos / 4)) continue;
      const claimed = await state.chores
        .claim(`split:${coin.name.toLowerCase()}`, SPLIT_EVERY_MS)
        .catch(() => false); // a name no chore key can hold is no coin of ours
      if (!claimed) continue;
      await client.split(coin.name, iguana.splitUtxos, abort.signal).then(
        () => log.info({ coin: coin.name, notaryUtxos: coin.notaryUtxos }, 'split notary UTXOs'),
        (err: unknown) =>
          log.warn(
            { coin: coin.name, err: err instanceof Error ? err.message : String(err) },
            'split failed',
          ),
      );
    }
  };

  const loop = (async () => {
    if (every === 0) return;
    while (!abort.signal.aborted) {
      try {
        await pollOnce();
      } catch (err) {
        // Redis or an engine briefly away: the next round tries again.
        log.debug({ err: err instanceof Error ? err.message : String(err) }, 'status poll failed');
      }
      await abortableSleep(every, abort.signal).catch(() => undefined);
    }
  })();

  return {
    pollOnce,
    async stop() {
      abort.abort();
      await loop;
    },
  };
}
