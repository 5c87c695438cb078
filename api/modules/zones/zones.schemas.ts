import { z } from '@hono/zod-openapi';
import { zones } from '../../../db/schema/index.js';
import { tableRow } from '../../lib/schemas.js';

export const ZoneCreate = z.object({
  name: z.string().trim().min(1, 'Enter a zone name.').max(80, 'At most 80 characters.'),
  // The depot its runs start from and its stock comes from (zones_depot_id_fk says when there is none such).
  depot_id: z.uuid('Choose a depot.').nullable().optional(),
});
export const ZoneUpdate = ZoneCreate.partial();

export const Zone = tableRow(zones).extend({ customer_count: z.number().int() }).openapi('Zone');
export type Zone = z.infer<typeof Zone>;
