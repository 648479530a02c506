import { z } from 'zod';

// Names that end up in Docker object names, Kubernetes resource names, Redis keys and file paths are kept
// to DNS labels (RFC 1123: lower-case letters, digits, '-', at most 63, alphanumeric at both ends), which
// every one of those accepts and none can escape from.

export const DNS_LABEL_MAX = 63;
const DNS_LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** Why `value` is not a DNS label, or undefined when it is. */
export function dnsLabelProblem(value: string): string | undefined {
  if (value.length === 0) return 'must not be empty';
  if (value.length > DNS_LABEL_MAX) return `is ${value.length} characters; at most ${DNS_LABEL_MAX}`;
  if (!DNS_LABEL.test(value))
    return 'may only contain a-z, 0-9 and "-", and must start and end with a letter or digit';
  return undefined;
}

function labelString(what: string) {
  return z.string({ error: `must be a string (${what})` }).superRefine((value, ctx) => {
    const problem = dnsLabelProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
}

/** A node (a Docker engine; a Kubernetes node once that runtime exists) name. */
export const nodeNameSchema = labelString('a node name').brand<'NodeName'>();
export type NodeName = z.infer<typeof nodeNameSchema>;

const LABEL_KEY = /^[a-z0-9]([a-z0-9._/-]{0,61}[a-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?)?$/;

/** Node labels used by placement constraints, e.g. `{ "zone": "eu", "disk": "nvme" }`. */
export const labelsSchema = z
  .record(
    z.string().regex(LABEL_KEY, {
      error: 'label keys: a-z, 0-9, ".", "_", "/", "-", at most 63, alphanumeric at both ends',
    }),
    z.string({ error: 'must be a string' }).regex(LABEL_VALUE, {
      error: 'label values: A-Z, a-z, 0-9, ".", "_", "-", at most 63, alphanumeric at both ends',
    }),
  )
  .refine((labels) => Object.keys(labels).length <= 32, { error: 'at most 32 labels' });
export type Labels = z.infer<typeof labelsSchema>;

/** A client or API key id recorded on a job (who asked); an id, never the key itself. */
export const actorSchema = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{1,64}$/, { error: 'an actor id: 1-64 of A-Z, a-z, 0-9, ".", "_", ":", "-"' });
