import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { makeCustomer, makeOrder, makeProduct, sqlRows, type CustomerFixture } from '../helpers/chain-fixtures.js';
import { insertPayment, makeInvoice, serviceCtx } from '../helpers/money-fixtures.js';
import { expectJson } from './support.js';

// The customer events of issue 13's notifications, each written to the outbox in the transaction of its change: a
// failed delivery, an invoice issued, a payment received (a cheque only once it clears), a refund sent back.

let t: TestApp;
let milk: Awaited<ReturnType<typeof makeProduct>>;
const db = () => t.database.db;
beforeAll(async () => {
  t = await createTestApp();
  milk = await makeProduct(db(), { price_paise: 2800, gst_rate_bp: 0, hsn_code: '0401' });
});
afterAll(() => t?.close());

const notices = (c: CustomerFixture, template: string) =>
  sqlRows<{ channel: string; recipient: string; status: string; payload: Record<string, unknown>; dedupe_key: string }>(
    db(),
    sql`select channel, recipient, status, payload, dedupe_key from notifications where customer_id = ${c.customer.id} and template = ${template} order by created_at`,
  );

test('a failed delivery tells the customer on WhatsApp, with the reason, once', async () => {
  const c = await makeCustomer(db());
  const o = await makeOrder(db(), { customer: c, items: [{ product: milk, quantity: 1 }] });
  await expectJson(await t.call('manager', 'POST', `/api/deliveries/${o.delivery.id}/fail`, { reason: 'Gate locked, nobody answered' }), 200);
  const [n, ...more] = await notices(c, 'delivery.failed');
  expect(more).toHaveLength(0);
  expect(n).toMatchObject({ channel: 'whatsapp', recipient: c.customer.phone, status: 'pending', payload: { customer_name: c.customer.name, reason: 'Gate locked, nobody answered' } });
  // A refused fail (already failed) writes no second message.
  expect((await t.call('manager', 'POST', `/api/deliveries/${o.delivery.id}/fail`, { reason: 'Again' })).status).toBe(409);
  expect(await notices(c, 'delivery.failed')).toHaveLength(1);
});

test('an issued invoice and a cash payment each reach the customer; a cheque only when it clears', async () => {
  const c = await makeCustomer(db());
  const invoice = await makeInvoice(serviceCtx(db(), t.userIds.finance), c, milk, { quantity: 3 });
  expect(await notices(c, 'invoice.issued')).toEqual([expect.objectContaining({ payload: expect.objectContaining({ invoice_number: invoice.number, total: '₹84.00', due_date: invoice.due_date }) })]);

  await expectJson(await t.call('finance', 'POST', '/api/payments', { customer_id: c.customer.id, amount_paise: 4000, method: 'cash' }), 201);
  expect(await notices(c, 'payment.received')).toEqual([expect.objectContaining({ payload: expect.objectContaining({ amount: '₹40.00', method: 'cash' }) })]);

  const cheque = await expectJson(await t.call('finance', 'POST', '/api/payments', { customer_id: c.customer.id, amount_paise: 4400, method: 'cheque', reference: '004512' }), 201);
  expect(await notices(c, 'payment.received')).toHaveLength(1);
  await expectJson(await t.call('finance', 'POST', `/api/payments/${cheque.id}/deposit`, {}), 200);
  await expectJson(await t.call('finance', 'POST', `/api/payments/${cheque.id}/clear`, {}), 200);
  const received = await notices(c, 'payment.received');
  expect(received).toHaveLength(2);
  expect(received[1].payload).toMatchObject({ amount: '₹44.00', method: 'cheque' });
});

test('a refund to the wallet tells the customer when it is approved; a rejected one does not', async () => {
  const c = await makeCustomer(db());
  const payment = await insertPayment(db(), c.customer.id, 30000);
  const ask = (amount: number) =>
    t.call('support', 'POST', '/api/refunds', { payment_id: payment, amount_paise: amount, reason: 'goodwill', destination: 'wallet', note: 'Customer called about it' });
  const kept = await expectJson(await ask(2500), 201);
  const refused = await expectJson(await ask(1000), 201);
  expect(await notices(c, 'refund.processed')).toHaveLength(0);
  await expectJson(await t.call('finance', 'POST', `/api/refunds/${refused.id}/reject`, { reason: 'Not ours to give' }), 200);
  await expectJson(await t.call('finance', 'POST', `/api/refunds/${kept.id}/approve`), 200);
  expect(await notices(c, 'refund.processed')).toEqual([
    expect.objectContaining({ dedupe_key: `refund-processed:${kept.id}`, payload: expect.objectContaining({ amount: '₹25.00', destination: 'your Milkrun wallet' }) }),
  ]);
});
