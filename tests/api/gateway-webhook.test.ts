import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_WEBHOOK_SECRET } from '../../api/lib/env.js';
import { signBody } from '../../api/modules/gateway/signature.js';
import { formatRupees } from '../../shared/money.js';
import { fakeRefundProvider, type FakeRefundProvider } from '../../api/modules/refunds/provider.js';
import type { Db } from '../../db/client.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { makeCustomer, makeProduct, sqlRows, type CustomerFixture } from '../helpers/chain-fixtures.js';
import { makeInvoice, serviceCtx } from '../helpers/money-fixtures.js';
import { auditRowsOf, expectJson, expectProblem } from './support.js';

// The Razorpay webhook (issue 12, item 4): signed, not signed in; each event applied once (three copies at once too);
// states only forward whatever the order; a payment for no known customer kept for finance to assign; refund results
// moving the refund the gateway was sent.

const CURRENT = 'whsec-current-2026-rotation';
let t: TestApp;
let db: Db;
let provider: FakeRefundProvider;
let product: Awaited<ReturnType<typeof makeProduct>>;
const one = async <T = Record<string, any>>(q: ReturnType<typeof sql>) => (await sqlRows<T>(db, q))[0];
const count = async (q: ReturnType<typeof sql>) => Number((await one<{ n: number }>(q)).n);

beforeAll(async () => {
  // Results of refunds sent to the fake gateway come only by webhook here (it reports nothing by itself).
  provider = fakeRefundProvider();
  // A rotation under way: the new secret and the previous one (the demo's) are both live.
  t = await createTestApp({ refundProvider: provider, webhookSecrets: [CURRENT, DEMO_WEBHOOK_SECRET] });
  db = t.database.db;
  product = await makeProduct(db, { price_paise: 30000, gst_rate_bp: 0 });
  for (const role of ['admin', 'finance', 'support', 'manager'] as const) await t.cookie(role);
});
afterAll(() => t?.close());

let seq = 0;
const payId = () => `pay_T${Date.now().toString(36)}${++seq}`;

function paymentEvent(event: string, id: string, amount: number, customerId: string | null, extra: Record<string, unknown> = {}) {
  return {
    entity: 'event',
    account_id: 'acc_Milkrun',
    event,
    contains: ['payment'],
    payload: {
      payment: {
        entity: {
          id,
          entity: 'payment',
          amount,
          currency: 'INR',
          status: event.split('.')[1],
          method: 'upi',
          email: 'someone@example.com',
          contact: '+919812345678',
          notes: customerId === null ? {} : { customer_id: customerId },
          created_at: Math.floor(Date.now() / 1000) - 60,
          ...extra,
        },
      },
    },
    created_at: Math.floor(Date.now() / 1000),
  };
}

function refundEvent(event: 'refund.processed' | 'refund.failed', refundId: string, paymentId: string, amount: number) {
  return {
    entity: 'event',
    event,
    contains: ['refund', 'payment'],
    payload: {
      refund: { entity: { id: refundId, entity: 'refund', amount, currency: 'INR', payment_id: paymentId, status: event.split('.')[1], error_description: event === 'refund.failed' ? 'Bank account closed' : null } },
      payment: { entity: { id: paymentId, entity: 'payment', amount, currency: 'INR', status: 'captured' } },
    },
    created_at: Math.floor(Date.now() / 1000),
  };
}

/** Posts a body to the webhook as Razorpay does: signed with `secret`, with its event id. */
function deliver(body: unknown, opts: { eventId?: string; secret?: string; signature?: string } = {}): Promise<Response> {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-razorpay-event-id': opts.eventId ?? `evt_${randomUUID().replace(/-/g, '').slice(0, 14)}`,
    'x-razorpay-signature': opts.signature ?? signBody(raw, opts.secret ?? CURRENT),
  };
  return Promise.resolve(t.app.request('/api/webhooks/razorpay', { method: 'POST', headers, body: raw }));
}

const gatewayRow = (id: string) => one(sql`select * from gateway_payments where gateway_payment_id = ${id}`);
const paymentsOf = (id: string) => sqlRows(db, sql`select * from payments where method = 'gateway' and reference = ${id}`);

describe('signature', () => {
  test('a bad signature is a 401 and stores nothing, whatever the body', async () => {
    const id = payId();
    const body = paymentEvent('payment.captured', id, 10000, null);
    const eventId = `evt_bad_${id}`;
    const before = await count(sql`select count(*) as n from gateway_events`);
    await expectProblem(await deliver(body, { eventId, signature: signBody(JSON.stringify(body), 'not-the-secret') }), 401, 'bad_signature');
    await expectProblem(await deliver(body, { eventId, signature: 'zz' }), 401, 'bad_signature');
    // Signed, then changed on the way (one byte of the amount).
    const raw = JSON.stringify(body);
    await expectProblem(await deliver(raw.replace('10000', '10001'), { eventId, signature: signBody(raw, CURRENT) }), 401, 'bad_signature');
    // No signature at all, and garbage with none.
    const res = await t.app.request('/api/webhooks/razorpay', { method: 'POST', headers: { 'content-type': 'application/json', 'x-razorpay-event-id': eventId }, body: raw });
    await expectProblem(res, 401, 'bad_signature');
    await expectProblem(await deliver('{"event": "\\u0000"', { eventId, signature: 'a'.repeat(64) }), 401, 'bad_signature');
    expect(await count(sql`select count(*) as n from gateway_events`)).toBe(before);
    expect(await gatewayRow(id)).toBeUndefined();
  });

  test('the previous secret is still accepted during a rotation; the current one too', async () => {
    const c = await makeCustomer(db);
    const a = payId();
    const b = payId();
    expect(await expectJson(await deliver(paymentEvent('payment.authorized', a, 5000, c.customer.id), { secret: DEMO_WEBHOOK_SECRET }), 200)).toMatchObject({ outcome: 'applied', duplicate: false });
    expect(await expectJson(await deliver(paymentEvent('payment.authorized', b, 5000, c.customer.id), { secret: CURRENT }), 200)).toMatchObject({ outcome: 'applied' });
    expect((await gatewayRow(a)).status).toBe('authorized');
    expect((await gatewayRow(b)).status).toBe('authorized');
  });

  test('signed garbage is a 400 with nothing stored, never a 500; an event id is required', async () => {
    const before = await count(sql`select count(*) as n from gateway_events`);
    await expectProblem(await deliver('not json at all'), 400, 'bad_event');
    await expectProblem(await deliver('[1,2,3]'), 400, 'bad_event');
    await expectProblem(await deliver({ event: 'payment.captured' }), 400, 'bad_event');
    await expectProblem(await deliver({ event: 'payment.captured', payload: { payment: { entity: { id: 'pay_x', amount: 'lots' } } }, note: 'a\u0000b' }), 400, 'bad_event');
    const raw = JSON.stringify(paymentEvent('payment.captured', payId(), 100, null));
    const res = await t.app.request('/api/webhooks/razorpay', { method: 'POST', headers: { 'content-type': 'application/json', 'x-razorpay-signature': signBody(raw, CURRENT) }, body: raw });
    await expectProblem(res, 400, 'bad_event');
    expect(await count(sql`select count(*) as n from gateway_events`)).toBe(before);
    // A readable event with an unreadable payment is kept as ignored (the gateway need not send it again).
    const ignored = await expectJson(await deliver({ event: 'payment.captured', payload: { payment: { entity: { id: 'pay_x', amount: -5 } } } }), 200);
    expect(ignored).toMatchObject({ outcome: 'ignored', duplicate: false });
    expect(await expectJson(await deliver({ event: 'order.paid', payload: {} }), 200)).toMatchObject({ outcome: 'ignored' });
  });

  test('a body past 64 KB is refused (413) before it is read', async () => {
    const big = JSON.stringify({ event: 'payment.captured', payload: {}, pad: 'x'.repeat(70 * 1024) });
    await expectProblem(await deliver(big), 413, 'payload_too_large');
  });
});

describe('payments', () => {
  let c: CustomerFixture;
  beforeAll(async () => {
    c = await makeCustomer(db);
  });

  test('captured for a known customer: recorded as a gateway payment that settles the oldest invoices first, the rest wallet credit; audited', async () => {
    const ctx = serviceCtx(db, t.userIds.finance);
    const older = await makeInvoice(ctx, c, product, { day: '2026-01-10' });
    const newer = await makeInvoice(ctx, c, product, { day: '2026-02-10' });
    const id = payId();
    const answer = await expectJson(await deliver(paymentEvent('payment.captured', id, 45000, c.customer.id)), 200);
    expect(answer).toMatchObject({ event: 'payment.captured', outcome: 'applied', duplicate: false });
    const gp = await gatewayRow(id);
    expect(gp).toMatchObject({ status: 'captured', customer_id: c.customer.id, method: 'upi' });
    const [payment] = await paymentsOf(id);
    expect(payment).toMatchObject({ id: gp.payment_id, customer_id: c.customer.id, status: 'captured', method: 'gateway' });
    expect(Number(payment.amount_paise)).toBe(45000);
    const invoices = await sqlRows(db, sql`select id, paid_paise::int as paid from invoices where id in (${older.id}, ${newer.id})`);
    expect(invoices.find((i) => i.id === older.id)!.paid).toBe(30000);
    expect(invoices.find((i) => i.id === newer.id)!.paid).toBe(15000);
    expect((await auditRowsOf(db, payment.id)).map((r) => r.action)).toContain('create');
    expect((await auditRowsOf(db, gp.id)).map((r) => r.action)).toContain('webhook:captured');
    // Finance sees it in the list and its events on the show page.
    const detail = await expectJson(await t.call('finance', 'GET', `/api/gateway-payments/${gp.id}`), 200);
    expect(detail).toMatchObject({ customer_name: c.customer.name, matched: true, payment_id: payment.id });
    expect(detail.events.map((e: any) => e.event)).toEqual(['payment.captured']);
  });

  test('captured with nothing open: all of it wallet credit (a lot with its credit line, audited); the receipt queued once on WhatsApp', async () => {
    const fresh = await makeCustomer(db);
    const id = payId();
    const eventId = `evt_credit_${id}`;
    const body = paymentEvent('payment.captured', id, 5250, fresh.customer.id);
    expect(await expectJson(await deliver(body, { eventId }), 200)).toMatchObject({ outcome: 'applied', duplicate: false });
    expect(await expectJson(await deliver(body, { eventId }), 200)).toMatchObject({ outcome: 'applied', duplicate: true });
    const [payment] = await paymentsOf(id);
    expect(Number(payment.credited_paise)).toBe(5250);
    expect(Number(payment.allocated_paise)).toBe(0);
    const lots = await sqlRows(db, sql`select id, source, amount_paise::int as amount, remaining_paise::int as remaining from wallet_lots where payment_id = ${payment.id}`);
    expect(lots).toEqual([{ id: lots[0].id, source: 'overpayment', amount: 5250, remaining: 5250 }]);
    expect(await count(sql`select count(*) as n from wallet_transactions where lot_id = ${lots[0].id} and kind = 'credit' and amount_paise = 5250`)).toBe(1);
    expect((await auditRowsOf(db, lots[0].id)).map((r) => r.action)).toEqual(['credit']);
    // The gateway payment is written once, already naming the payment; its audit row says so, as the payment's does.
    const gp = await gatewayRow(id);
    expect(gp.payment_id).toBe(payment.id);
    const [moved] = await auditRowsOf(db, gp.id);
    expect(moved).toMatchObject({ action: 'webhook:captured' });
    expect(moved.after).toMatchObject({ status: 'captured', payment_id: payment.id, customer_id: fresh.customer.id });
    const [created] = await auditRowsOf(db, payment.id);
    expect(created.after).toMatchObject({ gateway_payment: id, allocated: 0, credited_paise: 5250 });
    const notices = await sqlRows(db, sql`select template, recipient, customer_id, payload from notifications where dedupe_key = ${`payment-received:${payment.id}`}`);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ template: 'payment.received', recipient: fresh.customer.phone, customer_id: fresh.customer.id });
    expect(notices[0].payload).toMatchObject({ customer_name: fresh.customer.name, amount: formatRupees(5250), method: 'online payment' });
    expect(notices[0].payload.received_on).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  test('captured before authorized: it stays captured (the late authorization is stale), recorded once', async () => {
    const id = payId();
    await expectJson(await deliver(paymentEvent('payment.captured', id, 12000, c.customer.id)), 200);
    const late = await expectJson(await deliver(paymentEvent('payment.authorized', id, 12000, c.customer.id)), 200);
    expect(late).toMatchObject({ outcome: 'stale', duplicate: false });
    const failed = await expectJson(await deliver(paymentEvent('payment.failed', id, 12000, c.customer.id)), 200);
    expect(failed.outcome).toBe('stale');
    const gp = await gatewayRow(id);
    expect(gp.status).toBe('captured');
    expect(gp.authorized_at).not.toBeNull();
    expect(gp.failed_at).toBeNull();
    expect(await paymentsOf(id)).toHaveLength(1);
    // Both late events are kept, with what became of them.
    expect((await sqlRows(db, sql`select outcome from gateway_events where gateway_payment_id = ${id} order by received_at`)).map((r) => r.outcome)).toEqual(['applied', 'stale', 'stale']);
  });

  test('authorized, then captured; a failure before capture ends it failed, with no money recorded', async () => {
    const id = payId();
    await expectJson(await deliver(paymentEvent('payment.authorized', id, 7000, c.customer.id)), 200);
    expect(await paymentsOf(id)).toHaveLength(0);
    await expectJson(await deliver(paymentEvent('payment.captured', id, 7000, c.customer.id)), 200);
    expect((await gatewayRow(id)).status).toBe('captured');
    expect(await paymentsOf(id)).toHaveLength(1);

    const lost = payId();
    await expectJson(await deliver(paymentEvent('payment.authorized', lost, 7000, c.customer.id)), 200);
    await expectJson(await deliver(paymentEvent('payment.failed', lost, 7000, c.customer.id, { error_description: 'Payment was declined by the bank' })), 200);
    expect(await gatewayRow(lost)).toMatchObject({ status: 'failed', failure_reason: 'Payment was declined by the bank' });
    expect(await expectJson(await deliver(paymentEvent('payment.captured', lost, 7000, c.customer.id)), 200)).toMatchObject({ outcome: 'stale' });
    expect(await paymentsOf(lost)).toHaveLength(0);
  });

  test('a replay changes nothing: the same event id again answers duplicate', async () => {
    const id = payId();
    const eventId = `evt_replay_${id}`;
    const body = paymentEvent('payment.captured', id, 9000, c.customer.id);
    expect(await expectJson(await deliver(body, { eventId }), 200)).toMatchObject({ duplicate: false, outcome: 'applied' });
    expect(await expectJson(await deliver(body, { eventId }), 200)).toMatchObject({ duplicate: true, outcome: 'applied' });
    expect(await paymentsOf(id)).toHaveLength(1);
    expect(await count(sql`select count(*) as n from gateway_events where event_id = ${eventId}`)).toBe(1);
  });
});

describe('unmatched payments', () => {
  test('no customer, or one we do not know: kept captured and unmatched (never dropped); finance assigns it and it settles that customer\'s invoice', async () => {
    const none = payId();
    const stranger = payId();
    expect(await expectJson(await deliver(paymentEvent('payment.captured', none, 30000, null)), 200)).toMatchObject({ outcome: 'unmatched' });
    expect(await expectJson(await deliver(paymentEvent('payment.captured', stranger, 30000, randomUUID())), 200)).toMatchObject({ outcome: 'unmatched' });
    expect(await expectJson(await deliver(paymentEvent('payment.captured', payId(), 30000, 'CUST-0042')), 200)).toMatchObject({ outcome: 'unmatched' });
    const gp = await gatewayRow(none);
    expect(gp).toMatchObject({ status: 'captured', customer_id: null, payment_id: null });
    expect(await paymentsOf(none)).toHaveLength(0);

    const res = await t.call('finance', 'GET', '/api/gateway-payments?matched=false&_sort=created_at&_order=desc&_start=0&_end=50');
    const queue = await expectJson<any[]>(res, 200);
    expect(queue.map((r) => r.gateway_payment_id)).toEqual(expect.arrayContaining([none, stranger]));
    expect(queue.every((r) => r.customer_id === null && r.matched === false)).toBe(true);
    expect(Number(res.headers.get('x-total-count'))).toBeGreaterThanOrEqual(3);

    const c = await makeCustomer(db);
    const invoice = await makeInvoice(serviceCtx(db, t.userIds.finance), c, product);
    // Support reads the queue but may not assign.
    await expectProblem(await t.call('support', 'POST', `/api/gateway-payments/${gp.id}/assign`, { customer_id: c.customer.id }), 403, 'forbidden');
    await expectProblem(await t.call('finance', 'POST', `/api/gateway-payments/${gp.id}/assign`, { customer_id: randomUUID() }), 422, 'unknown_customer');
    const assigned = await expectJson(await t.call('finance', 'POST', `/api/gateway-payments/${gp.id}/assign`, { customer_id: c.customer.id }), 200);
    expect(assigned).toMatchObject({ customer_id: c.customer.id, customer_name: c.customer.name, assigned_by: t.userIds.finance, matched: true });
    expect(assigned.payment_id).toEqual(expect.any(String));
    expect((await one(sql`select paid_paise::int as paid from invoices where id = ${invoice.id}`)).paid).toBe(30000);
    expect((await auditRowsOf(db, gp.id)).map((r) => r.action)).toContain('assign');
    // Assigned once: a second assignment (another customer, or the same) is a 409 and changes nothing.
    const other = await makeCustomer(db);
    await expectProblem(await t.call('finance', 'POST', `/api/gateway-payments/${gp.id}/assign`, { customer_id: other.customer.id }), 409, 'already_assigned');
    expect(await paymentsOf(none)).toHaveLength(1);
  });

  test('assigned while only authorized: recorded for that customer when the capture comes', async () => {
    const id = payId();
    await expectJson(await deliver(paymentEvent('payment.authorized', id, 4000, null)), 200);
    const gp = await gatewayRow(id);
    const c = await makeCustomer(db);
    const assigned = await expectJson(await t.call('finance', 'POST', `/api/gateway-payments/${gp.id}/assign`, { customer_id: c.customer.id }), 200);
    expect(assigned.payment_id).toBeNull();
    expect(await expectJson(await deliver(paymentEvent('payment.captured', id, 4000, null)), 200)).toMatchObject({ outcome: 'applied' });
    const [payment] = await paymentsOf(id);
    expect(payment.customer_id).toBe(c.customer.id);
    // No invoice open: all of it is wallet credit.
    expect(Number(payment.credited_paise)).toBe(4000);
  });
});

describe('refund results', () => {
  async function gatewayRefund(amount: number) {
    const c = await makeCustomer(db);
    const id = payId();
    await expectJson(await deliver(paymentEvent('payment.captured', id, amount, c.customer.id)), 200);
    const [payment] = await paymentsOf(id);
    const asked = await expectJson(await t.call('support', 'POST', '/api/refunds', { payment_id: payment.id, amount_paise: amount, reason: 'goodwill', destination: 'source', note: 'Paid twice' }), 201);
    const approved = await expectJson(await t.call('finance', 'POST', `/api/refunds/${asked.id}/approve`), 200);
    expect(approved.status).toBe('processing');
    return { refund: approved, gatewayId: id, customer: c };
  }

  test('refund.processed moves the refund the gateway was sent to processed (once); the gateway payment, all of it refunded, is refunded', async () => {
    const { refund, gatewayId } = await gatewayRefund(8000);
    const eventId = `evt_rp_${refund.id}`;
    const body = refundEvent('refund.processed', refund.provider_refund_id, gatewayId, 8000);
    expect(await expectJson(await deliver(body, { eventId }), 200)).toMatchObject({ outcome: 'applied' });
    expect((await one(sql`select status from refunds where id = ${refund.id}`)).status).toBe('processed');
    expect((await gatewayRow(gatewayId)).status).toBe('refunded');
    expect(await expectJson(await deliver(body, { eventId }), 200)).toMatchObject({ duplicate: true });
    // A failure reported after it was processed (another event id) changes nothing.
    expect(await expectJson(await deliver(refundEvent('refund.failed', refund.provider_refund_id, gatewayId, 8000)), 200)).toMatchObject({ outcome: 'stale' });
    expect((await one(sql`select status from refunds where id = ${refund.id}`)).status).toBe('processed');
    expect((await auditRowsOf(db, refund.id)).filter((r) => r.action === 'processed')).toHaveLength(1);
  });

  test('refund.failed moves it to failed with the reason; its money is back with the payment', async () => {
    const { refund, gatewayId } = await gatewayRefund(6000);
    expect(await expectJson(await deliver(refundEvent('refund.failed', refund.provider_refund_id, gatewayId, 6000)), 200)).toMatchObject({ outcome: 'applied' });
    const row = await one(sql`select r.status, r.failure_reason, p.refunded_paise::int as refunded from refunds r join payments p on p.id = r.payment_id where r.id = ${refund.id}`);
    expect(row).toMatchObject({ status: 'failed', failure_reason: 'Bank account closed', refunded: 0 });
    expect((await gatewayRow(gatewayId)).status).toBe('captured');
  });

  test('a refund id that is none of ours is kept as ignored', async () => {
    expect(await expectJson(await deliver(refundEvent('refund.processed', 'rfnd_NotOurs', 'pay_NotOurs', 100)), 200)).toMatchObject({ outcome: 'ignored' });
  });
});

describe('three copies at once', { tags: ['race'] }, () => {
  test('the same captured event delivered three times concurrently: one effect, two duplicates', async () => {
    const c = await makeCustomer(db);
    await makeInvoice(serviceCtx(db, t.userIds.finance), c, product);
    const id = payId();
    const eventId = `evt_race_${id}`;
    const body = paymentEvent('payment.captured', id, 30000, c.customer.id);
    const answers = await Promise.all([0, 1, 2].map(() => deliver(body, { eventId })));
    const bodies = await Promise.all(answers.map((r) => expectJson(r, 200)));
    expect(bodies.filter((b) => !b.duplicate)).toHaveLength(1);
    expect(bodies.filter((b) => b.duplicate)).toHaveLength(2);
    expect(await paymentsOf(id)).toHaveLength(1);
    expect(await count(sql`select count(*) as n from payment_allocations a join payments p on p.id = a.payment_id where p.reference = ${id}`)).toBe(1);
    expect(await count(sql`select count(*) as n from gateway_events where event_id = ${eventId}`)).toBe(1);
  });

  test('authorized and captured of one payment at once (different events): captured, recorded once', async () => {
    const c = await makeCustomer(db);
    const id = payId();
    await Promise.all([deliver(paymentEvent('payment.captured', id, 5000, c.customer.id)), deliver(paymentEvent('payment.authorized', id, 5000, c.customer.id))]).then((rs) =>
      Promise.all(rs.map((r) => expectJson(r, 200))),
    );
    expect((await gatewayRow(id)).status).toBe('captured');
    expect(await paymentsOf(id)).toHaveLength(1);
  });

  test('two captures of one new payment at once (different event ids): one records it, the other queues behind it and is stale', async () => {
    // Both take the path that records the payment before the gateway payment exists: the lock on the gateway payment's
    // id makes the second wait and then find it, rather than meet the unique key with a 500.
    const c = await makeCustomer(db);
    const id = payId();
    const answers = await Promise.all([0, 1, 2].map(() => deliver(paymentEvent('payment.captured', id, 6400, c.customer.id))));
    const bodies = await Promise.all(answers.map((r) => expectJson(r, 200)));
    expect(bodies.map((b) => b.outcome).sort()).toEqual(['applied', 'stale', 'stale']);
    expect(bodies.every((b) => !b.duplicate)).toBe(true);
    const gp = await gatewayRow(id);
    const payments = await paymentsOf(id);
    expect(payments).toHaveLength(1);
    expect(gp).toMatchObject({ status: 'captured', customer_id: c.customer.id, payment_id: payments[0].id });
    expect(await count(sql`select count(*) as n from wallet_lots where payment_id = ${payments[0].id}`)).toBe(1);
    expect(await count(sql`select count(*) as n from notifications where dedupe_key = ${`payment-received:${payments[0].id}`}`)).toBe(1);
  });
});
