import { OrchestratorError, ValidationError } from '@nn/orchestrator-core';
import type { ErrorBody } from '../schemas.js';

/** An HTTP-level refusal that is not a domain error: 401, 403, 404 (no route), 413, 415, 429. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly httpStatus: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** Fastify's own errors that are the client's fault, by Fastify error code. */
const FASTIFY_CLIENT_ERRORS: Record<string, { status: number; code: string; message?: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'payload_too_large' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'bad_request' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'unsupported_media_type',
    message: 'send the body as application/json',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'validation', message: 'body: must not be empty JSON' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'validation', message: 'body: is not valid JSON' },
};

export interface HttpErrorReply {
  readonly status: number;
  readonly body: ErrorBody;
}

/**
 * The reply for any error a route or Fastify raised: domain errors keep core's httpStatus and field,
 * Fastify's client errors get a stable code, anything else is a 500 that says nothing about internals.
 */
export function errorReply(err: unknown, limits: { bodyLimit: number }): HttpErrorReply {
  if (err instanceof ValidationError)
    return {
      status: err.httpStatus,
      body: {
        error: {
          code: err.code,
          message: err.message,
          field: err.field,
          issues: err.issues.map((i) => ({ ...i })),
        },
      },
    };
  if (err instanceof OrchestratorError) {
    const json = err.toJSON();
    const field = typeof json.field === 'string' ? json.field : undefined;
    return {
      status: err.httpStatus,
      body: { error: { code: err.code, message: err.message, ...(field === undefined ? {} : { field }) } },
    };
  }
  if (err instanceof ApiError)
    return {
      status: err.httpStatus,
      body: {
        error: {
          code: err.code,
          message: err.message,
          ...(err.field === undefined ? {} : { field: err.field }),
        },
      },
    };
  const fastifyCode =
    typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string'
      ? err.code
      : undefined;
  const known = fastifyCode === undefined ? undefined : FASTIFY_CLIENT_ERRORS[fastifyCode];
  if (known) {
    const message =
      known.status === 413
        ? `request body exceeds ${limits.bodyLimit} bytes`
        : (known.message ?? (err instanceof Error ? err.message : 'bad request'));
    return {
      status: known.status,
      body: {
        error: { code: known.code, message, ...(known.code === 'validation' ? { field: 'body' } : {}) },
      },
    };
  }
  if (isStoreUnavailable(err))
    return {
      status: 503,
      body: { error: { code: 'unavailable', message: 'the state store (Redis) is unreachable; try again' } },
    };
  // A JSON syntax error from the body parser carries statusCode 400 without a FST code.
  const statusCode =
    typeof err === 'object' && err !== null && 'statusCode' in err && typeof err.statusCode === 'number'
      ? err.statusCode
      : 500;
  if (statusCode >= 400 && statusCode < 500)
    return {
      status: statusCode,
      body: { error: { code: 'bad_request', message: err instanceof Error ? err.message : 'bad request' } },
    };
  return { status: 500, body: { error: { code: 'internal', message: 'internal error (see the API log)' } } };
}

/** ioredis's errors while Redis is away (it reconnects by itself): the request may be retried. */
function isStoreUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  return (
    err.name === 'MaxRetriesPerRequestError' ||
    /ECONNREFUSED|ECONNRESET|Connection is closed|Stream isn't writeable/.test(err.message)
  );
}
