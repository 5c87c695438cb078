import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, sql, type SQL } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Ctx } from '../../api/lib/context.js';
import { todayIST } from '../../api/lib/dates.js';
import { dataHealth, formatHealthReport, type DataHealth } from '../../api/modules/health/health.service.js';
import { moneyBackChecks } from '../../api/modules/refunds/refunds.health.js';
import { disputeChecks } from '../../api/modules/disputes/disputes.health.js';
import { gatewayChecks } from '../../api/modules/gateway/gateway.health.js';
import { earningsChecks } from '../../api/modules/earnings/earnings.health.js';
import { inventoryChecks } from '../../api/modules/inventory/inventory.health.js';
import { runInvoices } from '../../api/modules/invoices/invoice-runs.service.js';
import { voidInvoice } from '../../api/modules/invoices/invoices.service.js';
import { openDatabase, type Db } from '../../db/client.js';
import { confirmDelivery } from '../../api/modules/deliveries/deliveries.service.js';
import { addresses, billingRecords, customers, deliveries, deliveryItems, invoices, orderItems, orders, products } from '../../db/schema/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { makeCustomer, makeOrder, makeProduct, makeZone, type CustomerFixture } from '../helpers/chain-fixtures.js';
import { deliveredAt } from '../helpers/delivered-at.js';

// A small, consistent chain made with the shared fixtures and the delivery confirmation verb, then broken on
// purpose inside a transaction that bypasses the database's rules and is rolled back.

type Product = typeof products.$inferSelect;

async function rows<T = Record<string, any>>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

async function delivered(db: Db, customer: CustomerFixture, day: string, items: { product: Product; quantity: number }[]) {
  const o = await makeOrder(db, { customer, delivery_date: day, items });
  await confirmDelivery(ctx, o.delivery.id, { delivered_at: deliveredAt(day) });
}

const countOf = (health: DataHealth, name: string) => {
  const check = health.checks.find((c) => c.name === name);
  if (!check) throw new Error(`no check named ${name}`);
  return check;
};

let t: TestApp;
let db: Db;
let ctx: Ctx;
let milk: Product;
let ghee: Product;
let month: string;
let day: string;
/** The healthy billing record of today's delivery, taken before the broken cases add rows of the same date. */
let todayRecordId: string;

beforeAll(async () => {
  t = await createTestApp();
  db = t.database.db;
  ctx = {
    db,
    inTx: false,
    actor: { id: t.userIds.admin, email: 'admin@milkrun.test', name: 'Asha Admin', roles: ['admin'], permissions: [{ resource: '*', action: '*', conditions: null }] },
    requestId: 'data-health-test',
    log: pino({ level: 'silent' }),
  };
  const zone = await makeZone(db);
  milk = await makeProduct(db, { price_paise: 2700, hsn_code: '0401', gst_rate_bp: 0 });
  ghee = await makeProduct(db, { name: `Ghee ${zone.id.slice(0, 4)}`, unit: 'bottle', price_paise: 36050, hsn_code: '0405', gst_rate_bp: 500 });
  // A healthy chain: last month's deliveries invoiced, one invoice voided, this month's deliveries not invoiced yet.
  const [y, m] = todayIST().split('-').map(Number);
  month = new Date(Date.UTC(y, m - 2, 1)).toISOString().slice(0, 7);
  day = `${month}-15`;
  for (let i = 0; i < 3; i++) {
    const c = await makeCustomer(db, { zone_id: zone.id });
    await delivered(db, c, day, [{ product: milk, quantity: 2 }, ...(i ? [{ product: ghee, quantity: 1 }] : [])]);
  }
  await delivered(db, await makeCustomer(db, { zone_id: zone.id }), todayIST(), [{ product: milk, quantity: 1 }]);
  [{ id: todayRecordId }] = await db.select({ id: billingRecords.id }).from(billingRecords).where(eq(billingRecords.service_date, todayIST()));
  await runInvoices(ctx, { month });
  const [first] = await db.select().from(invoices).limit(1);
  await voidInvoice(ctx, first.id, { reason: 'test void' });
});
afterAll(() => t?.close());

/** Polls GET /api/data-health until no run is going on; the body of the last finished run. */
async function finishedRun(role: 'finance' | 'manager', after = 0): Promise<any> {
  for (let i = 0; i < 600; i++) {
    const body = await (await t.call(role, 'GET', '/api/data-health')).json();
    if (!body.running && body.checked_at && Date.parse(body.checked_at) >= after) return body;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the data health run did not finish in 30 s');
}

describe('data health runs in the background', () => {
  test('POST /run starts one run (a second start while it runs starts none); GET shows the last finished one and when', async () => {
    const before = await finishedRun('manager');
    const started = await t.call('manager', 'POST', '/api/data-health/run');
    expect(started.status).toBe(202);
    // One run at a time: a claim while one is running adds no row (the partial unique index data_health_runs_one_running).
    const running = await rows<{ n: number }>(db, sql`select count(*)::int as n from data_health_runs where finished_at is null`);
    expect(running[0].n).toBeLessThanOrEqual(1);
    const after = await finishedRun('manager');
    expect(Date.parse(after.checked_at)).toBeGreaterThanOrEqual(Date.parse(before.checked_at));
    expect(after.ok).toBe(true);
    const runs = await rows<{ n: number; unfinished: number }>(db, sql`select count(*)::int as n, count(*) filter (where finished_at is null)::int as unfinished from data_health_runs`);
    expect(runs[0].unfinished).toBe(0);
    expect(runs[0].n).toBeGreaterThanOrEqual(2);
    const refused = await t.call('support', 'POST', '/api/data-health/run');
    expect(refused.status).toBe(403);
  });

  test('a run that died with its server does not block new ones', async () => {
    await finishedRun('manager'); // a run an earlier test started may still be going on a loaded machine: the POST below must start its own
    await db.execute(sql`insert into data_health_runs (started_at) values (now() - interval '2 hours')`);
    const asked = Date.now();
    await t.call('manager', 'POST', '/api/data-health/run');
    const body = await finishedRun('manager', asked);
    expect(body.ok, JSON.stringify(body).slice(0, 300)).toBe(true);
    const [abandoned] = await rows<{ error: string }>(db, sql`select error from data_health_runs where started_at < now() - interval '1 hour'`);
    expect(abandoned.error).toMatch(/stopped without finishing/);
  });
});

describe('data health', () => {
  test('a healthy chain passes every check, through the service and GET /api/data-health', async () => {
    const health = await dataHealth(db);
    expect(health.checks.length).toBe(31 + moneyBackChecks.length + gatewayChecks.length + disputeChecks.length + earningsChecks.length + inventoryChecks.length);
    expect(health.checks.filter((c) => c.count > 0)).toEqual([]);
    expect(health.ok).toBe(true);

    // The page's GET answers at once with the last run (none yet: it starts one in the background).
    const first = await t.call('finance', 'GET', '/api/data-health');
    expect(first.status).toBe(200);
    const body = await finishedRun('finance');
    expect(body.ok).toBe(true);
    expect(body.error).toBeNull();
    expect(body.took_ms).toBeGreaterThanOrEqual(0);
    expect(body.checks.map((c: any) => c.name)).toEqual(health.checks.map((c) => c.name));
    for (const c of body.checks) expect(c).toEqual({ name: expect.any(String), label: expect.any(String), count: 0, examples: [] });
    expect((await t.call('manager', 'GET', '/api/data-health')).status).toBe(200);
    const denied = await t.call('support', 'GET', '/api/data-health');
    expect(denied.status).toBe(403);
    expect((await denied.json()).message).toBeTruthy();
  });

  test('finds every kind of broken row written with the rules bypassed (and the rollback leaves the chain healthy)', async () => {
    const missing = '00000000-0000-4000-8000-00000000dead';
    let health: DataHealth | undefined;
    const broken: Record<string, string> = {};
    await db
      .transaction(async (tx) => {
        // Disables triggers (guards, deferred checks) and foreign keys for this transaction only; superuser only.
        await tx.execute(sql`set local session_replication_role = replica`);
        const [a, b] = await tx.select().from(customers).limit(2);
        const [aAddress] = await tx.select().from(addresses).where(eq(addresses.customer_id, a.id));
        const [bAddress] = await tx.select().from(addresses).where(eq(addresses.customer_id, b.id));
        const fresh = (values: Partial<typeof orders.$inferInsert>) =>
          tx.insert(orders).values({ customer_id: a.id, address_id: aAddress.id, kind: 'one_time', delivery_date: day, total_paise: 0, ...values }).returning();

        const [orphan] = await fresh({ customer_id: missing, address_id: bAddress.id });
        broken.orders_without_customer = orphan.id;
        const [elsewhere] = await fresh({ address_id: bAddress.id });
        broken.orders_address_not_customers = elsewhere.id;
        const [noSub] = await fresh({ kind: 'subscription', subscription_id: missing });
        broken.subscription_orders_without_subscription = noSub.id;
        const [wrongTotal] = await fresh({ total_paise: 999 });
        broken.orders_total_differs_from_items = wrongTotal.id;
        const [phantom] = await tx.insert(deliveries).values({ order_id: missing, order_date: day }).returning();
        broken.deliveries_without_order = phantom.id;

        // A delivered item with no billing record, on an order of its own.
        const [order] = await fresh({ total_paise: 2700 });
        const [item] = await tx.insert(orderItems).values({ order_id: order.id, product_id: milk.id, quantity: 1, unit_price_paise: 2700 }).returning();
        const [delivery] = await tx
          .insert(deliveries)
          .values({ order_id: order.id, order_date: day, status: 'delivered', delivered_at: new Date(), delivered_on: day })
          .returning();
        const [unbilled] = await tx.insert(deliveryItems).values({ delivery_id: delivery.id, order_id: order.id, order_item_id: item.id, ordered_quantity: 1, quantity: 1 }).returning();
        broken.delivered_items_without_billing = unbilled.id;

        // A billing record for a delivered item that does not exist.
        const [anyRecord] = await tx.select().from(billingRecords).limit(1);
        const { id: _id, created_at: _c, invoice_id: _i, ...copy } = anyRecord;
        const [ghost] = await tx.insert(billingRecords).values({ ...copy, delivery_item_id: missing }).returning();
        broken.billing_without_delivered_item = ghost.id;

        // The same delivered item billed twice (the unique index has to go first: it is not a trigger).
        await tx.execute(sql`drop index billing_records_delivery_item_key`);
        await tx.insert(billingRecords).values({ ...copy });
        broken.duplicate_billing = anyRecord.delivery_item_id;

        // A record pointing at the void invoice; a record taken off an issued invoice; a line added to another.
        const [voided] = await tx.select().from(invoices).where(eq(invoices.status, 'void'));
        const [onVoid] = await tx.select().from(billingRecords).where(sql`${billingRecords.invoice_id} is null and ${billingRecords.customer_id} = ${voided.customer_id}`).limit(1);
        await tx.update(billingRecords).set({ invoice_id: voided.id }).where(eq(billingRecords.id, onVoid.id));
        broken.billing_on_void_invoice = onVoid.id;
        const issued = await tx.select().from(invoices).where(eq(invoices.status, 'issued')).orderBy(invoices.number);
        await tx.execute(sql`update billing_records set invoice_id = null where id = (select id from billing_records where invoice_id = ${issued[0].id} limit 1)`);
        broken.invoice_total_differs_from_billing = issued[0].id;
        await tx.execute(sql`insert into invoice_lines (invoice_id, product_id, description, hsn_code, unit, quantity, unit_price_paise, gst_rate_bp, taxable_paise, cgst_paise, sgst_paise, total_paise)
          values (${issued[1].id}, ${milk.id}, 'extra', '0401', 'packet', 1, 100, 0, 100, 0, 0, 100)`);
        broken.invoice_total_differs_from_lines = issued[1].id;

        // A number handed out by the series but on no invoice.
        await tx.execute(sql`update document_series set next_seq = next_seq + 1 where series = ${issued[0].series} and financial_year = ${issued[0].financial_year}`);
        const [{ top }] = await rows<{ top: number }>(tx as unknown as Db, sql`select next_seq - 1 as top from document_series where series = ${issued[0].series} and financial_year = ${issued[0].financial_year}`);
        broken.invoice_number_gaps = `${issued[0].series}/${issued[0].financial_year}#${top}`;

        // Issue 9's rules, each broken once (CHECKs hold even in replica mode: those are dropped here, as a restore
        // without constraints would leave them).
        await tx.execute(sql`update billing_records set service_date = ${day} where id = ${todayRecordId}`);
        broken.billing_not_matching_delivery = todayRecordId;
        const [settledFresh] = await fresh({ status: 'delivered' });
        broken.order_status_not_delivery = settledFresh.id;
        broken.orders_delivery_missing_or_moved = settledFresh.id;
        const [short] = await tx.execute(sql`select di.id, di.delivery_id from delivery_items di join deliveries d on d.id = di.delivery_id
          where d.status = 'delivered' and di.quantity > 1 and di.delivery_id <> ${delivery.id} limit 1`).then((r) => (Array.isArray(r) ? r : (r as { rows: any[] }).rows) as { id: string; delivery_id: string }[]);
        await tx.execute(sql`update delivery_items set quantity = 1 where id = ${short.id}`);
        broken.delivery_quantities_not_status = short.delivery_id;
        const [otherAddress] = await tx.insert(addresses).values({ customer_id: a.id, line1: '9 Church Street', pin_code: '560001' }).returning();
        const [plan] = await tx.execute(sql`insert into subscriptions (customer_id, address_id, product_id, quantity, schedule, start_date)
          values (${a.id}, ${aAddress.id}, ${milk.id}, 1, 'daily', ${todayIST()}) returning id`).then((r) => (Array.isArray(r) ? r : (r as { rows: any[] }).rows) as { id: string }[]);
        const [moved] = await fresh({ kind: 'subscription', subscription_id: plan.id, address_id: otherAddress.id, delivery_date: todayIST(), total_paise: 2700 });
        await tx.insert(orderItems).values({ order_id: moved.id, product_id: milk.id, quantity: 1, unit_price_paise: 2700 });
        await tx.insert(deliveries).values({ order_id: moved.id, order_date: todayIST() });
        broken.subscription_orders_off_plan = moved.id;
        const [strayed] = await tx.select().from(billingRecords).where(eq(billingRecords.invoice_id, issued[1].id)).limit(1);
        await tx.update(billingRecords).set({ service_date: '2020-01-01' }).where(eq(billingRecords.id, strayed.id));
        broken.billing_not_matching_invoice = strayed.id;
        // Moved with the triggers off, the record left the dashboard's kept totals behind (and a recount finds it).
        broken.dashboard_totals_drift = 'billing_day_totals 2020-01-01';
        // ... and the analytics' totals of its zone (the same day, by zone).
        const [{ zone_id: strayedZone }] = await tx.select({ zone_id: customers.zone_id }).from(customers).where(eq(customers.id, strayed.customer_id));
        broken.analytics_totals_drift = `billing_zone_day_totals 2020-01-01 ${strayedZone}`;
        await tx.execute(sql`alter table invoices drop constraint invoices_issued_not_voided`);
        await tx.execute(sql`update invoices set void_reason = 'quietly' where id = ${issued[1].id}`);
        broken.invoices_inconsistent = issued[1].id;
        await tx.execute(sql`alter table products drop constraint products_price_paise_max`);
        const [gold] = await tx.insert(products).values({ name: 'Gold Milk', sku: 'GOLD-1', unit: 'packet', price_paise: 2147483647, hsn_code: '0401' }).returning();
        broken.absurd_magnitudes = gold.id;
        const [twelve] = await tx.insert(products).values({ name: 'Old Cheese', sku: 'CHEESE-12', unit: 'packet', price_paise: 14500, hsn_code: '0406', gst_rate_bp: 1200 }).returning();
        broken.gst_rates_not_in_list = twelve.id;

        // Money in (issue 12), written with the triggers off: nothing kept follows the rows.
        const money = issued[0];
        const stranger = issued.find((i) => i.customer_id !== money.customer_id)!;
        const one = async (q: ReturnType<typeof sql>) => ((await tx.execute(q).then((r) => (Array.isArray(r) ? r : (r as { rows: any[] }).rows))) as { id: string }[])[0].id;
        const cash = await one(sql`insert into payments (customer_id, amount_paise, method, received_on) values (${money.customer_id}, 1000, 'cash', ${todayIST()}) returning id`);
        await tx.execute(sql`insert into payment_allocations (customer_id, invoice_id, payment_id, amount_paise) values (${money.customer_id}, ${money.id}, ${cash}, 600)`);
        broken.payments_over_applied = cash;
        broken.payments_not_applied = cash;
        broken.invoices_paid_not_allocations = money.id;
        broken.statements_not_adding_up = money.customer_id;
        const across = await one(sql`insert into payment_allocations (customer_id, invoice_id, payment_id, amount_paise) values (${money.customer_id}, ${stranger.id}, ${cash}, 1) returning id`);
        broken.allocations_across_customers = across;
        const lot = await one(sql`insert into wallet_lots (customer_id, source, amount_paise, remaining_paise) values (${money.customer_id}, 'promo', 500, 500) returning id`);
        broken.wallet_lots_off_ledger = lot;
        broken.customer_balances_drift = money.customer_id;
        await tx.execute(sql`insert into wallet_transactions (customer_id, lot_id, kind, amount_paise, invoice_id) values (${money.customer_id}, ${lot}, 'debit', 200, ${money.id})`);
        broken.wallet_spending_not_allocated = money.id;
        // A lot below zero (its CHECK dropped, as a restore without constraints would leave it): the wallet is negative.
        await tx.execute(sql`alter table wallet_lots drop constraint wallet_lots_remaining_within_amount`);
        // Its ledger adds up to what it holds (credited 500, spent 600): only being below zero gives it away.
        const negative = await one(sql`insert into wallet_lots (customer_id, source, amount_paise, remaining_paise) values (${stranger.customer_id}, 'promo', 500, -100) returning id`);
        await tx.execute(sql`insert into wallet_transactions (customer_id, lot_id, kind, amount_paise) values (${stranger.customer_id}, ${negative}, 'credit', 500)`);
        await tx.execute(sql`insert into wallet_transactions (customer_id, lot_id, kind, amount_paise, invoice_id) values (${stranger.customer_id}, ${negative}, 'debit', 600, ${stranger.id})`);
        const [{ below }] = await rows<{ below: number }>(tx as unknown as Db, sql`select count(*)::int as below from wallet_lots where remaining_paise < 0`);
        expect(below).toBe(1);
        broken.negative_lot = negative;

        health = await dataHealth(tx as unknown as Db);
        tx.rollback();
      })
      .catch((err: unknown) => {
        if (!(err instanceof Error && /rollback/i.test(err.message + err.name))) throw err;
      });

    expect(health!.ok).toBe(false);
    // The negative lot: off its ledger, and its customer's kept wallet and statement no longer match.
    const negativeLot = broken.negative_lot;
    delete broken.negative_lot;
    expect(countOf(health!, 'wallet_lots_off_ledger').examples).toContain(negativeLot);
    for (const [name, id] of Object.entries(broken)) {
      const check = countOf(health!, name);
      expect(check.count, name).toBeGreaterThan(0);
      expect(check.examples, name).toContain(id);
    }
    // Each broken row shows up where it belongs, and only the ones made here.
    expect(countOf(health!, 'orders_without_customer').count).toBe(1);
    expect(countOf(health!, 'deliveries_without_order').count).toBe(1);
    expect(countOf(health!, 'duplicate_billing').count).toBe(1);
    expect(countOf(health!, 'invoice_number_gaps').count).toBe(1);
    // Refunds and credit notes are broken in tests/db/refund-constraints.test.ts, gateway payments in
    // tests/db/gateway-constraints.test.ts, disputes in tests/db/dispute-health.test.ts, staff pay in tests/db/staff-pay-constraints.test.ts, the stock ledger in tests/db/inventory-health.test.ts (none exist in this chain).
    const moneyBack = new Set([...moneyBackChecks, ...gatewayChecks, ...disputeChecks, ...earningsChecks, ...inventoryChecks].map((c) => c.name));
    expect(health!.checks.filter((c) => !moneyBack.has(c.name)).every((c) => c.count > 0)).toBe(true);

    // Rolled back: healthy again.
    expect((await dataHealth(db)).ok).toBe(true);
  });

  test('the report is a table with a verdict line', async () => {
    const report = formatHealthReport(await dataHealth(db));
    expect(report.split('\n')[0]).toMatch(/^status\s+count\s+check\s+examples$/);
    expect(report).toMatch(/^ok\s+0\s+Deliveries without an order$/m);
    expect(report.trimEnd().split('\n').at(-1)).toBe(`All ${31 + moneyBackChecks.length + gatewayChecks.length + disputeChecks.length + earningsChecks.length + inventoryChecks.length} checks passed: no broken link in the chain.`);
  });

  // The script's own PGlite folder, whichever database the other tests use: run it once, in the PGlite pass.
  test.skipIf(!!process.env.TEST_DATABASE_URL)('`npm run check` exits 1 and names the broken row when a check fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'milkrun-check-'));
    try {
      const database = await openDatabase({ dir });
      await database.migrate();
      await database.db.transaction(async (tx) => {
        await tx.execute(sql`set local session_replication_role = replica`);
        await tx.execute(sql`insert into deliveries (id, order_id, order_date) values ('11111111-1111-4111-8111-111111111111', gen_random_uuid(), current_date)`);
      });
      await database.close();
      const env: NodeJS.ProcessEnv = { ...process.env, PGLITE_DIR: dir, NODE_ENV: 'test' };
      delete env.DATABASE_URL;
      const failing = spawnSync('npx', ['tsx', 'scripts/check.ts'], { encoding: 'utf8', env, timeout: 170_000 });
      expect(failing.status, failing.stderr).toBe(1);
      expect(failing.stdout).toMatch(/^BROKEN\s+1\s+Deliveries without an order\s+11111111-1111-4111-8111-111111111111$/m);
      expect(failing.stdout).toContain(`1 of ${31 + moneyBackChecks.length + gatewayChecks.length + disputeChecks.length + earningsChecks.length + inventoryChecks.length} checks found broken rows`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
