import { and, asc, eq, inArray, lt, sql } from 'drizzle-orm';
import pino from 'pino';
import type { Db } from '../db/client.js';
import { addresses, customers, deliveries, orderItems, orders, products, zones } from '../db/schema/index.js';
import type { Ctx } from '../api/lib/context.js';
import { addDays, daysBetween, monthBounds, todayIST } from '../api/lib/dates.js';
import { loadActor } from '../api/modules/auth/auth.service.js';
import { confirmDelivery, failDelivery } from '../api/modules/deliveries/deliveries.service.js';
import { runInvoices } from '../api/modules/invoices/invoice-runs.service.js';
import { generateOrders } from '../api/modules/orders/generate.service.js';
import { createOneTimeOrder } from '../api/modules/orders/orders.service.js';
import { createStaff } from '../api/modules/staff/staff.service.js';
import { createOverride, createPause, createSubscription } from '../api/modules/subscriptions/subscriptions.service.js';
import { Random } from './random.js';
import { paymentSeedContext, seedRunPayments, seedWalletCredit } from './payments.js';
import { createUser, DEMO_PASSWORD } from './users.js';

export interface HistoryOptions {
  seed: number;
  /** Days of history before today (the demo uses about three months). */
  days: number;
  /** Share of active customers with a subscription. */
  subscribers?: number;
  today?: string;
  log?: (line: string) => void;
  /** Called with 0-100 along the way. */
  progress?: (percent: number) => void;
}

const staffNames = ['Ravi Kumar', 'Manju Naik', 'Shivu Gowda', 'Anand Raj', 'Basava Patil', 'Kiran Shetty', 'Mahesh Babu', 'Venkatesh R', 'Suresh Reddy', 'Naveen M', 'Prakash H', 'Lokesh B', 'Ramesh Kumar', 'Girish N', 'Harish K', 'Santosh V'];

export const DEMO_STAFF_EMAIL = 'ravi@milkrun.test';

/** A service context acting as the demo admin, for seeds and benchmarks that call the service verbs directly. */
export async function systemCtx(db: Db, userId: string): Promise<Ctx> {
  return { db, inTx: false, actor: await loadActor(db, userId), requestId: 'seed', log: pino({ level: 'silent' }) };
}

/**
 * Months of history made through the same service verbs the API uses: staff, subscriptions with pauses and
 * one-day changes, generated and one-time orders, confirmed (some partial, some failed) deliveries with their
 * billing, and invoices for the closed months.
 */
export async function seedHistory(db: Db, adminId: string, opts: HistoryOptions): Promise<void> {
  const rnd = new Random(opts.seed);
  const log = opts.log ?? (() => {});
  const progress = opts.progress ?? (() => {});
  const today = opts.today ?? todayIST();
  const start = addDays(today, -opts.days);
  const ctx = await systemCtx(db, adminId);

  // Two delivery staff per zone; the first one can log in with the delivery_staff role.
  const zoneRows = await db.select({ id: zones.id, name: zones.name }).from(zones).orderBy(asc(zones.name));
  const staffUser = await createUser(db, { email: DEMO_STAFF_EMAIL, name: staffNames[0], password: DEMO_PASSWORD, roles: ['delivery_staff'] });
  let s = 0;
  for (const zone of zoneRows) {
    for (let k = 0; k < 2; k++, s++) {
      await createStaff(ctx, {
        name: staffNames[s % staffNames.length],
        phone: `+9198450${String(10000 + s).slice(-5)}`,
        zone_id: zone.id,
        user_id: s === 0 ? staffUser : null,
        is_active: true,
      } as never);
    }
  }

  const catalogue = await db.select().from(products).where(eq(products.is_active, true)).orderBy(asc(products.sku));
  const milk = catalogue.filter((p) => p.category === 'milk');
  const extras = catalogue.filter((p) => ['curd', 'bakery', 'eggs', 'beverages'].includes(p.category));
  const oneTimeGoods = catalogue.filter((p) => ['paneer', 'butter', 'ghee', 'grocery', 'cheese', 'eggs'].includes(p.category));

  const people = await db
    .select({ id: customers.id, address_id: addresses.id })
    .from(customers)
    .innerJoin(addresses, and(eq(addresses.customer_id, customers.id), eq(addresses.is_default, true)))
    .where(eq(customers.status, 'active'))
    .orderBy(asc(customers.created_at), asc(customers.id));

  let subs = 0;
  for (const person of people) {
    await breathe();
    if (!rnd.chance(opts.subscribers ?? 0.45)) continue;
    const kinds = [rnd.pick(milk)];
    if (rnd.chance(0.2)) kinds.push(rnd.pick(extras));
    for (const [i, product] of kinds.entries()) {
      const roll = rnd.next();
      const schedule = roll < 0.7 ? 'daily' : roll < 0.9 ? 'alternate' : 'weekdays';
      const startDate = addDays(start, rnd.chance(0.8) ? 0 : rnd.int(1, opts.days - 10));
      const sub = await createSubscription(
        ctx,
        {
          customer_id: person.id,
          address_id: person.address_id,
          product_id: product.id,
          quantity: rnd.chance(0.7) ? 1 : 2,
          schedule,
          weekdays: schedule === 'weekdays' ? [1, 3, 5] : undefined,
          shift: i === 0 && rnd.chance(0.85) ? 'morning' : 'evening',
          start_date: startDate,
        } as never,
        { today: startDate },
      );
      subs++;
      if (rnd.chance(0.12)) {
        const from = addDays(startDate, rnd.int(3, Math.max(4, opts.days - 10)));
        if (from < today) await createPause(ctx, { subscription_id: sub.id as string, from_date: from, to_date: addDays(from, rnd.int(2, 7)), reason: rnd.pick(['Travelling', 'Out of town for a wedding', 'Guests leaving', 'Hospital stay']) }, { today: from });
      }
      if (rnd.chance(0.08)) {
        const day = addDays(startDate, rnd.int(1, 20));
        if (day < today) await createOverride(ctx, { subscription_id: sub.id as string, date: day, quantity: rnd.pick([0, 2, 3]) } as never, { today: day }).catch(() => undefined);
      }
    }
  }
  log(`staff: ${s}, subscriptions: ${subs}`);
  // Shares of the time measured on a first start: orders about 15%, deliveries 80%, invoices the rest.
  progress(1);

  // Orders day by day up to tomorrow, so today's and tomorrow's runs are there to work on.
  let orderCount = 0;
  for (let from = start; from <= addDays(today, 1); from = addDays(from, 30)) {
    const to = addDays(from, 29) < addDays(today, 1) ? addDays(from, 29) : addDays(today, 1);
    orderCount += (await generateOrders(ctx, { from, to })).orders_created;
    await breathe();
    progress(1 + Math.round((8 * daysBetween(start, from)) / opts.days));
  }
  let oneTime = 0;
  for (let day = start; day <= addDays(today, 1); day = addDays(day, 1)) {
    progress(Math.min(16, 9 + Math.round((7 * daysBetween(start, day)) / opts.days)));
    await breathe();
    const n = rnd.int(1, 4);
    for (let k = 0; k < n; k++) {
      const person = rnd.pick(people);
      const goods = [rnd.pick(oneTimeGoods)];
      if (rnd.chance(0.3)) goods.push(rnd.pick(oneTimeGoods));
      const items = [...new Map(goods.map((g) => [g.id, { product_id: g.id, quantity: rnd.int(1, 3) }])).values()];
      await createOneTimeOrder(
        ctx,
        { customer_id: person.id, address_id: person.address_id, delivery_date: day, shift: rnd.chance(0.7) ? 'morning' : 'evening', payment_method: rnd.pick(['postpaid', 'postpaid', 'cash', 'upi']), items } as never,
        { today: day },
      );
      oneTime++;
    }
  }
  log(`orders: ${orderCount} from subscriptions, ${oneTime} one-time`);
  progress(16);

  // Deliveries before today get their outcome: mostly delivered, some partial, a few failed.
  const due = await db
    .select({ id: deliveries.id, order_id: deliveries.order_id, day: deliveries.order_date, shift: orders.shift })
    .from(deliveries)
    .innerJoin(orders, eq(orders.id, deliveries.order_id))
    .where(and(eq(deliveries.status, 'pending'), lt(deliveries.order_date, today), sql`${orders.status} = 'pending'`))
    .orderBy(asc(deliveries.order_date), asc(deliveries.id));
  const itemsByOrder = new Map<string, { id: string; quantity: number }[]>();
  for (let i = 0; i < due.length; i += 5000) {
    const ids = due.slice(i, i + 5000).map((d) => d.order_id);
    const rows = await db.select({ order_id: orderItems.order_id, id: orderItems.id, quantity: orderItems.quantity }).from(orderItems).where(inArray(orderItems.order_id, ids));
    for (const r of rows) itemsByOrder.set(r.order_id, [...(itemsByOrder.get(r.order_id) ?? []), { id: r.id, quantity: r.quantity }]);
  }
  let delivered = 0;
  let partial = 0;
  let failed = 0;
  for (const [i, d] of due.entries()) {
    // Confirming the deliveries one by one, through the service, takes most of the time.
    if (i % 100 === 0) progress(16 + Math.floor((80 * i) / due.length));
    await breathe();
    // One drop in eleven is late (after the shift's on-time window: no bonus); chosen by position, not by rnd, so
    // the rest of the history stays what it was.
    const late = i % 11 === 5;
    const hour = d.shift === 'morning' ? (late ? '08' : '06') : late ? '20' : '18';
    const at = new Date(`${d.day}T${hour}:${String(rnd.int(0, 59)).padStart(2, '0')}:00+05:30`);
    const roll = rnd.next();
    if (roll < 0.03) {
      const reason = rnd.pick(['Door locked, no answer', 'Customer asked to skip today', 'Gate closed, security did not allow']);
      // Every fourth failure is the delivery person's (a deduction on their earnings); the others the customer's.
      const staffFault = failed % 4 === 3;
      await failDelivery(ctx, d.id, {
        reason: staffFault ? 'Missed the lane on the run' : reason,
        reason_code: staffFault ? 'missed_by_staff' : reason.startsWith('Gate') ? 'address_not_found' : reason.startsWith('Customer') ? 'customer_refused' : 'customer_unavailable',
        at,
      });
      failed++;
    } else if (roll < 0.06 && (itemsByOrder.get(d.order_id) ?? []).some((it) => it.quantity > 1)) {
      const items = (itemsByOrder.get(d.order_id) ?? []).map((it) => ({ order_item_id: it.id, quantity: it.quantity > 1 ? it.quantity - 1 : it.quantity }));
      await confirmDelivery(ctx, d.id, { items, delivered_at: at, proof_note: 'Short supply at the depot' });
      partial++;
    } else {
      await confirmDelivery(ctx, d.id, { delivered_at: at });
      delivered++;
    }
  }
  log(`deliveries: ${delivered} delivered, ${partial} partial, ${failed} failed`);
  progress(96);

  // Invoices for every month that has closed, each followed by its payments (what they leave over as credit is
  // applied by the next month's run).
  const money = await paymentSeedContext(db, opts.seed + 7, DEMO_STAFF_EMAIL, today);
  for (let month = start.slice(0, 7); monthBounds(month).end < today; month = addDays(monthBounds(month).end, 1).slice(0, 7)) {
    await breathe();
    const run = await runInvoices(ctx, { month, invoice_date: addDays(monthBounds(month).end, 1) });
    const paid = await seedRunPayments(money, run.id);
    log(`invoices for ${month}: ${run.invoices_created}; payments: ${paid.payments} (${paid.cheques} by cheque)`);
  }
  const credit = await seedWalletCredit(money);
  log(`wallet: ${credit.topUps} top-ups, ${credit.promos} promotional credits, ${credit.expired} expired`);
}

/**
 * Lets the process answer HTTP between steps while `npm start` loads the demo: PGlite runs each query on this
 * thread and resolves through microtasks only, so a chain of awaits on it would never let a request in.
 */
export const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));
