import type { RateLimiter } from '@nn/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type ApiKeys, presentedKey, roleAllows } from '../auth/api-keys.js';
import { API_ROUTES, DASHBOARD_PATH, type Role, type RouteDef } from '../routes.js';
import { ApiError } from './api-error.js';
import { dashboardPath } from './dashboard.js';

// What every request passes before its route runs (and before its body is read): the key and its role,
// the rate limit, and ids in paths that could only be an attack. Order: rate limit, 401, 403, then 400, so
// an unauthenticated caller learns nothing about which ids are valid.

/** A path segment an id can never be: traversal (`.`, `..`), and what a shell would read. */
const HOSTILE_SEGMENT = /^\.{1,2}$|[\s;&|`$<>\\'"*?(){}[\]!#%/\0]/;

const ROUTE_ROLES = new Map<string, false | Role>(
  Object.values(API_ROUTES).map((r: RouteDef) => [`${r.method} ${r.path}`, r.auth]),
);

/** The role a request needs: the route table's, or the dashboard's (viewer to look, operator to act). */
function requiredRole(req: FastifyRequest, path: string): false | Role {
  if (path === DASHBOARD_PATH || path.startsWith(`${DASHBOARD_PATH}/`)) {
    if (path.startsWith(dashboardPath('operator'))) return 'operator';
    // The read-only board serves reads only; anything else is an operator's action on the wrong board.
    return req.method === 'GET' || req.method === 'HEAD' ? 'viewer' : 'operator';
  }
  const template = req.routeOptions.url;
  // No such route: the 404 handler answers, but under /v1 only to a key holder (and a hostile path such
  // as /v1/chains/../../etc gets its 400 rather than a 404 that reads like "no such chain").
  if (template === undefined) return path.startsWith('/v1/') ? 'viewer' : false;
  const method = req.method === 'HEAD' ? 'GET' : req.method;
  return ROUTE_ROLES.get(`${method} ${template}`) ?? 'operator';
}

function hasHostileSegment(path: string): boolean {
  return path
    .split('/')
    .slice(1)
    .some((segment) => {
      try {
        return HOSTILE_SEGMENT.test(decodeURIComponent(segment));
      } catch {
        return true; // malformed percent-encoding
      }
    });
}

export function requestGuard(keys: ApiKeys, limiter: RateLimiter) {
  return (req: FastifyRequest, reply: FastifyReply): ApiError | undefined => {
    const path = req.url.split('?')[0] ?? '';
    const caller = keys.lookup(presentedKey(req.headers.authorization));
    if (caller) req.caller = caller;
    const retryAfter = limiter.take(caller ? caller.actor : `ip:${req.ip}`);
    if (retryAfter !== undefined) {
      reply.header('retry-after', String(retryAfter));
      return new ApiError(429, 'rate_limited', 'rate limit exceeded; try again later');
    }
    const needed = requiredRole(req, path);
    if (needed === false) return undefined;
    if (caller === undefined) {
      if (path.startsWith(DASHBOARD_PATH)) reply.header('www-authenticate', 'Basic realm="nn orchestrator"');
      return new ApiError(401, 'unauthorized', 'missing or unknown API key (Authorization: Bearer <key>)');
    }
    if (!roleAllows(caller.role, needed))
      return new ApiError(403, 'forbidden', `needs the ${needed} role; this key is a ${caller.role} key`);
    if ((path.startsWith('/v1/chains/') || path.startsWith('/v1/jobs/')) && hasHostileSegment(path))
      return new ApiError(400, 'validation', 'id: not a valid id (path traversal or shell characters)', 'id');
    return undefined;
  };
}
