import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { users } from '../../db/schema/index.js';
import { addDays, monthBounds } from '../../api/lib/dates.js';
import { generateOrders, MAX_GENERATION_DAYS } from '../../api/modules/orders/generate.service.js';
import { rowsOf } from '../../api/lib/sql.js';
import { confirmBenchDay, insertBenchStaff, insertBenchSubscriptions } from '../../seeds/bench.js';
import { seedDemo } from '../../seeds/demo.js';
import { systemCtx } from '../../seeds/history.js';

export interface BenchPlan {
  customers: number;
  seed: number;
  /** The invoiced month (the previous calendar month, IST), all of it delivered and billed. */
  month: string;
  /** Today (IST): its deliveries stay pending, for the confirmation benchmark. */
  today: string;
}

export interface DataSummary {
  customers: number;
  active_customers: number;
  staff: number;
  subscriptions: number;
  month_orders: number;
  month_billing_records: number;
  pending_today: number;
  seconds: Record<string, number>;
}

export async function userId(db: Db, email: string): Promise<string> {
  const [u] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
  if (!u) throw new Error(`no user ${email}`);
  return u.id;
}

/**
 * The month of a business of `customers` customers: seedDemo's zones, catalogue, customers and demo users; the bench
 * generator's staff and subscriptions; the month's orders and today's through the real generateOrders; every
 * delivery of the month settled (set-based, per day: each day's transaction passes the deferred chain checks).
 */
export async function prepareData(db: Db, plan: BenchPlan, log: (line: string) => void): Promise<DataSummary> {
  const seconds: Record<string, number> = {};
  const step = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const out = await fn();
    seconds[name] = Math.round((performance.now() - t0) / 100) / 10;
    log(`  ${name}: ${seconds[name]} s`);
    return out;
  };
  const { start, end } = monthBounds(plan.month);

  await step('seed customers (seedDemo)', () => seedDemo(db, { scale: Math.ceil(plan.customers / 300), seed: plan.seed, historyDays: 0 }));
  const staff = await step('staff', () => insertBenchStaff(db));
  const subscriptions = await step('subscriptions', () => insertBenchSubscriptions(db, { seed: plan.seed, startBy: start }));
  await db.execute(sql`analyze`);

  const ctx = await systemCtx(db, await userId(db, 'admin@milkrun.test'));
  let monthOrders = 0;
  await step('orders of the month (generateOrders)', async () => {
    // A week per call keeps each statement's transaction moderate (the verb allows up to MAX_GENERATION_DAYS).
    const span = Math.min(7, MAX_GENERATION_DAYS);
    for (let from = start; from <= end; from = addDays(from, span)) {
      const to = addDays(from, span - 1) < end ? addDays(from, span - 1) : end;
      const r = await generateOrders(ctx, { from, to });
      monthOrders += r.orders_created;
      log(`    ${from}..${to}: ${r.orders_created} orders`);
    }
  });
  const todays = await step("today's orders (generateOrders)", () => generateOrders(ctx, { from: plan.today, to: plan.today }));
  // Statistics as the data grows (autovacuum may be off, as on CI's server): the commit-time triggers' plans are made
  // in this session, and with the tables' sizes unknown one ran a sequential scan inside a per-delivery subplan (a day's
  // commit ran past 10 minutes on the 23rd).
  await step('analyze', () => db.execute(sql`analyze`));

  const managerId = await userId(db, 'manager@milkrun.test');
  let billed = 0;
  await step('settle the month (set-based, a transaction per day)', async () => {
    for (let day = start; day <= end; day = addDays(day, 1)) {
      const r = await confirmBenchDay(db, { day, confirmedBy: managerId });
      billed += r.billing_records;
      if (day.endsWith('0') || day.endsWith('5')) await db.execute(sql`analyze`);
      if (day.endsWith('01') || day === end) log(`    ${day}: ${r.delivered} delivered, ${r.partial} partial, ${r.failed} failed, ${r.billing_records} billing records`);
    }
  });
  await step('vacuum analyze', () => db.execute(sql`vacuum analyze`));

  const [counts] = rowsOf<{ customers: number; active: number }>(
    await db.execute(sql`select count(*)::int as customers, (count(*) filter (where status = 'active'))::int as active from customers`),
  );
  return {
    customers: counts.customers,
    active_customers: counts.active,
    staff,
    subscriptions,
    month_orders: monthOrders,
    month_billing_records: billed,
    pending_today: todays.deliveries_created,
    seconds,
  };
}
