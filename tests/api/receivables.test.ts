import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Ctx } from '../../api/lib/context.js';
import { addDays, todayIST } from '../../api/lib/dates.js';
import { recordPayment } from '../../api/modules/payments/payments.service.js';
import type { Db } from '../../db/client.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { makeCustomer, makeProduct, makeZone, type CustomerFixture } from '../helpers/chain-fixtures.js';
import { makeInvoice, serviceCtx } from '../helpers/money-fixtures.js';
import { expectJson, expectProblem, rows } from './support.js';

// Receivables: each customer's balance due aged by days past due, their wallet credit, the list's filters and sorts
// (through the kept balances), and totals by zone that add up to the rows.

let t: TestApp;
let db: Db;
let ctx: Ctx;
let term: number;
let north: { id: string; name: string };
let south: { id: string; name: string };
let product: Awaited<ReturnType<typeof makeProduct>>;
const people: Record<string, CustomerFixture> = {};

/** An invoice of n x ₹100 whose due date is `late` days before today (negative: due in the future). */
const invoiceDue = (c: CustomerFixture, n: number, late: number) => makeInvoice(ctx, c, product, { quantity: n, day: addDays(todayIST(), -late - term) });

beforeAll(async () => {
  t = await createTestApp();
  db = t.database.db;
  ctx = serviceCtx(db, t.userIds.finance);
  [{ payment_term_days: term }] = await rows<{ payment_term_days: number }>(db, sql`select payment_term_days from settings`);
  north = await makeZone(db, `North ${Math.random().toString(36).slice(2, 6)}`);
  south = await makeZone(db, `South ${Math.random().toString(36).slice(2, 6)}`);
  product = await makeProduct(db, { price_paise: 10000, gst_rate_bp: 0 });
  people.asha = await makeCustomer(db, { zone_id: north.id, name: 'Asha Receivable' });
  people.bala = await makeCustomer(db, { zone_id: north.id, name: 'Bala Receivable' });
  people.chitra = await makeCustomer(db, { zone_id: south.id, name: 'Chitra Receivable' });
  people.dev = await makeCustomer(db, { zone_id: south.id, name: 'Dev Receivable' });
  // Asha: one invoice in each bucket (not due, 1-30, 31-60, 61-90, over 90), the oldest partly paid.
  await invoiceDue(people.asha, 1, -3);
  await invoiceDue(people.asha, 2, 1);
  await invoiceDue(people.asha, 3, 45);
  await invoiceDue(people.asha, 4, 90);
  await invoiceDue(people.asha, 5, 91);
  await recordPayment(ctx, { customer_id: people.asha.customer.id, amount_paise: 20000, method: 'cash' });
  // Bala: due today (not past due); Chitra: paid in full; Dev: only credit.
  await invoiceDue(people.bala, 7, 0);
  await invoiceDue(people.chitra, 1, 10);
  await recordPayment(ctx, { customer_id: people.chitra.customer.id, amount_paise: 10000, method: 'cash' });
  await recordPayment(ctx, { customer_id: people.dev.customer.id, amount_paise: 2500, method: 'cash' });
});
afterAll(() => t?.close());

const row = (list: any[], c: CustomerFixture) => list.find((r) => r.customer_id === c.customer.id);

describe('receivables', () => {
  test('ages each balance due by days past due; the buckets add up to it; credit and net beside it', async () => {
    const list = await expectJson<any[]>(await t.call('finance', 'GET', '/api/receivables?_start=0&_end=100'), 200);
    expect(row(list, people.asha)).toMatchObject({
      customer_name: 'Asha Receivable',
      zone_id: north.id,
      zone_name: north.name,
      balance_due_paise: 130000,
      open_invoices: 5,
      days_past_due: 91,
      not_due_paise: 10000,
      d1_30_paise: 20000,
      d31_60_paise: 30000,
      d61_90_paise: 40000,
      // ₹500 less the ₹200 paid on the oldest invoice.
      over_90_paise: 30000,
      wallet_paise: 0,
      net_paise: 130000,
    });
    expect(row(list, people.bala)).toMatchObject({ balance_due_paise: 70000, not_due_paise: 70000, days_past_due: 0, d1_30_paise: 0 });
    expect(row(list, people.chitra)).toBeUndefined();
    expect(row(list, people.dev)).toMatchObject({ balance_due_paise: 0, wallet_paise: 2500, net_paise: -2500, open_invoices: 0, oldest_due_date: null });
    for (const r of list) expect(r.not_due_paise + r.d1_30_paise + r.d31_60_paise + r.d61_90_paise + r.over_90_paise).toBe(r.balance_due_paise);
    // Sorted by balance due, largest first, by default.
    const dues = list.map((r) => r.balance_due_paise);
    expect(dues).toEqual([...dues].sort((a, b) => b - a));
  });

  test('filters by zone, by something over 90 days past due, and by name; sorts by the kept columns', async () => {
    const inNorth = await expectJson<any[]>(await t.call('finance', 'GET', `/api/receivables?zone_id=${north.id}`), 200);
    expect(inNorth.map((r) => r.customer_id).sort()).toEqual([people.asha.customer.id, people.bala.customer.id].sort());
    const overdue = await expectJson<any[]>(await t.call('finance', 'GET', `/api/receivables?oldest_due_date_lte=${addDays(todayIST(), -91)}`), 200);
    expect(overdue.map((r) => r.customer_id)).toEqual([people.asha.customer.id]);
    const found = await expectJson<any[]>(await t.call('support', 'GET', '/api/receivables?q=bala'), 200);
    expect(found.map((r) => r.customer_id)).toEqual([people.bala.customer.id]);
    const byWallet = await expectJson<any[]>(await t.call('finance', 'GET', `/api/receivables?_sort=wallet_paise&_order=desc&_end=1`), 200);
    expect(byWallet[0].customer_id).toBe(people.dev.customer.id);
    const oldest = await expectJson<any[]>(await t.call('finance', 'GET', `/api/receivables?_sort=oldest_due_date&_order=asc&zone_id=${north.id}`), 200);
    expect(oldest.map((r) => r.customer_id)).toEqual([people.asha.customer.id, people.bala.customer.id]);
    await expectProblem(await t.call('finance', 'GET', '/api/receivables?_sort=over_90_paise'), 400, 'unknown_sort');
    await expectProblem(await t.call('finance', 'GET', '/api/receivables?color=red'), 400, 'unknown_filter');
  });

  test('totals by zone, aged, add up to the rows; every zone is listed', async () => {
    const totals = await expectJson(await t.call('manager', 'GET', '/api/receivables/zones'), 200);
    expect(totals.as_of).toBe(todayIST());
    const z = (id: string) => totals.zones.find((x: any) => x.zone_id === id);
    expect(z(north.id)).toMatchObject({ customers: 2, balance_due_paise: 200000, not_due_paise: 80000, d1_30_paise: 20000, d31_60_paise: 30000, d61_90_paise: 40000, over_90_paise: 30000, wallet_paise: 0 });
    expect(z(south.id)).toMatchObject({ customers: 0, balance_due_paise: 0, wallet_paise: 2500 });
    const all = await expectJson<any[]>(await t.call('finance', 'GET', '/api/receivables?_end=1000'), 200);
    expect(totals.total.balance_due_paise).toBe(all.reduce((s, r) => s + r.balance_due_paise, 0));
    expect(totals.total.wallet_paise).toBe(all.reduce((s, r) => s + r.wallet_paise, 0));
    for (const k of ['not_due_paise', 'd1_30_paise', 'd31_60_paise', 'd61_90_paise', 'over_90_paise']) {
      expect(totals.total[k], k).toBe(all.reduce((s, r) => s + r[k], 0));
    }
  });

  test('no session is refused (the roles: tests/api/route-access.test.ts)', async () => {
    await expectProblem(await t.call(null, 'GET', '/api/receivables'), 401);
  });
});
