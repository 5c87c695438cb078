import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { dataHealth, type DataHealth } from '../../api/modules/health/health.service.js';
import { inventoryChecks } from '../../api/modules/inventory/inventory.health.js';
import type { Db } from '../../db/client.js';
import { freshDatabase } from '../helpers/app.js';
import { makeCustomer, makeOrder, makeProduct, makeStaff, sqlRows } from '../helpers/chain-fixtures.js';

// The stock ledger's data health checks: a healthy ledger reports nothing of ours; the same ledger broken in raw SQL
// with its trigger off (session_replication_role = replica, as a restore or a hand-written UPDATE would) is reported.

let database: Awaited<ReturnType<typeof freshDatabase>>;
const db = () => database.db;
const one = async <T = Record<string, any>>(q: Parameters<typeof sqlRows>[1], on: Db = db()) => (await sqlRows<T>(on, q))[0];
const RUN = '2031-03-03';

let depot: string;
let product: Awaited<ReturnType<typeof makeProduct>>;
let staffId: string;
let batch: string;

beforeAll(async () => {
  database = await freshDatabase();
  depot = (await one<{ id: string }>(sql`insert into depots (name, city, lat, lng) values ('Health North', 'Bengaluru', 13.02, 77.52) returning id`)).id;
  product = await makeProduct(db());
  staffId = (await makeStaff(db())).staff.id;
  const customer = await makeCustomer(db());
  // The run sheet of RUN morning for this staff member: 5 units of the product.
  await makeOrder(db(), { customer, items: [{ product, quantity: 5 }], delivery_date: RUN, shift: 'morning', staff_id: staffId });
  batch = (await one<{ id: string }>(sql`insert into stock_batches (product_id, depot_id, batch_code, expiry_date) values (${product.id}, ${depot}, 'HB-1', '2031-03-10') returning id`)).id;
  await db().execute(sql`insert into stock_movements (kind, product_id, depot_id, batch_id, quantity, reason) values ('adjustment', ${product.id}, ${depot}, ${batch}, 20, 'counted')`);
  await db().execute(sql`insert into stock_movements (kind, product_id, depot_id, batch_id, quantity, reason, run_date, run_shift, staff_id)
    values ('dispatch', ${product.id}, ${depot}, ${batch}, -5, '', ${RUN}, 'morning', ${staffId})`);
});
afterAll(() => database?.drop());

const runKey = () => `${RUN} morning ${staffId} ${product.id}`;

test('a ledger kept by its trigger is healthy: stock equals the ledger, no batch below zero, dispatches within the run sheet', async () => {
  expect((await one<{ quantity: number }>(sql`select quantity from stock_batches where id = ${batch}`)).quantity).toBe(15);
  const health = await dataHealth(db());
  for (const check of inventoryChecks) expect(health.checks.find((c) => c.name === check.name)!.count, check.name).toBe(0);
});

test('stock differing from its ledger, a negative batch and a dispatch beyond the run sheet, written with the trigger off, are each reported', async () => {
  let health: DataHealth | undefined;
  const broken: Record<string, string> = {};
  const hits: Record<string, number> = {};
  await db()
    .transaction(async (tx) => {
      const t = tx as unknown as Db;
      await tx.execute(sql`set local session_replication_role = replica`);
      // Stock edited by hand: 999 where the ledger says 15.
      await tx.execute(sql`update stock_batches set quantity = 999 where id = ${batch}`);
      broken.stock_off_ledger = batch;
      // A batch whose ledger and quantity both went below zero: its CHECK dropped as well (a restore without constraints).
      await tx.execute(sql`alter table stock_batches drop constraint stock_batches_quantity_nonnegative`);
      const neg = (await one<{ id: string }>(sql`insert into stock_batches (product_id, depot_id, batch_code, expiry_date, quantity) values (${product.id}, ${depot}, 'HB-NEG', '2031-03-10', -2) returning id`, t)).id;
      await tx.execute(sql`insert into stock_movements (kind, product_id, depot_id, batch_id, quantity, reason) values ('wastage', ${product.id}, ${depot}, ${neg}, -2, 'spilt')`);
      broken.stock_batches_negative = neg;
      // 10 more dispatched to the same run: 15 sent where its sheet holds 5 (ledger line on the negative batch, so the
      // first batch stays what the first check reports).
      await tx.execute(sql`update stock_batches set quantity = -12 where id = ${neg}`);
      await tx.execute(sql`insert into stock_movements (kind, product_id, depot_id, batch_id, quantity, reason, run_date, run_shift, staff_id)
        values ('dispatch', ${product.id}, ${depot}, ${neg}, -10, '', ${RUN}, 'morning', ${staffId})`);
      broken.dispatch_beyond_run_sheet = runKey();
      health = await dataHealth(t);
      for (const check of inventoryChecks) {
        hits[check.name] = (await sqlRows<{ id: string }>(t, sql`select id from (${check.broken}) x where id = ${broken[check.name]}`)).length;
      }
      tx.rollback();
    })
    .catch((err: unknown) => {
      if (!(err instanceof Error && /rollback/i.test(err.message + err.name))) throw err;
    });
  expect(Object.keys(broken).sort()).toEqual(inventoryChecks.map((c) => c.name).sort());
  for (const name of Object.keys(broken)) {
    expect(health!.checks.find((c) => c.name === name)!.count, name).toBeGreaterThan(0);
    expect(hits[name], name).toBe(1);
  }
  expect(health!.ok).toBe(false);
  // Rolled back: healthy again.
  const after = await dataHealth(db());
  for (const check of inventoryChecks) expect(after.checks.find((c) => c.name === check.name)!.count, check.name).toBe(0);
});

test('a ledger line on a batch of another depot is off the ledger too', async () => {
  const other = (await one<{ id: string }>(sql`insert into depots (name, city, lat, lng) values ('Health South', 'Bengaluru', 12.81, 77.69) returning id`)).id;
  let hit = 0;
  await db()
    .transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`);
      const [line] = await sqlRows<{ id: string }>(tx as unknown as Db, sql`insert into stock_movements (kind, product_id, depot_id, batch_id, quantity, reason) values ('adjustment', ${product.id}, ${other}, ${batch}, 1, 'rebound') returning id`);
      const check = inventoryChecks.find((c) => c.name === 'stock_off_ledger')!;
      hit = (await sqlRows(tx as unknown as Db, sql`select id from (${check.broken}) x where id = ${line.id}`)).length;
      tx.rollback();
    })
    .catch((err: unknown) => {
      if (!(err instanceof Error && /rollback/i.test(err.message + err.name))) throw err;
    });
  expect(hit).toBe(1);
});
