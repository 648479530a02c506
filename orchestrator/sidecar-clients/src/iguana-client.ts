import {
  type AssetchainCoinInput,
  coinStatusSchema,
  errorBodySchema,
  IGUANA_SIDECAR_ROUTES,
  type SplitBody,
} from '@nn/iguana-sidecar/contract';
import { PermanentError, TransientError } from '@nn/orchestrator-core';
import { z } from 'zod';
import { errorText, requestJson } from './http.js';
import { parseReply, routeName } from './reply-error.js';

/**
 * The fields of a coin in GET /v1/status the orchestrator acts on (which coins are registered, which
 * run low on notary UTXOs), as the Iguana sidecar's contract has them.
 */
const coinView = coinStatusSchema.pick({ name: true, registered: true, notaryUtxos: true });
export type IguanaCoinView = Readonly<z.infer<typeof coinView>>;

/**
 * GET /v1/status read for those fields; the rest of the reply is kept as it came (the workers store
 * it for `nnctl status`, and the API reads it with the contract's schemas).
 */
const statusView = z.looseObject({ coins: z.array(coinView.loose()) });
export type IguanaStatusView = z.infer<typeof statusView>;

export type AddCoinOutcome = 'registered' | 'accepted' | 'exists';

/** The Iguana sidecar's coin routes, with the orchestrator's operator token. */
export class IguanaClient {
  constructor(
    readonly baseUrl: string,
    private readonly token: string,
    private readonly timeoutMs: number,
  ) {}

  private call(route: { method: string; path: string }, path: string, body?: unknown, signal?: AbortSignal) {
    return requestJson(`${this.baseUrl}${path}`, {
      method: route.method,
      token: this.token,
      ...(body === undefined ? {} : { body }),
      timeoutMs: this.timeoutMs,
      ...(signal ? { signal } : {}),
    });
  }

  /** Registers a coin. A coin of that name already there counts as done (re-runs after a crash). */
  async addCoin(body: AssetchainCoinInput, signal?: AbortSignal): Promise<AddCoinOutcome> {
    const route = IGUANA_SIDECAR_ROUTES.addCoin;
    const reply = await this.call(route, route.path, body, signal);
    if (reply.status === 201 || reply.status === 200) return 'registered';
    if (reply.status === 202) return 'accepted';
    if (reply.status === 409 && parseReply(errorBodySchema, reply.body, routeName(route)).field === 'name')
      return 'exists';
    return fail(`register ${body.name ?? body.assetchain.ac_name} with Iguana`, reply.status, reply.body);
  }

  /** GET /v1/status: the coins as the Iguana sidecar reports them, the rest of the reply as it came. */
  async status(signal?: AbortSignal): Promise<IguanaStatusView> {
    const route = IGUANA_SIDECAR_ROUTES.status;
    const reply = await this.call(route, route.path, undefined, signal);
    if (reply.status !== 200) fail('read Iguana status', reply.status, reply.body);
    return parseReply(statusView, reply.body, routeName(route));
  }

  /** The coins as the Iguana sidecar reports them (GET /v1/status). */
  async coins(signal?: AbortSignal): Promise<IguanaCoinView[]> {
    return (await this.status(signal)).coins;
  }

  /** Splits the notary's funds on `name` into `duplicates` notary-size UTXOs (Iguana's splitfunds). */
  async split(name: string, duplicates: number, signal?: AbortSignal): Promise<void> {
    const route = IGUANA_SIDECAR_ROUTES.split;
    const body: SplitBody = { duplicates };
    const reply = await this.call(route, coinPath(route.path, name), body, signal);
    if (reply.status !== 200) fail(`split ${name} UTXOs`, reply.status, reply.body);
  }

  /** Deregisters a coin; one that is not there counts as done. */
  async removeCoin(name: string, signal?: AbortSignal): Promise<'removed' | 'absent'> {
    const route = IGUANA_SIDECAR_ROUTES.removeCoin;
    const reply = await this.call(route, coinPath(route.path, name), undefined, signal);
    if (reply.status === 200) return 'removed';
    if (reply.status === 404) return 'absent';
    return fail(`deregister ${name} from Iguana`, reply.status, reply.body);
  }
}

const coinPath = (path: string, name: string) => path.replace(':name', encodeURIComponent(name));

function fail(what: string, status: number, body: unknown): never {
  const text = `${what}: Iguana sidecar answered HTTP ${status}: ${errorText(body)}`;
  if (status >= 500 || status === 429) throw new TransientError(text);
  throw new PermanentError(text);
}
