import { z } from '@hono/zod-openapi';

export const HealthCheck = z.object({ name: z.string(), label: z.string(), count: z.number().int(), examples: z.array(z.string()) }).openapi('HealthCheck');
export type HealthCheck = z.infer<typeof HealthCheck>;
export const DataHealth = z.object({ ok: z.boolean(), checks: z.array(HealthCheck) }).openapi('DataHealth');
export type DataHealth = z.infer<typeof DataHealth>;
/** What the page shows: the last finished run (its time and length), and whether one is running now. */
export const DataHealthStatus = z
  .object({
    ok: z.boolean().nullable(),
    checks: z.array(HealthCheck),
    checked_at: z.string().nullable(),
    took_ms: z.number().int().nullable(),
    running: z.boolean(),
    running_since: z.string().nullable(),
    error: z.string().nullable(),
  })
  .openapi('DataHealthStatus');
export type DataHealthStatus = z.infer<typeof DataHealthStatus>;
