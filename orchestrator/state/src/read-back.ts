import { CorruptStateError, fieldIssues } from '@nn/orchestrator-core';
import type { z } from 'zod';

// Whatever comes back from Redis is untrusted until its schema passes: a hand-edited key or a layout from
// another version becomes a CorruptStateError naming the key, never a half-typed object.

export function parseJsonAt(location: string, raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch (err) {
    throw new CorruptStateError(location, `not JSON (${err instanceof Error ? err.message : String(err)})`);
  }
}

export function validateAt<S extends z.ZodType>(location: string, schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const reasons = fieldIssues(result.error.issues).map((i) =>
    i.field === '' ? i.reason : `${i.field}: ${i.reason}`,
  );
  throw new CorruptStateError(location, reasons.join('; '));
}
