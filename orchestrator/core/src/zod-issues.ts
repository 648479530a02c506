import type { z } from 'zod';
import { type FieldIssue, ValidationError } from './errors/validation-error.js';

// zod issues become `field: reason` pairs. Leaf schemas (komodo-params) already start their messages with
// the flag (`ac_supply: ...`, `-ac_name: ...`); that prefix is dropped so the field is not named twice.

function fieldOf(path: readonly PropertyKey[]): string {
  return path
    .map((p) => (typeof p === 'number' ? `[${p}]` : String(p)))
    .join('.')
    .replaceAll('.[', '[');
}

function stripFlagPrefix(message: string, last: PropertyKey | undefined): string {
  if (typeof last !== 'string') return message;
  for (const prefix of [`${last}: `, `-${last}: `])
    if (message.startsWith(prefix)) return message.slice(prefix.length);
  return message;
}

/** Flattens zod issues into one entry per field; an unknown key becomes its own field, "unknown key". */
export function fieldIssues(issues: readonly z.core.$ZodIssue[]): FieldIssue[] {
  const out: FieldIssue[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ field: fieldOf([...issue.path, key]), reason: 'unknown key' });
      continue;
    }
    out.push({ field: fieldOf(issue.path), reason: stripFlagPrefix(issue.message, issue.path.at(-1)) });
  }
  return out;
}

/**
 * Parses `input` with `schema`, throwing a ValidationError whose issues name each bad field. `at` prefixes
 * every field (e.g. `entry` when the value sits inside a request body).
 */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, at?: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = fieldIssues(result.error.issues);
  throw new ValidationError(
    at === undefined
      ? issues
      : issues.map((i) => ({ field: i.field === '' ? at : `${at}.${i.field}`, reason: i.reason })),
  );
}
