import { z } from '@hono/zod-openapi';

export const HealthCheck = z.object({ name: z.string(), label: z.string(), count: z.number().int(), examples: z.array(z.string()) }).openapi('HealthCheck');
export type HealthCheck = z.infer<typeof HealthCheck>;
export const DataHealth = z.object({ ok: z.boolean(), checks: z.array(HealthCheck) }).openapi('DataHealth');
export type DataHealth = z.infer<typeof DataHealth>;
