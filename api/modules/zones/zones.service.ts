import { sql } from 'drizzle-orm';
import { customers, zones } from '../../../db/schema/index.js';
import type { Resource } from '../../lib/crud.js';

const customerCount = sql<number>`(select count(*)::int from ${customers} where ${customers.zone_id} = ${zones.id})`;

export const zoneColumns = { customer_count: customerCount };

export const zoneResource: Resource = {
  name: 'zones',
  label: 'Zone',
  table: zones,
  selection: { id: zones.id, name: zones.name, depot_id: zones.depot_id, created_at: zones.created_at, updated_at: zones.updated_at, customer_count: customerCount.as('customer_count') },
};
