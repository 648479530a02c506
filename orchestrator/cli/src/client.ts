import { API_ROUTES, type RouteName, routePath } from '@nn/orchestrator-api/routes';
import { errorBodySchema } from '@nn/orchestrator-api/schemas';
import type { z } from 'zod';
import { CliError, EXIT } from './io.js';

// nnctl's HTTP client, driven by the API's route table: the path, method and reply schema of each call
// come from the same place the server registers its routes from, and every reply is parsed with its
// schema, so a server the CLI does not understand fails loudly instead of printing half a table.

type Route<N extends RouteName> = (typeof API_ROUTES)[N];
type Reply<N extends RouteName> =
  Route<N> extends { response: z.ZodType } ? z.output<Route<N>['response']> : string;
type Params<N extends RouteName> =
  Route<N> extends { params: z.ZodObject } ? z.input<Route<N>['params']> : undefined;

export interface CallOptions<N extends RouteName> {
  readonly params?: Params<N>;
  readonly query?: Record<string, string | undefined>;
  readonly body?: unknown;
}

export interface ApiClientOptions {
  readonly baseUrl: string;
  readonly key?: string | undefined;
  readonly timeoutMs?: number;
}

export class ApiClient {
  readonly baseUrl: string;

  constructor(private readonly options: ApiClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  /**
   * A route that answers with a text stream (a unit's log): the reply's text as it comes, with no time-out
   * once the API has answered (a followed log may be quiet for hours). An error reply throws as call() does.
   */
  async stream<N extends RouteName>(
    name: N,
    options: CallOptions<N> & { readonly signal?: AbortSignal } = {},
  ): Promise<AsyncIterable<string>> {
    const route = API_ROUTES[name];
    const url = this.urlOf(name, options);
    const headers: Record<string, string> = { accept: 'text/plain' };
    if (this.options.key) headers.authorization = `Bearer ${this.options.key}`;
    const answered = new AbortController();
    const timer = setTimeout(() => answered.abort(), this.options.timeoutMs ?? 30_000);
    const signals = [answered.signal, ...(options.signal ? [options.signal] : [])];
    let res: Response;
    try {
      res = await fetch(url, { method: route.method, headers, signal: AbortSignal.any(signals) });
    } catch (err) {
      throw unreachable(this.baseUrl, err);
    } finally {
      clearTimeout(timer);
    }
    if (res.status !== route.status) throw apiError(res.status, await res.text());
    const body = res.body;
    return (async function* () {
      if (!body) return;
      const decoder = new TextDecoder();
      try {
        for await (const piece of body) yield decoder.decode(piece, { stream: true });
      } catch (err) {
        // The caller's own abort ends the stream quietly.
        if (!options.signal?.aborted) throw err;
      }
    })();
  }

  private urlOf<N extends RouteName>(name: N, options: CallOptions<N>): URL {
    const url = new URL(`${this.baseUrl}${routePath(name, options.params as never)}`);
    for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
    return url;
  }

  async call<N extends RouteName>(name: N, options: CallOptions<N> = {}): Promise<Reply<N>> {
    const route = API_ROUTES[name];
    const url = this.urlOf(name, options);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.options.key) headers.authorization = `Bearer ${this.options.key}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    let res: Response;
    try {
      res = await fetch(url, {
        method: route.method,
        headers,
        ...(body === undefined ? {} : { body }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
      });
    } catch (err) {
      throw unreachable(this.baseUrl, err);
    }
    const text = await res.text();
    if (res.status !== route.status) throw apiError(res.status, text);
    if (!('response' in route)) return text as Reply<N>;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new CliError(
        `${route.method} ${url.pathname}: the API answered with something not JSON`,
        EXIT.failed,
      );
    }
    const parsed = (route.response as z.ZodType).safeParse(json);
    if (!parsed.success)
      throw new CliError(
        `${route.method} ${url.pathname}: unexpected reply (${parsed.error.issues[0]?.message ?? 'bad shape'}); is nnctl the same version as the API?`,
        EXIT.failed,
      );
    return parsed.data as Reply<N>;
  }
}

function unreachable(baseUrl: string, err: unknown): CliError {
  const why = err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
  return new CliError(
    `cannot reach the orchestrator API at ${baseUrl} (${why}); is it running? (--api or NN_API_URL)`,
    EXIT.unavailable,
  );
}

function apiError(status: number, text: string): CliError {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const parsed = errorBodySchema.safeParse(body);
  // 502-504: the API (or what it stands on) is briefly away; callers that wait may try again.
  const failed = status >= 502 && status <= 504 ? EXIT.unavailable : EXIT.failed;
  if (!parsed.success) return new CliError(`the API answered ${status}`, failed);
  const { code, message } = parsed.data.error;
  const hint =
    status === 401
      ? ' (give an API key: --key-file or NN_API_KEY_FILE)'
      : status === 403
        ? ' (this needs an operator key)'
        : '';
  return new CliError(`${status} ${code}: ${message}${hint}`, failed, parsed.data);
}
