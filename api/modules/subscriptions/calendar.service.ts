import { eq, sql } from 'drizzle-orm';
import { customers } from '../../../db/schema/index.js';
import { inZoneScope } from '../../lib/access.js';
import type { Ctx } from '../../lib/context.js';
import { addDays, daysBetween, monthBounds, todayIST } from '../../lib/dates.js';
import { notFound } from '../../lib/errors.js';
import { rowsOf } from '../../lib/sql.js';
import { scheduledOn, type Shift } from './schedule.js';
import type { Clock } from './subscriptions.service.js';

/**
 * What a day shows for one subscription or one-time item:
 * - scheduled: today or later, to be delivered (no order yet, or its order is pending)
 * - pending:   a past day whose order was never confirmed
 * - missed:    a past day the plan owed but no order was generated for
 * - delivered / partial / failed: the delivery's outcome
 * - cancelled: the order was cancelled
 * - paused:    a delivery day inside a pause
 * - skipped:   a delivery day set to 0 by a one-day change
 */
export type CalendarStatus = 'scheduled' | 'pending' | 'missed' | 'delivered' | 'partial' | 'failed' | 'cancelled' | 'paused' | 'skipped';

export interface CalendarEntry {
  kind: 'subscription' | 'one_time';
  subscription_id: string | null;
  order_id: string | null;
  product_id: string;
  product_name: string;
  shift: Shift;
  /** Ordered (or planned) quantity; 0 when paused or skipped. */
  quantity: number;
  /** Recorded at confirmation; null until then. */
  delivered_quantity: number | null;
  status: CalendarStatus;
}

export interface CalendarDay {
  date: string;
  entries: CalendarEntry[];
}

export interface Calendar {
  customer_id: string;
  month: string;
  today: string;
  days: CalendarDay[];
}

interface PlanRow {
  subscription_id: string;
  product_id: string;
  product_name: string;
  shift: Shift;
  quantity: number;
  cancelled_on: string | null;
  deliverable: boolean;
  day: string;
  scheduled: boolean;
  override_quantity: number | null;
  paused: boolean;
}

interface OrderRow {
  order_id: string;
  kind: 'subscription' | 'one_time';
  subscription_id: string | null;
  day: string;
  shift: Shift;
  order_status: string;
  delivery_status: string | null;
  product_id: string;
  product_name: string;
  quantity: number;
  delivered_quantity: number | null;
}

function orderStatus(o: OrderRow, today: string): CalendarStatus {
  if (o.order_status === 'cancelled') return 'cancelled';
  if (o.delivery_status === 'delivered' || o.delivery_status === 'partial' || o.delivery_status === 'failed') return o.delivery_status;
  if (o.order_status === 'delivered') return 'delivered';
  if (o.order_status === 'partially_delivered') return 'partial';
  if (o.order_status === 'failed') return 'failed';
  return o.day >= today ? 'scheduled' : 'pending';
}

const fromOrder = (o: OrderRow, today: string): CalendarEntry => ({
  kind: o.kind,
  subscription_id: o.subscription_id,
  order_id: o.order_id,
  product_id: o.product_id,
  product_name: o.product_name,
  shift: o.shift,
  quantity: o.quantity,
  delivered_quantity: o.delivered_quantity,
  status: orderStatus(o, today),
});

/** A customer's month: every day with what each subscription and one-time order does on it. */
export async function customerCalendar(ctx: Ctx, customerId: string, month: string | undefined, opts: Clock = {}): Promise<Calendar> {
  const today = opts.today ?? todayIST();
  const m = month ?? today.slice(0, 7);
  const { start, end } = monthBounds(m);
  const [customer] = await ctx.db.select({ id: customers.id, zone_id: customers.zone_id }).from(customers).where(eq(customers.id, customerId));
  if (!customer || !inZoneScope(ctx, customer.zone_id)) throw notFound('Customer');

  const day = sql`g.day`;
  const plan = rowsOf<PlanRow>(
    await ctx.db.execute(sql`
      select s.id as subscription_id, s.product_id, p.name as product_name, s.shift, s.quantity,
             (s.cancelled_at at time zone 'Asia/Kolkata')::date::text as cancelled_on,
             (c.status = 'active' and p.is_active) as deliverable,
             g.day::text as day, ${scheduledOn('s', day)} as scheduled, ov.quantity as override_quantity,
             exists (select 1 from subscription_pauses sp where sp.subscription_id = s.id and g.day between sp.from_date and sp.to_date) as paused
      from subscriptions s
      join customers c on c.id = s.customer_id
      join products p on p.id = s.product_id
      cross join lateral (
        select ${start}::date + i as day
        from generate_series(greatest(s.start_date, ${start}::date) - ${start}::date, least(coalesce(s.end_date, ${end}::date), ${end}::date) - ${start}::date) as i
      ) g
      left join subscription_overrides ov on ov.subscription_id = s.id and ov.date = g.day
      where s.customer_id = ${customerId} and s.start_date <= ${end}::date and (s.end_date is null or s.end_date >= ${start}::date)`),
  );
  const orders = rowsOf<OrderRow>(
    await ctx.db.execute(sql`
      select o.id as order_id, o.kind, o.subscription_id, o.delivery_date::text as day, o.shift, o.status as order_status,
             d.status as delivery_status, oi.product_id, p.name as product_name, oi.quantity, di.quantity as delivered_quantity
      from orders o
      join order_items oi on oi.order_id = o.id
      join products p on p.id = oi.product_id
      left join deliveries d on d.order_id = o.id
      left join delivery_items di on di.order_item_id = oi.id
      where o.customer_id = ${customerId} and o.delivery_date between ${start}::date and ${end}::date`),
  );

  const days = new Map<string, CalendarEntry[]>();
  // Counted, not compared: a loop on string order of dates never ends past 9999-12-31 (the month is bounded anyway).
  for (let i = 0, n = daysBetween(start, end); i <= n; i++) days.set(addDays(start, i), []);
  const bySubDay = new Map<string, OrderRow[]>();
  for (const o of orders) {
    if (!o.subscription_id) continue;
    const key = `${o.subscription_id}|${o.day}`;
    bySubDay.set(key, [...(bySubDay.get(key) ?? []), o]);
  }
  const used = new Set<OrderRow>();
  const plain = (p: PlanRow, quantity: number, status: CalendarStatus): CalendarEntry => ({
    kind: 'subscription',
    subscription_id: p.subscription_id,
    order_id: null,
    product_id: p.product_id,
    product_name: p.product_name,
    shift: p.shift,
    quantity,
    delivered_quantity: null,
    status,
  });

  for (const p of plan) {
    const entries = days.get(p.day)!;
    const its = bySubDay.get(`${p.subscription_id}|${p.day}`) ?? [];
    its.forEach((o) => used.add(o));
    const live = its.filter((o) => o.order_status !== 'cancelled');
    if (live.length) {
      entries.push(...live.map((o) => fromOrder(o, today)));
      continue;
    }
    // A cancellation takes effect the day after it was made (today's drop may already be on its way).
    const active = p.cancelled_on === null || p.day <= p.cancelled_on;
    const owed = p.override_quantity ?? (p.scheduled ? p.quantity : 0);
    const deliveryDay = p.scheduled || (p.override_quantity ?? 0) > 0;
    if (active && p.paused && deliveryDay) entries.push(plain(p, 0, 'paused'));
    else if (active && p.override_quantity === 0 && p.scheduled) entries.push(plain(p, 0, 'skipped'));
    else if (its.length) entries.push(...its.map((o) => fromOrder(o, today)));
    else if (active && p.deliverable && owed > 0) entries.push(plain(p, owed, p.day >= today ? 'scheduled' : 'missed'));
  }
  // One-time orders, and subscription orders on days outside the plan (e.g. after the end date was moved).
  for (const o of orders) if (!used.has(o)) days.get(o.day)?.push(fromOrder(o, today));

  const shiftRank = (s: Shift) => (s === 'morning' ? 0 : 1);
  const kindRank = (k: CalendarEntry['kind']) => (k === 'subscription' ? 0 : 1);
  return {
    customer_id: customerId,
    month: m,
    today,
    days: [...days].map(([date, entries]) => ({
      date,
      entries: entries.sort(
        (a, b) => shiftRank(a.shift) - shiftRank(b.shift) || kindRank(a.kind) - kindRank(b.kind) || a.product_name.localeCompare(b.product_name),
      ),
    })),
  };
}
