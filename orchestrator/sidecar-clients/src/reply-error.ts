import { PermanentError } from '@nn/orchestrator-core';
import type { z } from 'zod';

/**
 * A sidecar answered with a body its contract does not allow: a sidecar of another version, or not a
 * sidecar at all. Retrying does not change that, so it fails the job; the message names the route and
 * the first field at fault (never a value: a body may echo what was sent).
 */
export class SidecarReplyError extends PermanentError {
  constructor(
    /** `GET /v1/status` and the like. */
    readonly route: string,
    /** The path of the field at fault, `(body)` for the whole reply. */
    readonly field: string,
    reason: string,
  ) {
    super(`${route}: the reply does not match the sidecar's contract: ${field}: ${reason}`);
  }
}

/** The reply as `schema` reads it, or a SidecarReplyError naming the route and the field. */
export function parseReply<S extends z.ZodType>(schema: S, body: unknown, route: string): z.output<S> {
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const field =
    issue && issue.path.length > 0
      ? issue.path
          .map((p) => (typeof p === 'number' ? `[${p}]` : String(p)))
          .join('.')
          .replaceAll('.[', '[')
      : '(body)';
  throw new SidecarReplyError(route, field, issue?.message ?? 'invalid');
}

/** `GET /v1/status` for a route of a sidecar's table. */
export const routeName = (route: { readonly method: string; readonly path: string }): string =>
  `${route.method} ${route.path}`;
