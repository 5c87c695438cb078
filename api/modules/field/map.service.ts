import { sql, type SQL } from 'drizzle-orm';
import { zoneScope } from '../../lib/access.js';
import type { Ctx } from '../../lib/context.js';
import { addDays, todayIST } from '../../lib/dates.js';
import { AppError } from '../../lib/errors.js';
import { rowsOf } from '../../lib/sql.js';
import { MAP_DAYS_AHEAD, MAP_DAYS_BACK, MAP_MAX_DELIVERIES, type MapAnswer, type MapDelivery, type MapQuery } from './field.schemas.js';

export interface TileConfig {
  url: string;
  attribution: string;
}

/** The IST day's first instant and the next day's, as epoch milliseconds. */
export function istDayBounds(day: string): { from: number; to: number } {
  const from = Date.parse(`${day}T00:00:00+05:30`);
  return { from, to: from + 24 * 60 * 60_000 };
}

const toIso = (v: string | Date) => new Date(v).toISOString();

/**
 * The live map of one day and shift: its deliveries (cancelled orders left out) with customer, address position,
 * items, status, staff and zone, at most MAP_MAX_DELIVERIES of them (filter by zone or staff past that); the active
 * staff of those zones with their last position of the day; and the depots the runs start from. A manager limited to
 * some zones sees only theirs.
 */
export async function liveMap(ctx: Ctx, input: MapQuery, tile: TileConfig): Promise<MapAnswer> {
  const today = todayIST();
  const date = input.date ?? today;
  if (date < addDays(today, -MAP_DAYS_BACK) || date > addDays(today, MAP_DAYS_AHEAD)) {
    throw new AppError(422, 'date_out_of_range', `The map shows days from ${MAP_DAYS_BACK} days back to ${MAP_DAYS_AHEAD} days ahead (${addDays(today, -MAP_DAYS_BACK)} to ${addDays(today, MAP_DAYS_AHEAD)}).`);
  }
  const shift = input.shift;
  const zones = zoneScope(ctx);
  const zoneIn = (column: SQL) => (zones ? sql` and ${column} = any(${uuidArray(zones)})` : sql``);
  const deliveryWhere = sql`o.delivery_date = ${date} and o.shift = ${shift} and o.status <> 'cancelled'
    ${input.zone_id ? sql` and c.zone_id = ${input.zone_id}` : sql``}
    ${input.staff_id ? sql` and d.staff_id = ${input.staff_id}` : sql``}
    ${zoneIn(sql.raw('c.zone_id'))}`;

  const [{ total }] = rowsOf<{ total: number }>(
    await ctx.db.execute(sql`select count(*)::int as total from deliveries d join orders o on o.id = d.order_id join customers c on c.id = o.customer_id where d.order_date = ${date} and ${deliveryWhere}`),
  );
  const rows = rowsOf<Omit<MapDelivery, 'items'>>(
    await ctx.db.execute(sql`
      select d.id as delivery_id, d.order_id, d.status, c.id as customer_id, c.name as customer_name, c.phone,
             address_line(a.line1, a.line2, a.landmark) as address_line, a.pin_code, a.lat, a.lng,
             d.staff_id, s.name as staff_name, z.id as zone_id, z.name as zone_name
      from deliveries d
      join orders o on o.id = d.order_id
      join customers c on c.id = o.customer_id
      join zones z on z.id = c.zone_id
      join addresses a on a.id = o.address_id
      left join staff s on s.id = d.staff_id
      where d.order_date = ${date} and ${deliveryWhere}
      order by z.name, s.name nulls last, c.name, d.id
      limit ${MAP_MAX_DELIVERIES}`),
  );
  const orderIds = rows.map((r) => r.order_id);
  const items = orderIds.length
    ? rowsOf<{ order_id: string; product_name: string; unit_size: string; quantity: number; delivered_quantity: number | null }>(
        await ctx.db.execute(sql`
          select oi.order_id, p.name as product_name, p.unit_size, oi.quantity, di.quantity as delivered_quantity
          from order_items oi join products p on p.id = oi.product_id left join delivery_items di on di.order_item_id = oi.id
          where oi.order_id = any(${uuidArray(orderIds)})
          order by p.name, oi.id`),
      )
    : [];
  const itemsByOrder = new Map<string, MapDelivery['items']>();
  for (const { order_id, ...item } of items) itemsByOrder.set(order_id, [...(itemsByOrder.get(order_id) ?? []), item]);
  const deliveries: MapDelivery[] = rows.map((r) => ({ ...r, lat: r.lat === null ? null : Number(r.lat), lng: r.lng === null ? null : Number(r.lng), items: itemsByOrder.get(r.order_id) ?? [] }));

  // Staff: those of the zone (or all zones in scope) and anyone with a delivery on the map; their last position of
  // the day read through the unique key (staff_id, bucket), newest slot of the day first.
  const { from, to } = istDayBounds(date);
  const [lo, hi] = [Math.floor(from / 10_000), Math.floor(to / 10_000)];
  const staffRows = rowsOf<{ staff_id: string; name: string; zone_id: string | null; zone_name: string | null; lat: number | null; lng: number | null; accuracy_m: number | null; recorded_at: string | Date | null }>(
    await ctx.db.execute(sql`
      select s.id as staff_id, s.name, s.zone_id, z.name as zone_name, p.lat, p.lng, p.accuracy_m, p.recorded_at
      from staff s
      left join zones z on z.id = s.zone_id
      left join lateral (
        select sp.lat, sp.lng, sp.accuracy_m, sp.recorded_at from staff_positions sp
        where sp.staff_id = s.id and sp.bucket >= ${lo} and sp.bucket < ${hi}
        order by sp.bucket desc limit 1
      ) p on true
      where s.is_active
        ${input.staff_id ? sql` and s.id = ${input.staff_id}` : sql``}
        and (
          (true ${input.zone_id ? sql` and s.zone_id = ${input.zone_id}` : sql``} ${zoneIn(sql.raw('s.zone_id'))})
          or s.id in (select d.staff_id from deliveries d join orders o on o.id = d.order_id join customers c on c.id = o.customer_id
                      where d.order_date = ${date} and d.staff_id is not null and ${deliveryWhere})
        )
      order by s.name, s.id
      limit 500`),
  );
  const staff = staffRows.map((s) => ({
    staff_id: s.staff_id,
    name: s.name,
    zone_id: s.zone_id,
    zone_name: s.zone_name,
    position: s.recorded_at === null ? null : { staff_id: s.staff_id, lat: Number(s.lat), lng: Number(s.lng), accuracy_m: s.accuracy_m === null ? null : Number(s.accuracy_m), at: toIso(s.recorded_at) },
  }));

  const depots = rowsOf<{ id: string; name: string; lat: number; lng: number; zone_ids: string[] | string }>(
    await ctx.db.execute(sql`
      select dp.id, dp.name, dp.lat, dp.lng, array_agg(z.id order by z.name) as zone_ids
      from depots dp join zones z on z.depot_id = dp.id
      where dp.is_active ${input.zone_id ? sql` and z.id = ${input.zone_id}` : sql``} ${zoneIn(sql.raw('z.id'))}
      group by dp.id order by dp.name`),
  ).map((d) => ({ id: d.id, name: d.name, lat: Number(d.lat), lng: Number(d.lng), zone_ids: pgArray(d.zone_ids) }));

  return { date, shift, deliveries, total, truncated: total > deliveries.length, staff, depots, tile };
}

/** ids as a uuid[] literal of bound parameters (each one a parameter, so nothing is spliced into the text). */
export const uuidArray = (ids: string[]): SQL => sql`array[${sql.join(ids.map((id) => sql`${id}`), sql`, `)}]::uuid[]`;

/** A uuid[] as the drivers give it: an array (postgres-js) or its text form '{a,b}' (some PGlite paths). */
export function pgArray(v: string[] | string): string[] {
  if (Array.isArray(v)) return v;
  return v.replace(/^\{|\}$/g, '').split(',').filter(Boolean);
}
