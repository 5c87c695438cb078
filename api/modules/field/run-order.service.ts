import { and, asc, eq, sql } from 'drizzle-orm';
import { staff, staffRoutes, staffRouteStops } from '../../../db/schema/index.js';
import { audit } from '../../lib/audit.js';
import { type Ctx, transaction } from '../../lib/context.js';
import { todayIST } from '../../lib/dates.js';
import { AppError, notFound } from '../../lib/errors.js';
import { rowsOf } from '../../lib/sql.js';
import type { OptimiseBody, RunOrder, RunOrderBody } from './field.schemas.js';
import { optimiseRoute, pathLengthM, type Point } from './route-optimiser.js';

type Shift = 'morning' | 'evening';
type Depot = { id: string; name: string; lat: number; lng: number };
interface Stop {
  address_id: string;
  lat: number | null;
  lng: number | null;
}

/** The depot a staff member's runs start from: their home zone's, when it has an active one. */
export async function depotOf(ctx: Ctx, staffId: string): Promise<Depot | null> {
  const [depot] = rowsOf<Depot>(
    await ctx.db.execute(sql`
      select dp.id, dp.name, dp.lat, dp.lng from staff s join zones z on z.id = s.zone_id join depots dp on dp.id = z.depot_id
      where s.id = ${staffId} and dp.is_active`),
  );
  return depot ? { ...depot, lat: Number(depot.lat), lng: Number(depot.lng) } : null;
}

/**
 * The distinct addresses of a run on one day (cancelled orders left out), in the run sheet's order: their stored
 * place first, then (new stops) by PIN code and street.
 */
async function stopsOfDay(ctx: Ctx, staffId: string, shift: Shift, date: string): Promise<Stop[]> {
  const rows = rowsOf<Stop>(
    await ctx.db.execute(sql`
      select a.id as address_id, a.lat, a.lng, min(rs.position) as position, min(a.pin_code) as pin_code, min(a.line1) as line1
      from deliveries d
      join orders o on o.id = d.order_id
      join addresses a on a.id = o.address_id
      left join staff_routes r on r.staff_id = d.staff_id and r.shift = o.shift
      left join staff_route_stops rs on rs.route_id = r.id and rs.address_id = a.id
      where d.staff_id = ${staffId} and d.order_date = ${date} and o.shift = ${shift} and o.status <> 'cancelled'
      group by a.id
      order by min(rs.position) asc nulls last, min(a.pin_code), min(a.line1), a.id`),
  );
  return rows.map((r) => ({ address_id: r.address_id, lat: r.lat === null ? null : Number(r.lat), lng: r.lng === null ? null : Number(r.lng) }));
}

/**
 * The stored order after a day's run was put in a new order: the day's stops in their new order, and each stored
 * address that was not on that day's run (an alternate-day customer) kept right after the stop it followed before,
 * so it finds its place again on the days it is on the run.
 */
export function mergeOrder(stored: string[], day: string[]): string[] {
  const onDay = new Set(day);
  const followers = new Map<string | null, string[]>();
  let anchor: string | null = null;
  for (const id of stored) {
    if (onDay.has(id)) anchor = id;
    else followers.set(anchor, [...(followers.get(anchor) ?? []), id]);
  }
  return [...(followers.get(null) ?? []), ...day.flatMap((id) => [id, ...(followers.get(id) ?? [])])];
}

/** Metres along the stops with a position, in the order given, from the depot (or the first of them). */
export function distanceOf(stops: Stop[], depot: Depot | null): number {
  const placed = stops.filter((s): s is Stop & Point => s.lat !== null && s.lng !== null);
  return Math.round(pathLengthM(placed, placed.map((_, i) => i), depot));
}

const startOf = (depot: Depot | null): RunOrder['start'] => (depot ? { kind: 'depot', depot } : { kind: 'first_stop', depot: null });

async function storeOrder(ctx: Ctx, input: { staff_id: string; shift: Shift; date: string }, day: Stop[], depot: Depot | null, action: string): Promise<RunOrder> {
  const distance = distanceOf(day, depot);
  return transaction(ctx, async (tx) => {
    // Two saves of one run at once: the upsert locks the route's row, so the second waits and then replaces the first.
    const [route] = await tx.db
      .insert(staffRoutes)
      .values({ staff_id: input.staff_id, shift: input.shift, distance_m: distance, updated_by: tx.actor?.id ?? null })
      .onConflictDoUpdate({ target: [staffRoutes.staff_id, staffRoutes.shift], set: { distance_m: distance, updated_by: tx.actor?.id ?? null, updated_at: new Date() } })
      .returning({ id: staffRoutes.id });
    const before = await tx.db.select({ address_id: staffRouteStops.address_id }).from(staffRouteStops).where(eq(staffRouteStops.route_id, route.id)).orderBy(asc(staffRouteStops.position));
    const order = mergeOrder(
      before.map((b) => b.address_id),
      day.map((s) => s.address_id),
    );
    await tx.db.delete(staffRouteStops).where(eq(staffRouteStops.route_id, route.id));
    await tx.db.insert(staffRouteStops).values(order.map((address_id, i) => ({ route_id: route.id, address_id, position: i + 1 })));
    await audit(tx, {
      action,
      table: 'staff_routes',
      recordId: route.id,
      before: { order: before.map((b) => b.address_id) },
      after: { staff_id: input.staff_id, shift: input.shift, date: input.date, distance_m: distance, order },
    });
    return {
      staff_id: input.staff_id,
      shift: input.shift,
      date: input.date,
      start: startOf(depot),
      distance_m: distance,
      stops: day.map((s, i) => ({ position: i + 1, ...s })),
    };
  });
}

async function runOf(ctx: Ctx, input: { staff_id: string; shift: Shift; date?: string }) {
  const [member] = await ctx.db.select({ id: staff.id }).from(staff).where(and(eq(staff.id, input.staff_id)));
  if (!member) throw notFound('Staff member');
  const date = input.date ?? todayIST();
  const day = await stopsOfDay(ctx, input.staff_id, input.shift, date);
  if (!day.length) throw new AppError(422, 'run_empty', `This run has no stops on ${date} (${input.shift}): nothing to put in order.`);
  return { date, day, depot: await depotOf(ctx, input.staff_id) };
}

/**
 * Puts a run in order from its depot (nearest neighbour, then 2-opt) and keeps that order for the run's next days.
 * Stops whose address has no position go last, in their current order. Without a depot the first stop is chosen too.
 */
export async function optimiseRun(ctx: Ctx, input: OptimiseBody): Promise<RunOrder> {
  const { date, day, depot } = await runOf(ctx, input);
  const placed = day.filter((s): s is Stop & Point => s.lat !== null && s.lng !== null);
  const { order } = optimiseRoute(placed, depot);
  const ordered = [...order.map((i) => placed[i]), ...day.filter((s) => s.lat === null || s.lng === null)];
  return storeOrder(ctx, { ...input, date }, ordered, depot, 'optimise');
}

/** Keeps the order a manager set by hand (the day's stops, each once), and answers its distance. */
export async function saveRunOrder(ctx: Ctx, input: RunOrderBody): Promise<RunOrder> {
  const { date, day, depot } = await runOf(ctx, input);
  const byId = new Map(day.map((s) => [s.address_id, s]));
  const given = new Set(input.address_ids);
  if (given.size !== input.address_ids.length || given.size !== day.length || input.address_ids.some((id) => !byId.has(id))) {
    throw new AppError(422, 'run_changed', `The order must list each of the run's ${day.length} stops of ${date} once: the run changed meanwhile, reload it.`);
  }
  return storeOrder(ctx, { ...input, date }, input.address_ids.map((id) => byId.get(id)!), depot, 'reorder');
}
