import { z } from '@hono/zod-openapi';

export const ZoneCreate = z.object({ name: z.string().trim().min(1, 'Enter a zone name.').max(80, 'At most 80 characters.') });
export const ZoneUpdate = ZoneCreate.partial();
