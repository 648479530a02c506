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
