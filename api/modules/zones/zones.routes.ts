import { sql } from 'drizzle-orm';
import { z } from '@hono/zod-openapi';
import { customers, zones } from '../../../db/schema/index.js';
import type { Resource } from '../../lib/crud.js';
import { mountResource, type Router } from '../../lib/http.js';

const customerCount = sql<number>`(select count(*)::int from ${customers} where ${customers.zone_id} = ${zones.id})`;

export const zoneResource: Resource = {
  name: 'zones',
  label: 'Zone',
  table: zones,
  selection: { id: zones.id, name: zones.name, created_at: zones.created_at, updated_at: zones.updated_at, customer_count: customerCount.as('customer_count') },
};

const ZoneBody = z.object({ name: z.string().trim().min(1, 'Enter a zone name.').max(80, 'At most 80 characters.') });

export function mountZones(app: Router) {
  mountResource(app, {
    resource: zoneResource,
    list: {
      fields: {
        id: { column: zones.id, type: 'uuid' },
        name: { column: zones.name, type: 'text', sortable: true },
        created_at: { column: zones.created_at, type: 'timestamp', sortable: true },
        customer_count: { column: customerCount, type: 'int', sortable: true, filterable: false },
      },
      search: [zones.name],
      defaultSort: { field: 'name', order: 'asc' },
    },
    create: { body: ZoneBody },
    update: { body: ZoneBody.partial() },
    // customers_zone_id_fk (ON DELETE RESTRICT) refuses the delete while a customer is in the zone.
    remove: true,
  });
}
