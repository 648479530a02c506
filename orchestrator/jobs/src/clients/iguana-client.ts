import { IGUANA_SIDECAR_ROUTES } from '@nn/iguana-sidecar';
import { PermanentError, TransientError } from '@nn/orchestrator-core';
import { errorText, requestJson } from './http.js';

/** The body of POST /v1/coins for an assetchain (the Iguana sidecar's coinSchema, kind assetchain). */
export interface AssetchainCoinBody {
  readonly kind: 'assetchain';
  readonly name: string;
  readonly upstream: string;
  readonly tokenFile: string;
  readonly assetchain: Readonly<Record<string, unknown>>;
}

/** One coin of the Iguana sidecar's status (the fields the orchestrator reads). */
export interface IguanaCoinView {
  readonly name: string;
  readonly registered?: boolean;
  readonly notaryUtxos?: number | null;
}

export type AddCoinOutcome = 'registered' | 'accepted' | 'exists';

/** The Iguana sidecar's coin routes, with the orchestrator's operator token. */
export class IguanaClient {
  constructor(
    readonly baseUrl: string,
    private readonly token: string,
    private readonly timeoutMs: number,
  ) {}

  /** Registers a coin. A coin of that name already there counts as done (re-runs after a crash). */
  async addCoin(body: AssetchainCoinBody, signal?: AbortSignal): Promise<AddCoinOutcome> {
    const reply = await requestJson(`${this.baseUrl}${IGUANA_SIDECAR_ROUTES.addCoin.path}`, {
      method: 'POST',
      token: this.token,
      body,
      timeoutMs: this.timeoutMs,
      ...(signal ? { signal } : {}),
    });
    if (reply.status === 201 || reply.status === 200) return 'registered';
    if (reply.status === 202) return 'accepted';
    const field = (reply.body as { field?: unknown } | null)?.field;
    if (reply.status === 409 && field === 'name') return 'exists';
    return fail(`register ${body.name} with Iguana`, reply.status, reply.body);
  }

  /** The coins as the Iguana sidecar reports them (GET /v1/status). */
  async coins(signal?: AbortSignal): Promise<IguanaCoinView[]> {
    const reply = await requestJson(`${this.baseUrl}${IGUANA_SIDECAR_ROUTES.status.path}`, {
      method: 'GET',
      token: this.token,
      timeoutMs: this.timeoutMs,
      ...(signal ? { signal } : {}),
    });
    if (reply.status !== 200) fail('read Iguana status', reply.status, reply.body);
    const coins = (reply.body as { coins?: unknown } | null)?.coins;
    return Array.isArray(coins) ? (coins as IguanaCoinView[]) : [];
  }

  /** Splits the notary's funds on `name` into `duplicates` notary-size UTXOs (Iguana's splitfunds). */
  async split(name: string, duplicates: number, signal?: AbortSignal): Promise<void> {
    const path = IGUANA_SIDECAR_ROUTES.split.path.replace(':name', encodeURIComponent(name));
    const reply = await requestJson(`${this.baseUrl}${path}`, {
      method: 'POST',
      token: this.token,
      body: { duplicates },
      timeoutMs: this.timeoutMs,
      ...(signal ? { signal } : {}),
    });
    if (reply.status !== 200) fail(`split ${name} UTXOs`, reply.status, reply.body);
  }

  /** Deregisters a coin; one that is not there counts as done. */
  async removeCoin(name: string, signal?: AbortSignal): Promise<'removed' | 'absent'> {
    const path = IGUANA_SIDECAR_ROUTES.removeCoin.path.replace(':name', encodeURIComponent(name));
    const reply = await requestJson(`${this.baseUrl}${path}`, {
      method: 'DELETE',
      token: this.token,
      timeoutMs: this.timeoutMs,
      ...(signal ? { signal } : {}),
    });
    if (reply.status === 200) return 'removed';
    if (reply.status === 404) return 'absent';
    return fail(`deregister ${name} from Iguana`, reply.status, reply.body);
  }
}

function fail(what: string, status: number, body: unknown): never {
  const text = `${what}: Iguana sidecar answered HTTP ${status}: ${errorText(body)}`;
  if (status >= 500 || status === 429) throw new TransientError(text);
  throw new PermanentError(text);
}
