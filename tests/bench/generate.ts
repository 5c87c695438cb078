import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { Ctx } from '../../api/lib/context.js';
import { generateOrders } from '../../api/modules/orders/generate.service.js';
import { rowsOf } from '../../api/lib/sql.js';

/**
 * The same rows as generateOrders for one day, written by hand as ONE statement: the day's drops (active
 * subscription of an active customer, product on sale, in its period, on its schedule or a one-day change > 0,
 * not paused), their orders, single items and pending deliveries with the zone's default staff member.
 */
export function handInsertSql(day: string, actorId: string | null) {
  return sql`
    with drops as materialized (
      select s.id as subscription_id, s.customer_id, s.address_id, s.product_id, s.shift, c.zone_id,
             coalesce(ov.quantity, s.quantity) as quantity, p.price_paise
      from subscriptions s
      join customers c on c.id = s.customer_id and c.status = 'active'
      join products p on p.id = s.product_id and p.is_active
      left join subscription_overrides ov on ov.subscription_id = s.id and ov.date = ${day}::date
      where s.status = 'active' and s.start_date <= ${day}::date and (s.end_date is null or s.end_date >= ${day}::date)
        and case when ov.quantity is not null then ov.quantity > 0
                 else case s.schedule when 'daily' then true
                                      when 'alternate' then (${day}::date - s.start_date) % 2 = 0
                                      else (s.weekdays::int >> extract(isodow from ${day}::date)::int) & 1 = 1 end end
        and not exists (select 1 from subscription_pauses sp where sp.subscription_id = s.id and ${day}::date between sp.from_date and sp.to_date)
    ),
    slots as (
      select st.id, st.zone_id, row_number() over (partition by st.zone_id order by st.id) - 1 as slot, count(*) over (partition by st.zone_id) as n
      from staff st where st.is_active and st.zone_id is not null
    ),
    o as (
      insert into orders (customer_id, address_id, kind, subscription_id, delivery_date, shift, total_paise, created_by)
      select customer_id, address_id, 'subscription', subscription_id, ${day}::date, shift, quantity * price_paise, ${actorId}::uuid
      from drops
      on conflict (subscription_id, delivery_date, shift) do nothing
      returning id, subscription_id
    ),
    i as (
      insert into order_items (order_id, product_id, quantity, unit_price_paise)
      select o.id, d.product_id, d.quantity, d.price_paise from o join drops d using (subscription_id)
      returning 1
    ),
    dl as (
      insert into deliveries (order_id, order_date, staff_id)
      select o.id, ${day}::date, st.id
      from o join drops d using (subscription_id)
      left join slots st on st.zone_id = d.zone_id and st.slot = abs(hashtext(d.customer_id::text)::bigint) % st.n
      returning 1
    )
    select (select count(*) from o)::int as orders, (select count(*) from i)::int as items, (select count(*) from dl)::int as deliveries`;
}

/** What identifies the rows of a day, whoever wrote them: counts, money and an md5 over (subscription, shift, quantity, price, staff). */
export async function dayFingerprint(db: Db, day: string): Promise<string> {
  const [f] = rowsOf<{ n: number; total: string; digest: string }>(
    await db.execute(sql`
      select count(*)::int as n, coalesce(sum(o.total_paise), 0)::text as total,
             md5(coalesce(string_agg(concat_ws('|', o.subscription_id, o.shift, o.customer_id, o.address_id, oi.product_id, oi.quantity, oi.unit_price_paise, d.staff_id, d.status),
                                     ',' order by o.subscription_id, o.shift), '')) as digest
      from orders o join order_items oi on oi.order_id = o.id join deliveries d on d.order_id = o.id
      where o.delivery_date = ${day}::date and o.kind = 'subscription'`),
  );
  return `${f.n} orders, ${f.total} paise, ${f.digest}`;
}

/** Removes a generated day again (only while every delivery of it is pending). */
export async function deleteDay(db: Db, day: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [busy] = rowsOf<{ n: number }>(await tx.execute(sql`select count(*)::int as n from deliveries where order_date = ${day}::date and status <> 'pending'`));
    if (busy.n > 0) throw new Error(`${day} has settled deliveries; the generation benchmark needs an untouched day`);
    // Deliveries are never deleted (trigger deliveries_guard): this benchmark-only undo switches triggers off for its
    // own transaction (superuser), so it removes the items by hand too (their ON DELETE CASCADE is a trigger).
    await tx.execute(sql`set local session_replication_role = replica`);
    await tx.execute(sql`delete from deliveries where order_date = ${day}::date`);
    await tx.execute(sql`delete from order_items where order_id in (select id from orders where delivery_date = ${day}::date)`);
    await tx.execute(sql`delete from orders where delivery_date = ${day}::date`);
  });
  // Dead rows of the deleted day would slow the next run's inserts and lookups: clean them first.
  await db.execute(sql`vacuum orders, order_items, deliveries`);
}

export interface GenerationResult {
  day: string;
  rows: number;
  runs: { kind: 'service' | 'sql'; ms: number; orders: number }[];
  service_ms: number;
  sql_ms: number;
  ratio: number;
  same_rows: boolean;
  fingerprints: { service: string; sql: string };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * generateOrders for one day against the hand-written INSERT ... SELECT, alternating on the SAME day (deleted between
 * runs, then vacuumed), so both write exactly the same rows into the same table state. Median of `runs` each.
 */
export async function benchGeneration(db: Db, ctx: Ctx, opts: { day: string; runs: number; log: (l: string) => void }): Promise<GenerationResult> {
  const [existing] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from orders where delivery_date = ${opts.day}::date`));
  if (existing.n > 0) await deleteDay(db, opts.day);
  const runs: GenerationResult['runs'] = [];
  const fingerprints = { service: '', sql: '' };
  for (let k = 0; k < opts.runs; k++) {
    for (const kind of k % 2 ? (['sql', 'service'] as const) : (['service', 'sql'] as const)) {
      const t0 = performance.now();
      let orders: number;
      if (kind === 'service') {
        orders = (await generateOrders(ctx, { from: opts.day, to: opts.day })).orders_created;
      } else {
        orders = rowsOf<{ orders: number }>(await db.execute(handInsertSql(opts.day, ctx.actor?.id ?? null)))[0].orders;
      }
      const ms = performance.now() - t0;
      runs.push({ kind, ms: Math.round(ms), orders });
      opts.log(`    ${kind.padEnd(7)} ${orders} orders in ${Math.round(ms)} ms`);
      if (k === 0) fingerprints[kind] = await dayFingerprint(db, opts.day);
      await deleteDay(db, opts.day);
    }
  }
  const service = median(runs.filter((r) => r.kind === 'service').map((r) => r.ms));
  const hand = median(runs.filter((r) => r.kind === 'sql').map((r) => r.ms));
  return {
    day: opts.day,
    rows: runs[0].orders,
    runs,
    service_ms: service,
    sql_ms: hand,
    ratio: Math.round((service / hand) * 100) / 100,
    same_rows: fingerprints.service === fingerprints.sql,
    fingerprints,
  };
}
