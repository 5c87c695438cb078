import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { addDays, todayIST } from '../../api/lib/dates.js';
import { createSubscription } from '../../api/modules/subscriptions/subscriptions.service.js';
import { systemCtx } from '../../seeds/history.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { makeCustomer, makeProduct, makeZone } from '../helpers/chain-fixtures.js';
import { expectJson, expectProblem } from './support.js';

// The computed lists (stock, forecast, reorder proposals) follow the simple-rest contract like the stored ones: sorted by
// _sort/_order over the whole list, then paged by _start/_end, with the whole list's total; the ledger's running balance.

let t: TestApp;
let depot: { id: string };
const products: { id: string; name: string }[] = [];
const quantities = [7, 30, 12, 1, 19];

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  depot = await expectJson(await t.call('admin', 'POST', '/api/depots', { name: 'Lists depot', city: 'Bengaluru', lat: 13.02, lng: 77.52 }), 201);
  for (const [i, q] of quantities.entries()) {
    const p = await makeProduct(db, { name: `Lists product ${String.fromCharCode(69 - i)}` });
    products.push(p);
    await expectJson(await t.call('manager', 'POST', '/api/stock-movements', { kind: 'adjustment', product_id: p.id, depot_id: depot.id, quantity: q, reason: 'Opening count', batch_code: `L-${i}`, expiry_date: addDays(todayIST(), 10) }), 201);
  }
  // Demand for the forecast: a daily subscription in a zone this depot serves.
  const zone = await makeZone(db);
  await db.execute(sql`update zones set depot_id = ${depot.id} where id = ${zone.id}`);
  const ctx = await systemCtx(db, t.userIds.admin);
  for (const [i, p] of products.slice(0, 3).entries()) {
    const { customer, address } = await makeCustomer(db, { zone_id: zone.id });
    await createSubscription(ctx, { customer_id: customer.id, address_id: address.id, product_id: p.id, quantity: i + 1, schedule: 'daily', shift: 'morning', start_date: addDays(todayIST(), 1) } as never, { today: todayIST() });
  }
});
afterAll(() => t?.close());

const list = async (path: string) => {
  const res = await t.call('manager', 'GET', path);
  const body = await expectJson<Record<string, unknown>[]>(res, 200);
  return { rows: body, total: Number(res.headers.get('x-total-count')) };
};

test('stock sorts by any of its columns over the whole list, then pages; the total is the whole list', async () => {
  const base = `/api/stock?depot_id=${depot.id}`;
  const top = await list(`${base}&_sort=quantity&_order=desc&_start=0&_end=2`);
  expect(top.rows.map((r) => r.quantity)).toEqual([30, 19]);
  expect(top.total).toBe(5);
  const next = await list(`${base}&_sort=quantity&_order=desc&_start=2&_end=4`);
  expect(next.rows.map((r) => r.quantity)).toEqual([12, 7]);
  const byName = await list(`${base}&_sort=product_name&_order=asc`);
  expect(byName.rows.map((r) => r.product_name)).toEqual([...byName.rows.map((r) => String(r.product_name))].sort());
  expect(byName.rows.map((r) => r.quantity)).toEqual([19, 1, 12, 30, 7]);
  const bad = await expectProblem(await t.call('manager', 'GET', `${base}&_sort=secret`), 400, 'unknown_sort');
  expect(bad.message).toContain('Sortable fields');
  await expectProblem(await t.call('manager', 'GET', `${base}&_sort=quantity&_order=sideways`), 400, 'bad_sort');
});

test('the forecast sorts and pages too', async () => {
  const from = addDays(todayIST(), 1);
  const all = await list(`/api/forecast?from=${from}&days=7&depot_id=${depot.id}`);
  expect(all.total).toBe(21); // 3 products x 7 days, morning
  const biggest = await list(`/api/forecast?from=${from}&days=7&depot_id=${depot.id}&_sort=subscription_quantity,date&_order=desc,asc&_start=0&_end=3`);
  expect(biggest.rows.map((r) => [r.subscription_quantity, r.date])).toEqual([[3, from], [3, addDays(from, 1)], [3, addDays(from, 2)]]);
  expect(biggest.total).toBe(21);
  await expectProblem(await t.call('manager', 'GET', `/api/forecast?from=${from}&_sort=nope`), 400, 'unknown_sort');
  await expectProblem(await t.call('manager', 'GET', `/api/reorder-proposals?_sort=nope`), 400, 'unknown_sort');
});

test("a product's ledger carries the stock right after each line, newest first", async () => {
  const p = products[0];
  await expectJson(await t.call('manager', 'POST', '/api/stock-movements', { kind: 'wastage', product_id: p.id, depot_id: depot.id, quantity: 2, reason: 'Crate dropped' }), 201);
  await expectJson(await t.call('manager', 'POST', '/api/stock-movements', { kind: 'spoilage', product_id: p.id, depot_id: depot.id, quantity: 1, reason: 'Soured' }), 201);
  const ledger = await list(`/api/stock-movements?product_id=${p.id}&depot_id=${depot.id}&_sort=created_at&_order=desc`);
  expect(ledger.rows.map((r) => [r.kind, r.quantity, r.balance])).toEqual([['spoilage', -1, 4], ['wastage', -2, 5], ['adjustment', 7, 7]]);
});
