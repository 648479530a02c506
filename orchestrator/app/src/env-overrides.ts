import { type FieldIssue, ValidationError } from '@nn/orchestrator-core';

// Settings a container (deploy/compose) gives in its environment on top of the config file. Each variable
// names one field of the file, with the names the API's own environment config uses; the merged whole
// goes through the file's schema, so a bad value is refused for the same reason as in the file, named by
// its variable. NN_* variables not listed here belong to other programs and are not read.

type Kind = 'string' | 'int' | 'list';

export const ENV_OVERRIDES: Readonly<
  Record<string, { readonly path: readonly string[]; readonly kind?: Kind }>
> = {
  NN_REDIS_URL: { path: ['redisUrl'] },
  NN_STATE_PREFIX: { path: ['statePrefix'] },
  NN_ROLES: { path: ['roles'], kind: 'list' },
  NN_NETWORK: { path: ['network'] },
  NN_LOG_LEVEL: { path: ['logLevel'] },
  NN_API_LISTEN: { path: ['api', 'listen'] },
  NN_API_KEYS_FILE: { path: ['api', 'keysFile'] },
  NN_CHAIN_IMAGE: { path: ['api', 'defaultImage'] },
  NN_API_BODY_LIMIT: { path: ['api', 'bodyLimit'], kind: 'int' },
  NN_API_RATE_LIMIT: { path: ['api', 'rateLimitPerMinute'], kind: 'int' },
  NN_SECRETS_DIR: { path: ['jobs', 'secretsDir'] },
  NN_QUEUE_NAME: { path: ['jobs', 'queueName'] },
  NN_QUEUE_PREFIX: { path: ['jobs', 'queuePrefix'] },
  NN_INSTANCE: { path: ['jobs', 'instance'] },
  NN_UNIT_PREFIX: { path: ['jobs', 'unitPrefix'] },
  NN_SIDECAR_IMAGE: { path: ['jobs', 'sidecarImage'] },
};

export interface Overridden {
  /** The file's object with the variables' values in place. */
  readonly raw: unknown;
  /** Field path (`api.listen`) → the variable that set it. */
  readonly fields: ReadonlyMap<string, string>;
}

function parseValue(text: string, kind: Kind = 'string'): unknown {
  // A value that is not a number stays a string, so the schema's own reason (expected number) is given.
  if (kind === 'int') return /^-?\d+$/.test(text.trim()) ? Number(text.trim()) : text;
  if (kind === 'list')
    return text
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  return text;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Puts each set variable's value at its field (making the sections it needs); the file is not changed. */
export function applyEnvOverrides(
  raw: unknown,
  env: Readonly<Record<string, string | undefined>>,
): Overridden {
  const fields = new Map<string, string>();
  if (!isRecord(raw)) return { raw, fields };
  const out: Record<string, unknown> = structuredClone(raw);
  for (const [name, { path, kind }] of Object.entries(ENV_OVERRIDES)) {
    const text = env[name];
    if (text === undefined) continue;
    let at = out;
    for (const key of path.slice(0, -1)) {
      const next = at[key];
      const section: Record<string, unknown> = isRecord(next) ? next : {};
      at[key] = section;
      at = section;
    }
    at[path[path.length - 1] ?? ''] = parseValue(text, kind);
    fields.set(path.join('.'), name);
  }
  return { raw: out, fields };
}

/**
 * The same error with each issue of a field a variable set named by that variable (`NN_API_LISTEN: must
 * be host:port`); `at` is the prefix the schema's issues carry (`config`, `config.jobs`).
 */
export function nameOverrides(err: unknown, fields: ReadonlyMap<string, string>, at: string): unknown {
  if (!(err instanceof ValidationError) || fields.size === 0) return err;
  const named = err.issues.map((issue): FieldIssue => {
    const field = issue.field.startsWith(`${at}.`) ? issue.field.slice(at.length + 1) : undefined;
    if (field === undefined) return issue;
    for (const [path, name] of fields)
      if (field === path || field.startsWith(`${path}.`) || field.startsWith(`${path}[`))
        return { field: name, reason: issue.reason };
    return issue;
  });
  return new ValidationError(named);
}
