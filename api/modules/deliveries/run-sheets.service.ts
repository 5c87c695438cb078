import { and, asc, eq, ne, sql } from 'drizzle-orm';
import { addresses, customers, deliveries, deliveryItems, orderItems, orders, products, staff, staffRoutes, staffRouteStops } from '../../../db/schema/index.js';
import { ownStaffScope } from '../../lib/access.js';
import type { Ctx } from '../../lib/context.js';
import { todayIST } from '../../lib/dates.js';
import { forbidden, notFound } from '../../lib/errors.js';
import type { RunSheetInput } from './deliveries.schemas.js';
import { depotOf, distanceOf } from '../field/run-order.service.js';

export interface RunSheetItem {
  order_item_id: string;
  product_name: string;
  unit_size: string;
  quantity: number;
  /** What was recorded at confirmation; null while the delivery is pending or failed. */
  delivered_quantity: number | null;
}

export interface RunSheetStop {
  stop_number: number;
  delivery_id: string;
  order_id: string;
  status: string;
  staff_id: string | null;
  staff_name: string | null;
  customer_name: string;
  phone: string;
  address_id: string;
  address: { line1: string; line2: string; landmark: string; pin_code: string; lat: number | null; lng: number | null };
  items: RunSheetItem[];
}

export interface RunSheet {
  date: string;
  shift: 'morning' | 'evening';
  staff: { id: string; name: string } | null;
  stops: RunSheetStop[];
  totals: { product_name: string; unit_size: string; quantity: number }[];
  /** One staff member's run: where it starts and its length in this order (stops without a position left out). */
  route: { start: 'depot' | 'first_stop'; depot: { id: string; name: string; lat: number; lng: number } | null; distance_m: number; ordered: boolean } | null;
}

/**
 * The stops of one date and shift (cancelled orders left out), for one staff member or, without staff_id, for everyone
 * grouped by staff (unassigned last). Within a staff member's run, stops go in the run's stored order (optimised or set
 * by hand: api/modules/field/run-order.service.ts), then those without a place by PIN code and street; stop_number
 * restarts for each staff member. Totals are the ordered quantities to load.
 */
export async function runSheet(ctx: Ctx, input: RunSheetInput): Promise<RunSheet> {
  const scope = ownStaffScope(ctx.actor, 'run-sheets', 'list');
  if (scope && input.staff_id && input.staff_id !== scope) throw forbidden('You can only see your own run sheet.');
  const staffId = scope ?? input.staff_id ?? null;
  const date = input.date ?? todayIST();
  const shift = input.shift ?? 'morning';

  let member: RunSheet['staff'] = null;
  if (staffId) {
    [member] = await ctx.db.select({ id: staff.id, name: staff.name }).from(staff).where(eq(staff.id, staffId));
    if (!member) throw notFound('Staff member');
  }

  const where = and(
    eq(deliveries.order_date, date),
    eq(orders.shift, shift),
    ne(orders.status, 'cancelled'),
    staffId ? eq(deliveries.staff_id, staffId) : undefined,
  );
  const stopRows = await ctx.db
    .select({
      delivery_id: deliveries.id,
      order_id: deliveries.order_id,
      status: deliveries.status,
      staff_id: deliveries.staff_id,
      staff_name: staff.name,
      customer_name: customers.name,
      phone: customers.phone,
      address_id: orders.address_id,
      route_position: staffRouteStops.position,
      line1: addresses.line1,
      line2: addresses.line2,
      landmark: addresses.landmark,
      pin_code: addresses.pin_code,
      lat: addresses.lat,
      lng: addresses.lng,
    })
    .from(deliveries)
    .innerJoin(orders, eq(orders.id, deliveries.order_id))
    .innerJoin(customers, eq(customers.id, orders.customer_id))
    .innerJoin(addresses, eq(addresses.id, orders.address_id))
    .leftJoin(staff, eq(staff.id, deliveries.staff_id))
    .leftJoin(staffRoutes, and(eq(staffRoutes.staff_id, deliveries.staff_id), eq(staffRoutes.shift, orders.shift)))
    .leftJoin(staffRouteStops, and(eq(staffRouteStops.route_id, staffRoutes.id), eq(staffRouteStops.address_id, orders.address_id)))
    .where(where)
    .orderBy(sql`${staff.name} asc nulls last`, sql`${deliveries.staff_id} asc nulls last`, sql`${staffRouteStops.position} asc nulls last`, asc(addresses.pin_code), asc(addresses.line1), asc(customers.name), asc(deliveries.id));

  const itemRows = stopRows.length
    ? await ctx.db
        .select({
          order_id: orderItems.order_id,
          order_item_id: orderItems.id,
          product_name: products.name,
          unit_size: products.unit_size,
          quantity: orderItems.quantity,
          delivered_quantity: deliveryItems.quantity,
        })
        .from(orderItems)
        .innerJoin(deliveries, eq(deliveries.order_id, orderItems.order_id))
        .innerJoin(orders, eq(orders.id, orderItems.order_id))
        .innerJoin(products, eq(products.id, orderItems.product_id))
        .leftJoin(deliveryItems, eq(deliveryItems.order_item_id, orderItems.id))
        .where(where)
        .orderBy(asc(products.name), asc(orderItems.id))
    : [];

  const itemsByOrder = new Map<string, RunSheetItem[]>();
  const totals = new Map<string, { product_name: string; unit_size: string; quantity: number }>();
  for (const { order_id, ...item } of itemRows) {
    itemsByOrder.set(order_id, [...(itemsByOrder.get(order_id) ?? []), item]);
    const key = `${item.product_name}\u0000${item.unit_size}`;
    const total = totals.get(key) ?? { product_name: item.product_name, unit_size: item.unit_size, quantity: 0 };
    total.quantity += item.quantity;
    totals.set(key, total);
  }

  let previousStaff: string | null | undefined;
  let n = 0;
  const stops = stopRows.map((s): RunSheetStop => {
    if (s.staff_id !== previousStaff) n = 0;
    previousStaff = s.staff_id;
    return {
      stop_number: ++n,
      delivery_id: s.delivery_id,
      order_id: s.order_id,
      status: s.status,
      staff_id: s.staff_id,
      staff_name: s.staff_name,
      customer_name: s.customer_name,
      phone: s.phone,
      address_id: s.address_id,
      address: { line1: s.line1, line2: s.line2, landmark: s.landmark, pin_code: s.pin_code, lat: s.lat, lng: s.lng },
      items: itemsByOrder.get(s.order_id) ?? [],
    };
  });
  let route: RunSheet['route'] = null;
  if (member) {
    const depot = await depotOf(ctx, member.id);
    // Distance over distinct addresses (two orders at one door are one stop), in the sheet's order.
    const seen = new Set<string>();
    const places = stops.filter((s) => !seen.has(s.address_id) && seen.add(s.address_id)).map((s) => ({ address_id: s.address_id, lat: s.address.lat, lng: s.address.lng }));
    route = { start: depot ? 'depot' : 'first_stop', depot, distance_m: distanceOf(places, depot), ordered: stopRows.some((s) => s.route_position !== null) };
  }
  return { date, shift, staff: member, route, stops, totals: [...totals.values()].sort((a, b) => a.product_name.localeCompare(b.product_name) || a.unit_size.localeCompare(b.unit_size)) };
}
