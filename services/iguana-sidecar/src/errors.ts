/** An error the API answers with its own status: 4xx for the caller's input, 5xx for Iguana or a chain. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The field of the request at fault, when there is one. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Replaces every occurrence of a secret in a text (an error string Iguana or a daemon sent back). */
export function scrub(text: string, secret: string): string {
  return secret.length > 0 ? text.split(secret).join('[redacted]') : text;
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
