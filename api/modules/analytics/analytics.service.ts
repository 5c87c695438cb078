import { sql, type SQL } from 'drizzle-orm';
import { zoneScope } from '../../lib/access.js';
import type { Ctx } from '../../lib/context.js';
import { addDays, daysBetween, todayIST } from '../../lib/dates.js';
import { forbidden, unprocessable } from '../../lib/errors.js';
import { rowsOf } from '../../lib/sql.js';
import { receivablesByZone } from '../receivables/receivables.service.js';

// The analytics page's charts (issue 14 item 5): each one aggregate in SQL over a bounded range of days, optionally
// one zone. Each chart states what it counts so that its figures agree with the list it summarises (tests/api/
// analytics.test.ts compares them): billing records by service date, deliveries by order date, payments by the day
// received, customers by the IST day they were created, subscriptions by their start and cancellation days.

/** The longest range a chart reads: a quarter (a chart of more days than this is no longer read day by day). */
export const MAX_DAYS = 92;

export type ColumnKind = 'date' | 'text' | 'count' | 'paise' | 'litres' | 'percent';
export interface Column {
  key: string;
  label: string;
  kind: ColumnKind;
}
export type ChartRow = Record<string, string | number | null>;
export interface Chart {
  chart: string;
  title: string;
  from: string;
  to: string;
  zone_id: string | null;
  columns: Column[];
  rows: ChartRow[];
  totals: ChartRow;
}
export interface ChartQuery {
  from: string;
  to: string;
  zone_id?: string;
}

/** Where a chart's rows may come from: every zone, or the zones of the filter and of a zone-limited grant. */
interface Scope {
  from: string;
  to: string;
  /** null: every zone. */
  zones: string[] | null;
}

function scopeOf(ctx: Ctx, q: ChartQuery): Scope {
  if (q.to < q.from) throw unprocessable('The range ends before it starts: "to" must be the same day as "from" or later.', 'range_reversed');
  if (daysBetween(q.from, q.to) + 1 > MAX_DAYS) throw unprocessable(`At most ${MAX_DAYS} days at a time.`, 'range_too_long');
  const limited = zoneScope(ctx);
  if (q.zone_id && limited && !limited.includes(q.zone_id)) throw forbidden('That zone is not one of yours.');
  return { from: q.from, to: q.to, zones: q.zone_id ? [q.zone_id] : limited };
}

const n = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const zoneArray = (zones: string[]) => sql`array[${sql.join(zones.map((z) => sql`${z}::uuid`), sql`, `)}]::uuid[]`;
/** `column in (the customers of the scope's zones)`, or true. */
function customerIn(s: Scope, column: SQL): SQL {
  if (!s.zones) return sql`true`;
  if (s.zones.length === 0) return sql`false`;
  return sql`${column} in (select c.id from customers c where c.zone_id = any(${zoneArray(s.zones)}))`;
}
const days = (s: Scope) => sql`generate_series(${s.from}::date, ${s.to}::date, interval '1 day')`;
/** `column = any(the scope's zones)`, or true: for the kept totals, which carry their customer's zone. */
function zoneIn(s: Scope, column: SQL): SQL {
  if (!s.zones) return sql`true`;
  if (s.zones.length === 0) return sql`false`;
  return sql`${column} = any(${zoneArray(s.zones)})`;
}
/**
 * Rows `b` of customer_billed_days with a day in the range: the months it touches, and bits (day d is bit d-1) from
 * its first day in that month to its last (bigint: the mask of a 31-day month needs bit 31 for its end).
 */
const billedInRange = (s: Scope) => sql`b.month between date_trunc('month', ${s.from}::date)::date and ${s.to}::date
  and (b.days::bigint & (((1::bigint << extract(day from least(${s.to}::date, (b.month + interval '1 month' - interval '1 day')::date))::int) - 1)
                         - ((1::bigint << (extract(day from greatest(${s.from}::date, b.month))::int - 1)) - 1))) <> 0`;

/** Millilitres in one unit of a product, read from its unit and size ("500 ml", "1 L"); null when not a liquid. */
const mlPerUnit = sql`(case
  when p.unit_size ~* '^\\s*[0-9]+(\\.[0-9]+)?\\s*ml\\s*$' then substring(p.unit_size from '[0-9]+(?:\\.[0-9]+)?')::numeric
  when p.unit_size ~* '^\\s*[0-9]+(\\.[0-9]+)?\\s*(l|ltr|litre|liter)s?\\s*$' then substring(p.unit_size from '[0-9]+(?:\\.[0-9]+)?')::numeric * 1000
  when p.unit = 'litre' and trim(p.unit_size) = '' then 1000
  when p.unit = 'ml' and trim(p.unit_size) = '' then 1
  else null end)`;

async function run(ctx: Ctx, query: SQL): Promise<ChartRow[]> {
  return rowsOf<ChartRow>(await ctx.db.execute(query));
}

function numbers(rows: ChartRow[], columns: Column[]): ChartRow[] {
  return rows.map((r) => {
    const out: ChartRow = {};
    for (const c of columns) {
      const v = r[c.key];
      out[c.key] = c.kind === 'date' || c.kind === 'text' ? (v === null || v === undefined ? null : String(v)) : v === null || v === undefined ? (c.kind === 'litres' || c.kind === 'percent' ? null : 0) : Number(v);
    }
    return out;
  });
}
function sum(rows: ChartRow[], keys: string[]): ChartRow {
  return Object.fromEntries(keys.map((k) => [k, rows.reduce((a, r) => a + n(r[k]), 0)]));
}
const round3 = (x: number) => Math.round(x * 1000) / 1000;
const rate = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 10000) / 100 : null);

interface ChartDef {
  title: string;
  columns: Column[];
  compute(ctx: Ctx, s: Scope): Promise<{ rows: ChartRow[]; totals: ChartRow }>;
}

export const charts = {
  /** Delivered value per service day: the billing records' totals (GST included). */
  'revenue-by-day': {
    title: 'How much did we deliver each day? (billed value incl. GST)',
    columns: [
      { key: 'date', label: 'Day', kind: 'date' },
      { key: 'orders', label: 'Orders delivered', kind: 'count' },
      { key: 'records', label: 'Billing records', kind: 'count' },
      { key: 'total_paise', label: 'Billed value', kind: 'paise' },
    ],
    async compute(ctx, s) {
      // Every zone: the per-day totals the triggers keep for the dashboard (a few rows a day). Some zones: the same
      // kept per zone (an order is its customer's, so its zone's: the zones' orders add up).
      const perDay = s.zones
        ? sql`select service_date, sum(orders) as orders, sum(records) as records, sum(amount_paise) as total
              from billing_zone_day_totals where service_date between ${s.from}::date and ${s.to}::date and ${zoneIn(s, sql`zone_id`)}
              group by service_date`
        : sql`select service_date, sum(orders) as orders, sum(records) as records, sum(amount_paise) as total
              from billing_day_totals where service_date between ${s.from}::date and ${s.to}::date group by service_date`;
      const rows = await run(
        ctx,
        sql`select g.day::date::text as date, coalesce(t.orders, 0)::int as orders, coalesce(t.records, 0)::int as records, coalesce(t.total, 0)::bigint as total_paise
            from ${days(s)} as g(day) left join (${perDay}) t on t.service_date = g.day::date order by g.day`,
      );
      const out = numbers(rows, this.columns);
      return { rows: out, totals: sum(out, ['orders', 'records', 'total_paise']) };
    },
  },

  /** Units and litres delivered per product and shift (the billing records, the order's shift). */
  'product-shift': {
    title: 'Which products go out on which run? (units and litres by product and shift)',
    columns: [
      { key: 'product_id', label: 'Product id', kind: 'text' },
      { key: 'product', label: 'Product', kind: 'text' },
      { key: 'shift', label: 'Shift', kind: 'text' },
      { key: 'units', label: 'Units', kind: 'count' },
      { key: 'litres', label: 'Litres', kind: 'litres' },
      { key: 'total_paise', label: 'Billed value', kind: 'paise' },
    ],
    async compute(ctx, s) {
      const rows = await run(
        ctx,
        sql`select p.id::text as product_id, p.name as product, t.shift::text as shift, t.units::bigint as units,
                   round(t.units * ${mlPerUnit} / 1000, 3) as litres, t.total::bigint as total_paise
            from (select k.product_id, k.shift, sum(k.units) as units, sum(k.amount_paise) as total
                  from billing_product_day_totals k
                  where k.service_date between ${s.from}::date and ${s.to}::date and ${zoneIn(s, sql`k.zone_id`)}
                  group by k.product_id, k.shift having sum(k.records) <> 0) t
            join products p on p.id = t.product_id
            order by t.total desc, p.name, t.shift`,
      );
      const out = numbers(rows, this.columns);
      const totals = sum(out, ['units', 'litres', 'total_paise']);
      totals.litres = round3(n(totals.litres));
      return { rows: out, totals };
    },
  },

  /** Deliveries by order date and outcome: on time (in full on the day), late, partial, failed, not yet made. */
  'delivery-outcomes': {
    title: 'Did deliveries arrive on time? (on time, late, partial, failed per day)',
    columns: [
      { key: 'date', label: 'Order day', kind: 'date' },
      { key: 'on_time', label: 'On time', kind: 'count' },
      { key: 'late', label: 'Late', kind: 'count' },
      { key: 'partial', label: 'Partial', kind: 'count' },
      { key: 'failed', label: 'Failed', kind: 'count' },
      { key: 'pending', label: 'Not yet made', kind: 'count' },
      { key: 'on_time_rate', label: 'On-time rate %', kind: 'percent' },
    ],
    async compute(ctx, s) {
      const rows = await run(
        ctx,
        sql`select g.day::date::text as date, coalesce(t.on_time, 0)::int as on_time, coalesce(t.late, 0)::int as late,
                   coalesce(t.partial, 0)::int as partial, coalesce(t.failed, 0)::int as failed, coalesce(t.pending, 0)::int as pending
            from ${days(s)} as g(day) left join (
              select k.order_date, sum(k.on_time) as on_time, sum(k.late) as late, sum(k.partial) as partial, sum(k.failed) as failed, sum(k.pending) as pending
              from delivery_zone_day_counts k
              where k.order_date between ${s.from}::date and ${s.to}::date and ${zoneIn(s, sql`k.zone_id`)}
              group by k.order_date) t on t.order_date = g.day::date
            order by g.day`,
      );
      const out = numbers(rows, this.columns).map((r) => ({ ...r, on_time_rate: rate(n(r.on_time), n(r.on_time) + n(r.late) + n(r.partial) + n(r.failed)) }));
      const totals = sum(out, ['on_time', 'late', 'partial', 'failed', 'pending']);
      totals.on_time_rate = rate(n(totals.on_time), n(totals.on_time) + n(totals.late) + n(totals.partial) + n(totals.failed));
      return { rows: out, totals };
    },
  },

  /** Failed deliveries by the reason given (trimmed, case folded). */
  'failure-reasons': {
    title: 'Why did deliveries fail? (failed deliveries by reason)',
    columns: [
      { key: 'reason', label: 'Reason', kind: 'text' },
      { key: 'failed', label: 'Failed deliveries', kind: 'count' },
    ],
    async compute(ctx, s) {
      // From the kept counts (delivery_staff_day_counts: failed deliveries by their trimmed reason): each reason as
      // written with its count in the range, then those written alike (case folded) together, as grouping the rows did.
      const rows = await run(
        ctx,
        sql`select min(r.reason) as reason, sum(r.failed)::int as failed
            from (select k.failure_reason as reason, sum(k.failed) as failed
                  from delivery_staff_day_counts k
                  where k.order_date between ${s.from}::date and ${s.to}::date and k.failure_reason is not null and ${zoneIn(s, sql`k.zone_id`)}
                  group by k.failure_reason
                  having sum(k.failed) <> 0) r
            group by lower(r.reason)
            order by 2 desc, 1`,
      );
      const out = numbers(rows, this.columns);
      return { rows: out, totals: sum(out, ['failed']) };
    },
  },

  /**
   * Subscriptions active at the end of each day, started (start date) and cancelled (the IST day of cancellation)
   * that day; churn is the cancelled over those active at the start of the range.
   */
  subscriptions: {
    title: 'Are subscriptions growing? (active, new and cancelled per day, churn rate)',
    columns: [
      { key: 'date', label: 'Day', kind: 'date' },
      { key: 'active', label: 'Active', kind: 'count' },
      { key: 'started', label: 'New', kind: 'count' },
      { key: 'cancelled', label: 'Cancelled', kind: 'count' },
      { key: 'ended', label: 'Ended (last day passed)', kind: 'count' },
    ],
    async compute(ctx, s) {
      // A subscription is active on a day from its start date to the day before it was cancelled or the day after its
      // end date, whichever comes first. One pass over subscriptions (a few per customer) turns each into events: +1
      // active on its start date, -1 on the day it stops (not before it starts), and a count on the day it started,
      // was cancelled or ended; the days before the range add up to where the running sum starts.
      const rows = await run(
        ctx,
        sql`with subs as (
              select s.start_date, (s.cancelled_at at time zone 'Asia/Kolkata')::date as cancelled_on, s.end_date + 1 as ended_on
              from subscriptions s where ${customerIn(s, sql`s.customer_id`)}
                and s.start_date <= ${s.to}::date
                and (s.cancelled_at is null or (s.cancelled_at at time zone 'Asia/Kolkata')::date >= ${s.from}::date)
                and (s.end_date is null or s.end_date + 1 >= ${s.from}::date)
            ), stop as (
              select start_date, cancelled_on, ended_on, least(cancelled_on, ended_on) as stop_on from subs
            ), events as (
              select start_date as day, 1 as delta, 1 as started, 0 as cancelled, 0 as ended from stop
              union all select greatest(start_date, stop_on), -1, 0, 0, 0 from stop where stop_on is not null
              union all select cancelled_on, 0, 0, 1, 0 from stop where cancelled_on is not null and (ended_on is null or cancelled_on <= ended_on)
              union all select ended_on, 0, 0, 0, 1 from stop where ended_on is not null and (cancelled_on is null or ended_on < cancelled_on)
            ), per_day as (
              select day, sum(delta) as delta, sum(started) as started, sum(cancelled) as cancelled, sum(ended) as ended from events group by day
            )
            select g.day::date::text as date,
                   ((select coalesce(sum(delta), 0) from per_day where day < ${s.from}::date)
                    + sum(coalesce(e.delta, 0)) over (order by g.day))::int as active,
                   coalesce(e.started, 0)::int as started, coalesce(e.cancelled, 0)::int as cancelled, coalesce(e.ended, 0)::int as ended
            from ${days(s)} as g(day) left join per_day e on e.day = g.day::date order by g.day`,
      );
      const out = numbers(rows, this.columns);
      const totals = sum(out, ['started', 'cancelled', 'ended']);
      const activeAtStart = rowsOf<{ n: number }>(
        await ctx.db.execute(sql`select count(*)::int as n from subscriptions s where ${customerIn(s, sql`s.customer_id`)}
          and s.start_date < ${s.from}::date and (s.cancelled_at is null or (s.cancelled_at at time zone 'Asia/Kolkata')::date >= ${s.from}::date)
          and (s.end_date is null or s.end_date >= ${s.from}::date)`),
      )[0];
      totals.active_at_start = n(activeAtStart?.n);
      totals.active = out.length ? n(out[out.length - 1].active) : 0;
      totals.churn_rate = rate(n(totals.cancelled), n(totals.active_at_start));
      return { rows: out, totals };
    },
  },

  /** Customers created per IST day. */
  'new-customers': {
    title: 'How many customers joined? (new customers per day)',
    columns: [
      { key: 'date', label: 'Day', kind: 'date' },
      { key: 'customers', label: 'New customers', kind: 'count' },
    ],
    async compute(ctx, s) {
      const zone = s.zones ? (s.zones.length ? sql`c.zone_id = any(${zoneArray(s.zones)})` : sql`false`) : sql`true`;
      const rows = await run(
        ctx,
        sql`select g.day::date::text as date, coalesce(t.n, 0)::int as customers
            from ${days(s)} as g(day) left join (
              select (c.created_at at time zone 'Asia/Kolkata')::date as day, count(*) as n from customers c
              where c.created_at >= (${s.from}::date::timestamp at time zone 'Asia/Kolkata')
                and c.created_at < ((${s.to}::date + 1)::timestamp at time zone 'Asia/Kolkata') and ${zone}
              group by 1) t on t.day = g.day::date
            order by g.day`,
      );
      const out = numbers(rows, this.columns);
      return { rows: out, totals: sum(out, ['customers']) };
    },
  },

  /** The ten products of most billed value. */
  'top-products': {
    title: 'Which products earn the most? (top 10 by billed value)',
    columns: [
      { key: 'product_id', label: 'Product id', kind: 'text' },
      { key: 'product', label: 'Product', kind: 'text' },
      { key: 'units', label: 'Units', kind: 'count' },
      { key: 'customers', label: 'Customers', kind: 'count' },
      { key: 'total_paise', label: 'Billed value', kind: 'paise' },
    ],
    async compute(ctx, s) {
      // Units and value from the totals kept per day and product; customers (each once, whichever days) from the
      // days each customer was billed for the product, for the ten products only.
      const rows = await run(
        ctx,
        sql`with top as (
              select k.product_id, sum(k.units) as units, sum(k.amount_paise) as total
              from billing_product_day_totals k
              where k.service_date between ${s.from}::date and ${s.to}::date and ${zoneIn(s, sql`k.zone_id`)}
              group by k.product_id having sum(k.records) <> 0 order by total desc limit 10
            ), buyers as (
              select b.product_id, count(distinct b.customer_id) as customers
              from customer_billed_days b
              where b.product_id in (select product_id from top) and ${billedInRange(s)} and ${customerIn(s, sql`b.customer_id`)}
              group by b.product_id
            )
            select p.id::text as product_id, p.name as product, t.units::bigint as units, coalesce(u.customers, 0)::int as customers, t.total::bigint as total_paise
            from top t join products p on p.id = t.product_id left join buyers u on u.product_id = t.product_id
            order by t.total desc, p.name`,
      );
      const out = numbers(rows, this.columns);
      return { rows: out, totals: sum(out, ['units', 'total_paise']) };
    },
  },

  /** Per zone: billed value, deliveries made and failed, customers with a delivery. */
  'zone-comparison': {
    title: 'How do the zones compare? (billed value, deliveries and failures by zone)',
    columns: [
      { key: 'zone_id', label: 'Zone id', kind: 'text' },
      { key: 'zone', label: 'Zone', kind: 'text' },
      { key: 'customers', label: 'Customers billed', kind: 'count' },
      { key: 'deliveries', label: 'Deliveries made', kind: 'count' },
      { key: 'failed', label: 'Failed', kind: 'count' },
      { key: 'total_paise', label: 'Billed value', kind: 'paise' },
    ],
    async compute(ctx, s) {
      const zone = s.zones ? (s.zones.length ? sql`z.id = any(${zoneArray(s.zones)})` : sql`false`) : sql`true`;
      const rows = await run(
        ctx,
        // Value and deliveries from the totals kept per day and zone; customers billed (each once, whichever days)
        // from the days each was billed, by the customer's zone.
        sql`with billed as (
              select k.zone_id, sum(k.amount_paise) as total
              from billing_zone_day_totals k
              where k.service_date between ${s.from}::date and ${s.to}::date and ${zoneIn(s, sql`k.zone_id`)} group by k.zone_id
            ), buyers as (
              select c.zone_id, count(*) as customers
              from (select distinct b.customer_id from customer_billed_days b where ${billedInRange(s)} and ${customerIn(s, sql`b.customer_id`)}) x
              join customers c on c.id = x.customer_id group by c.zone_id
            ), made as (
              select k.zone_id, sum(k.delivered + k.partial) as deliveries, sum(k.failed) as failed
              from delivery_zone_day_counts k
              where k.order_date between ${s.from}::date and ${s.to}::date and ${zoneIn(s, sql`k.zone_id`)} group by k.zone_id
            )
            select z.id::text as zone_id, z.name as zone, coalesce(u.customers, 0)::int as customers, coalesce(m.deliveries, 0)::int as deliveries,
                   coalesce(m.failed, 0)::int as failed, coalesce(b.total, 0)::bigint as total_paise
            from zones z left join billed b on b.zone_id = z.id left join buyers u on u.zone_id = z.id left join made m on m.zone_id = z.id
            where ${zone}
            order by coalesce(b.total, 0) desc, z.name`,
      );
      const out = numbers(rows, this.columns);
      return { rows: out, totals: sum(out, ['customers', 'deliveries', 'failed', 'total_paise']) };
    },
  },

  /**
   * Per delivery staff member: drops made, failures, on-time rate (in full on the order's day); from the kept counts
   * per day, zone and staff member (delivery_staff_day_counts).
   */
  'staff-performance': {
    title: 'How are the delivery staff doing? (drops, failures, on-time rate)',
    columns: [
      { key: 'staff_id', label: 'Staff id', kind: 'text' },
      { key: 'staff', label: 'Staff', kind: 'text' },
      { key: 'drops', label: 'Drops made', kind: 'count' },
      { key: 'on_time', label: 'On time', kind: 'count' },
      { key: 'partial', label: 'Partial', kind: 'count' },
      { key: 'failed', label: 'Failed', kind: 'count' },
      { key: 'on_time_rate', label: 'On-time rate %', kind: 'percent' },
    ],
    async compute(ctx, s) {
      const rows = await run(
        ctx,
        sql`select coalesce(st.id::text, '') as staff_id, coalesce(st.name, 'Unassigned') as staff, t.drops::int as drops, t.on_time::int as on_time,
                   t.partial::int as partial, t.failed::int as failed
            from (select k.staff_id,
                         sum(k.delivered + k.partial) as drops,
                         sum(k.on_time) as on_time,
                         sum(k.partial) as partial,
                         sum(k.failed) as failed
                  from delivery_staff_day_counts k
                  where k.order_date between ${s.from}::date and ${s.to}::date and ${zoneIn(s, sql`k.zone_id`)}
                  group by k.staff_id
                  -- A staff member with a delivery made or failed in the range (a key whose counts were moved away sums to 0).
                  having sum(k.delivered + k.partial + k.failed) <> 0) t
            left join staff st on st.id = t.staff_id
            order by t.drops desc, 2`,
      );
      const out = numbers(rows, this.columns).map((r) => ({ ...r, on_time_rate: rate(n(r.on_time), n(r.drops) + n(r.failed)) }));
      const totals = sum(out, ['drops', 'on_time', 'partial', 'failed']);
      totals.on_time_rate = rate(n(totals.on_time), n(totals.drops) + n(totals.failed));
      return { rows: out, totals };
    },
  },

  /** Balances due today by how far past due (the receivables' buckets): not dated, as of today. */
  'receivables-ageing': {
    title: 'How much is owed, and how late? (balances due by days past due, today)',
    columns: [
      { key: 'bucket', label: 'Days past due', kind: 'text' },
      { key: 'amount_paise', label: 'Balance due', kind: 'paise' },
    ],
    async compute(ctx, s) {
      const r = await receivablesByZone(ctx);
      const pick = s.zones ? r.zones.filter((z) => z.zone_id && s.zones!.includes(z.zone_id)) : [r.total];
      const get = (k: 'not_due_paise' | 'd1_30_paise' | 'd31_60_paise' | 'd61_90_paise' | 'over_90_paise') => pick.reduce((a, z) => a + n(z[k]), 0);
      const rows: ChartRow[] = [
        { bucket: 'Not yet due', amount_paise: get('not_due_paise') },
        { bucket: '1-30 days', amount_paise: get('d1_30_paise') },
        { bucket: '31-60 days', amount_paise: get('d31_60_paise') },
        { bucket: '61-90 days', amount_paise: get('d61_90_paise') },
        { bucket: 'Over 90 days', amount_paise: get('over_90_paise') },
      ];
      return { rows, totals: { ...sum(rows, ['amount_paise']), as_of: r.as_of } };
    },
  },

  /** Money received per day by method: payments captured (or later refunded), bounced cheques left out. */
  collections: {
    title: 'How much money came in, and how? (collections per day by method)',
    columns: [
      { key: 'date', label: 'Day received', kind: 'date' },
      { key: 'cash_paise', label: 'Cash', kind: 'paise' },
      { key: 'upi_paise', label: 'UPI', kind: 'paise' },
      { key: 'bank_transfer_paise', label: 'Bank transfer', kind: 'paise' },
      { key: 'cheque_paise', label: 'Cheque', kind: 'paise' },
      { key: 'gateway_paise', label: 'Gateway', kind: 'paise' },
      { key: 'payments', label: 'Payments', kind: 'count' },
      { key: 'total_paise', label: 'Total', kind: 'paise' },
    ],
    async compute(ctx, s) {
      const rows = await run(
        ctx,
        sql`select g.day::date::text as date, coalesce(t.cash, 0)::bigint as cash_paise, coalesce(t.upi, 0)::bigint as upi_paise,
                   coalesce(t.bank, 0)::bigint as bank_transfer_paise, coalesce(t.cheque, 0)::bigint as cheque_paise,
                   coalesce(t.gateway, 0)::bigint as gateway_paise, coalesce(t.n, 0)::int as payments, coalesce(t.total, 0)::bigint as total_paise
            from ${days(s)} as g(day) left join (
              select p.received_on, sum(p.amount_paise) filter (where p.method = 'cash') as cash, sum(p.amount_paise) filter (where p.method = 'upi') as upi,
                     sum(p.amount_paise) filter (where p.method = 'bank_transfer') as bank, sum(p.amount_paise) filter (where p.method = 'cheque') as cheque,
                     sum(p.amount_paise) filter (where p.method = 'gateway') as gateway, count(*) as n, sum(p.amount_paise) as total
              from payments p
              where p.received_on between ${s.from}::date and ${s.to}::date and ${collected} and ${customerIn(s, sql`p.customer_id`)}
              group by p.received_on) t on t.received_on = g.day::date
            order by g.day`,
      );
      const out = numbers(rows, this.columns);
      return { rows: out, totals: sum(out, ['cash_paise', 'upi_paise', 'bank_transfer_paise', 'cheque_paise', 'gateway_paise', 'payments', 'total_paise']) };
    },
  },
} satisfies Record<string, ChartDef>;

/** A payment that brought money in: captured (refunds come out of it later, as refunds), not a bounced cheque. */
export const collected = sql`p.status in ('captured', 'refunded') and p.cheque_status is distinct from 'bounced'`;

export type ChartName = keyof typeof charts;
export const chartNames = Object.keys(charts) as ChartName[];

export async function chart(ctx: Ctx, name: ChartName, q: ChartQuery): Promise<Chart> {
  const def: ChartDef = charts[name];
  const s = scopeOf(ctx, q);
  const { rows, totals } = await def.compute(ctx, s);
  return { chart: name, title: def.title, from: s.from, to: s.to, zone_id: q.zone_id ?? null, columns: def.columns, rows, totals };
}

/** The default range of the page: the last 30 days to today (IST). */
export const defaultRange = () => ({ from: addDays(todayIST(), -29), to: todayIST() });
