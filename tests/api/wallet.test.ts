import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Ctx } from '../../api/lib/context.js';
import { addDays, monthBounds, todayIST } from '../../api/lib/dates.js';
import { runInvoices } from '../../api/modules/invoices/invoice-runs.service.js';
import { confirmDelivery } from '../../api/modules/deliveries/deliveries.service.js';
import { expireWalletLots } from '../../api/modules/wallets/wallets.service.js';
import type { Db } from '../../db/client.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { makeCustomer, makeOrder, makeProduct, makeZone, type CustomerFixture } from '../helpers/chain-fixtures.js';
import { makeInvoice, serviceCtx } from '../helpers/money-fixtures.js';
import { auditRowsOf, expectJson, expectProblem, rows } from './support.js';
import { deliveredAt } from '../helpers/delivered-at.js';

// Customer credit: promotional credit and top-ups applied once per Idempotency-Key, spent soonest-expiring first by
// the invoice run, never below zero under 50 debits at once, and expired by a job that writes each expiry once.

let t: TestApp;
let db: Db;
let ctx: Ctx;
let zoneId: string;
let product: Awaited<ReturnType<typeof makeProduct>>;
let rupee: Awaited<ReturnType<typeof makeProduct>>;

beforeAll(async () => {
  t = await createTestApp();
  db = t.database.db;
  ctx = serviceCtx(db, t.userIds.finance);
  zoneId = (await makeZone(db)).id;
  product = await makeProduct(db, { price_paise: 10000, gst_rate_bp: 0 });
  rupee = await makeProduct(db, { price_paise: 100, gst_rate_bp: 0 });
});
afterAll(() => t?.close());

const customer = () => makeCustomer(db, { zone_id: zoneId });
const promo = (c: CustomerFixture, amount: number, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  t.call('finance', 'POST', `/api/customers/${c.customer.id}/wallet/promo`, { amount_paise: amount, note: 'Welcome offer', ...extra }, headers);
const ledgerSum = async (customerId: string) =>
  Number(
    (await rows<{ n: string }>(db, sql`select coalesce(sum(case when kind in ('credit', 'reinstate') then amount_paise else -amount_paise end), 0) as n from wallet_transactions where customer_id = ${customerId}`))[0].n,
  );
const lotsOf = (customerId: string) => rows<{ id: string; source: string; remaining_paise: string; expires_at: Date | null }>(db, sql`select id, source, remaining_paise, expires_at from wallet_lots where customer_id = ${customerId} order by created_at`);

describe('giving credit', () => {
  test('promotional credit expires after 30 days by default (at midnight IST); applied once per Idempotency-Key', async () => {
    const c = await customer();
    const key = `promo-${c.customer.id}`;
    const wallet = await expectJson(await promo(c, 5000, {}, { 'idempotency-key': key }), 201);
    expect(wallet).toMatchObject({ balance_paise: 5000, available_paise: 5000 });
    expect(wallet.lots).toEqual([expect.objectContaining({ source: 'promo', amount_paise: 5000, remaining_paise: 5000, note: 'Welcome offer' })]);
    expect(wallet.lots[0].expires_at).toBe(new Date(`${addDays(todayIST(), 31)}T00:00:00+05:30`).toISOString());
    const again = await promo(c, 5000, {}, { 'idempotency-key': key });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await lotsOf(c.customer.id)).toHaveLength(1);
    expect(wallet.transactions).toEqual([expect.objectContaining({ kind: 'credit', amount_paise: 5000, lot_source: 'promo' })]);
    expect((await auditRowsOf(db, wallet.lots[0].id)).map((a) => a.action)).toEqual(['credit']);
    await expectProblem(await promo(c, 100, { expires_on: addDays(todayIST(), -1) }), 422, 'expiry_in_past');
    await expectProblem(await promo(c, 100, { note: '' }), 400, 'validation_failed');
    await expectProblem(await t.call('support', 'POST', `/api/customers/${c.customer.id}/wallet/promo`, { amount_paise: 100, note: 'goodwill' }), 403, 'forbidden');
  });

  test('a top-up is money in that never expires, recorded once per Idempotency-Key', async () => {
    const c = await customer();
    await makeInvoice(ctx, c, product);
    const body = { amount_paise: 20000, method: 'upi', reference: `UPI-TOPUP-${c.customer.id.slice(0, 8)}` };
    const headers = { 'idempotency-key': `topup-${c.customer.id}` };
    const first = await expectJson(await t.call('finance', 'POST', `/api/customers/${c.customer.id}/wallet/top-up`, body, headers), 201);
    // All of it is credit, even with an invoice open: a top-up is kept for what comes.
    expect(first).toMatchObject({ amount_paise: 20000, allocated_paise: 0, credited_paise: 20000, allocations: [] });
    expect(first.lots).toEqual([expect.objectContaining({ source: 'top_up', amount_paise: 20000, expires_at: null, payment_id: first.id })]);
    const second = await t.call('finance', 'POST', `/api/customers/${c.customer.id}/wallet/top-up`, body, headers);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(await expectJson(second, 201)).toEqual(first);
    expect(await lotsOf(c.customer.id)).toHaveLength(1);
    await expectProblem(await t.call('support', 'POST', `/api/customers/${c.customer.id}/wallet/top-up`, body), 403, 'forbidden');
  });
});

describe('spending credit', () => {
  test('the invoice run applies available credit to the new invoice, soonest-expiring lot first', async () => {
    const c = await customer();
    // Last month's deliveries, invoiced by the run below.
    const { start } = monthBounds(addDays(monthBounds(todayIST()).start, -1));
    for (const day of [addDays(start, 2), addDays(start, 9)]) {
      const o = await makeOrder(db, { customer: c, delivery_date: day, items: [{ product, quantity: 1 }] });
      await confirmDelivery(ctx, o.delivery.id, { delivered_at: deliveredAt(day) });
    }
    const topUp = await expectJson(await t.call('finance', 'POST', `/api/customers/${c.customer.id}/wallet/top-up`, { amount_paise: 6000, method: 'cash' }), 201);
    await expectJson(await promo(c, 3000, { expires_on: addDays(todayIST(), 60) }), 201);
    const soon = await expectJson(await promo(c, 4000, { expires_on: addDays(todayIST(), 5) }), 201);
    await runInvoices(ctx, { month: start.slice(0, 7), customer_id: c.customer.id });
    const [inv] = await rows<{ id: string; paid_paise: string; balance_due_paise: string }>(db, sql`select id, paid_paise, balance_due_paise from invoices where customer_id = ${c.customer.id}`);
    expect([Number(inv.paid_paise), Number(inv.balance_due_paise)]).toEqual([13000, 7000]);
    const debits = await rows<{ lot_id: string; amount_paise: string }>(db, sql`select lot_id, amount_paise from wallet_transactions where customer_id = ${c.customer.id} and kind = 'debit' order by created_at, id`);
    const soonLot = soon.lot_id;
    expect(debits.map((d) => [d.lot_id, Number(d.amount_paise)])).toEqual([
      [soonLot, 4000],
      [(await lotsOf(c.customer.id)).find((l) => l.source === 'promo' && l.id !== soonLot)!.id, 3000],
      [topUp.lots[0].id, 6000],
    ]);
    const allocations = await expectJson<any[]>(await t.call('finance', 'GET', `/api/payment-allocations?invoice_id=${inv.id}&_sort=created_at&_order=asc`), 200);
    expect(allocations.map((a) => [a.source, a.amount_paise])).toEqual([
      ['wallet', 4000],
      ['wallet', 3000],
      ['wallet', 6000],
    ]);
    expect(await ledgerSum(c.customer.id)).toBe(0);
  });

  test('expired credit is never spent, whether or not its expiry line is written yet', async () => {
    const c = await customer();
    const inv = await makeInvoice(ctx, c, product);
    await db.execute(sql`insert into wallet_lots (customer_id, source, amount_paise, remaining_paise, expires_at) values (${c.customer.id}, 'promo', 5000, 5000, now() - interval '1 hour')`);
    await expectProblem(await t.call('finance', 'POST', `/api/invoices/${inv.id}/apply-credit`), 409, 'no_credit');
    const wallet = await expectJson(await t.call('support', 'GET', `/api/customers/${c.customer.id}/wallet`), 200);
    expect(wallet).toMatchObject({ balance_paise: 5000, available_paise: 0 });
  });

  test('fifty debits at once never take the wallet below zero: ten are applied, forty refused', { tags: ['race'] }, async () => {
    const c = await customer();
    const invoices = [];
    for (let i = 0; i < 50; i++) invoices.push(await makeInvoice(ctx, c, rupee));
    // Two lots (₹6 expiring soon, ₹4 later): the debits draw the soonest first and cross from one lot to the next.
    await expectJson(await promo(c, 600, { expires_on: addDays(todayIST(), 3) }), 201);
    await expectJson(await promo(c, 400, { expires_on: addDays(todayIST(), 20) }), 201);
    const results = await Promise.all(invoices.map((inv) => t.call('finance', 'POST', `/api/invoices/${inv.id}/apply-credit`)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 409)).toHaveLength(40);
    for (const r of results.filter((x) => x.status === 409)) await expectProblem(r, 409, 'no_credit');
    const lots = await lotsOf(c.customer.id);
    expect(lots.map((l) => Number(l.remaining_paise))).toEqual([0, 0]);
    expect(await ledgerSum(c.customer.id)).toBe(0);
    const [paid] = await rows<{ n: string; total: string }>(db, sql`select count(*) filter (where payment_status = 'paid') as n, sum(paid_paise) as total from invoices where customer_id = ${c.customer.id}`);
    expect([Number(paid.n), Number(paid.total)]).toEqual([10, 1000]);
    const [balance] = await rows<{ wallet_paise: string }>(db, sql`select wallet_paise from customer_balances where customer_id = ${c.customer.id}`);
    expect(Number(balance.wallet_paise)).toBe(0);
  });
});

describe('expiry', () => {
  test('the job writes one expiry line per lot past its expiry, once, however many processes run it at once', { tags: ['race'] }, async () => {
    const a = await customer();
    const b = await customer();
    for (const c of [a, b]) {
      await db.execute(sql`insert into wallet_lots (customer_id, source, amount_paise, remaining_paise, expires_at, note) values (${c.customer.id}, 'promo', 2500, 2500, now() - interval '2 days', 'Diwali')`);
    }
    const live = await expectJson(await promo(a, 1000), 201);
    const expiryLines = async () => Number((await rows<{ n: string }>(db, sql`select count(*) as n from wallet_transactions where kind = 'expiry'`))[0].n);
    const before = await expiryLines();
    const jobCtx = { ...ctx, actor: null, requestId: 'expiry-test' };
    const [r1, r2, r3] = await Promise.all([expireWalletLots(jobCtx, { batch: 1 }), expireWalletLots(jobCtx), expireWalletLots(jobCtx)]);
    // Together they expired each due lot once: as many lines as they counted, none twice, none left behind.
    expect(r1.expired + r2.expired + r3.expired).toBe((await expiryLines()) - before);
    expect(await rows(db, sql`select lot_id from wallet_transactions where kind = 'expiry' group by lot_id having count(*) > 1`)).toEqual([]);
    expect(await rows(db, sql`select id from wallet_lots where remaining_paise > 0 and expires_at <= now()`)).toEqual([]);
    const lines = await rows<{ customer_id: string; amount_paise: string }>(db, sql`select customer_id, amount_paise from wallet_transactions where kind = 'expiry' and customer_id in (${a.customer.id}, ${b.customer.id})`);
    expect(lines.map((l) => Number(l.amount_paise))).toEqual([2500, 2500]);
    // Through the API (finance; every API process also runs it every 10 minutes): nothing left to expire now.
    expect(await expectJson(await t.call('finance', 'POST', '/api/wallets/expire'), 200)).toEqual({ expired: 0, amount_paise: 0 });
    await expectProblem(await t.call('support', 'POST', '/api/wallets/expire'), 403, 'forbidden');
    const wallet = await expectJson(await t.call('finance', 'GET', `/api/customers/${a.customer.id}/wallet`), 200);
    expect(wallet).toMatchObject({ balance_paise: 1000, available_paise: 1000 });
    expect(wallet.lots.find((l: any) => l.id === live.lot_id)).toMatchObject({ remaining_paise: 1000 });
    const ledger = await expectJson<any[]>(await t.call('manager', 'GET', `/api/wallet-transactions?customer_id=${a.customer.id}&kind=expiry`), 200);
    expect(ledger).toEqual([expect.objectContaining({ kind: 'expiry', amount_paise: 2500, lot_source: 'promo' })]);
    const statement = await expectJson(await t.call('finance', 'GET', `/api/customers/${a.customer.id}/statement`), 200);
    expect(statement.lines.find((l: any) => l.kind === 'wallet_expired')).toMatchObject({ debit_paise: 2500 });
  });
});
