import { z } from 'zod';
import { parseSince, SINCE_FORMAT } from './since.js';

// Shapes of the unit routes: Prometheus' HTTP service discovery reply and the log stream's query.

/** One target group of Prometheus' http_sd_configs: addresses to scrape and the labels they get. */
export const sdTargetGroupSchema = z.object({
  targets: z.array(z.string()),
  labels: z.record(z.string(), z.string()),
});
export const sdTargetsSchema = z.array(sdTargetGroupSchema);
export type SdTargetGroup = z.infer<typeof sdTargetGroupSchema>;

const booleanQuery = z.enum(['true', 'false'], { error: 'must be true or false' });

export const chainLogsQuerySchema = z.strictObject({
  /** Keep the stream open for new lines until the client goes away. */
  follow: booleanQuery.optional(),
  /** The sidecar's log instead of the daemon's. */
  container: z.enum(['daemon', 'sidecar'], { error: 'must be daemon or sidecar' }).optional(),
  since: z
    .string()
    .max(64, { error: 'at most 64 characters' })
    .refine((s) => parseSince(s) !== undefined, { error: `must be ${SINCE_FORMAT}` })
    .optional(),
  /** Only the last N lines (before following). */
  tail: z
    .string()
    .regex(/^\d{1,6}$/, { error: 'must be a whole number of lines' })
    .optional(),
});
