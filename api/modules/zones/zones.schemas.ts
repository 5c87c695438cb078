import { z } from '@hono/zod-openapi';
import { zones } from '../../../db/schema/index.js';
import { tableRow } from '../../lib/schemas.js';

export const ZoneCreate = z.object({ name: z.string().trim().min(1, 'Enter a zone name.').max(80, 'At most 80 characters.') });
export const ZoneUpdate = ZoneCreate.partial();

export const Zone = tableRow(zones).extend({ customer_count: z.number().int() }).openapi('Zone');
export type Zone = z.infer<typeof Zone>;
