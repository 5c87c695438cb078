import { and, eq, inArray, notInArray, sql } from 'drizzle-orm';
import type { z } from '@hono/zod-openapi';
import { depots, zones } from '../../../db/schema/index.js';
import { audit } from '../../lib/audit.js';
import { transaction, type Ctx } from '../../lib/context.js';
import { getRow, type Resource, type Row } from '../../lib/crud.js';
import { unprocessable } from '../../lib/errors.js';
import type { DepotCreate, DepotUpdate } from './depots.schemas.js';

const zoneIdsOf = sql<string[]>`(select coalesce(array_agg(z.id order by z.name), '{}') from zones z where z.depot_id = ${depots.id})`;
const zoneNamesOf = sql<string[]>`(select coalesce(array_agg(z.name order by z.name), '{}') from zones z where z.depot_id = ${depots.id})`;

export const depotResource: Resource = {
  name: 'depots',
  label: 'Depot',
  table: depots,
  selection: {
    id: depots.id, name: depots.name, city: depots.city, address: depots.address, lat: depots.lat, lng: depots.lng, is_active: depots.is_active,
    created_at: depots.created_at, updated_at: depots.updated_at, zone_ids: zoneIdsOf.as('zone_ids'), zone_names: zoneNamesOf.as('zone_names'),
  },
};

/** Points the given zones at the depot (taking them from any other) and, on update, frees the zones no longer listed. */
async function assignZones(ctx: Ctx, depotId: string, zoneIds: string[], release: boolean) {
  if (zoneIds.length) {
    const found = await ctx.db.select({ id: zones.id }).from(zones).where(inArray(zones.id, zoneIds)).for('update');
    if (found.length !== new Set(zoneIds).size) throw unprocessable('One of the zones does not exist.', 'unknown_zone');
    await ctx.db.update(zones).set({ depot_id: depotId }).where(inArray(zones.id, zoneIds));
  }
  if (release) await ctx.db.update(zones).set({ depot_id: null }).where(and(eq(zones.depot_id, depotId), zoneIds.length ? notInArray(zones.id, zoneIds) : undefined));
}

export async function createDepot(ctx: Ctx, input: z.infer<typeof DepotCreate>): Promise<Row> {
  const { zone_ids, ...values } = input;
  return transaction(ctx, async (tx) => {
    const [row] = await tx.db.insert(depots).values(values).returning({ id: depots.id });
    if (zone_ids) await assignZones(tx, row.id, zone_ids, false);
    const after = await getRow(tx, depotResource, row.id);
    await audit(tx, { action: 'create', table: 'depots', recordId: row.id, after });
    return after;
  });
}

export async function updateDepot(ctx: Ctx, id: string, input: z.infer<typeof DepotUpdate>): Promise<Row> {
  const { zone_ids, ...values } = input;
  return transaction(ctx, async (tx) => {
    const before = await getRow(tx, depotResource, id, { lock: true });
    if (Object.keys(values).length) await tx.db.update(depots).set(values).where(eq(depots.id, id));
    if (zone_ids) await assignZones(tx, id, zone_ids, true);
    const after = await getRow(tx, depotResource, id);
    await audit(tx, { action: 'update', table: 'depots', recordId: id, before, after });
    return after;
  });
}
