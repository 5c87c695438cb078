import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Db } from '../../db/client.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { daysFromToday, makeCustomer, makeOrder, makeProduct, sqlRows, type CustomerFixture, type OrderFixture } from '../helpers/chain-fixtures.js';
import { insertPayment, makeInvoice, serviceCtx } from '../helpers/money-fixtures.js';
import { auditRowsOf, expectJson, expectProblem, UNKNOWN_ID } from './support.js';

// Support's disputes (issue 13): opened with links to the customer's own delivery, order and invoice; a thread of
// replies, notes and activity; moves only as dispute_transitions allows; a version check so two agents never
// overwrite each other; merges within one customer; outcomes that move money only through the existing services
// (a refund through the refund queue, resolved by its approval).

let t: TestApp;
let db: Db;
let product: Awaited<ReturnType<typeof makeProduct>>;
let a: CustomerFixture;
let b: CustomerFixture;
let orderA: OrderFixture;
let orderB: OrderFixture;
type Role = 'admin' | 'finance' | 'support' | 'manager';
const one = async <T = Record<string, any>>(q: ReturnType<typeof sql>) => (await sqlRows<T>(db, q))[0];

beforeAll(async () => {
  t = await createTestApp();
  db = t.database.db;
  product = await makeProduct(db, { price_paise: 6000, gst_rate_bp: 0 });
  a = await makeCustomer(db, { name: 'Lakshmi Narayan' });
  b = await makeCustomer(db, { name: 'Farah Khan' });
  orderA = await makeOrder(db, { customer: a, items: [{ product, quantity: 3 }] });
  orderB = await makeOrder(db, { customer: b, items: [{ product, quantity: 1 }] });
  for (const role of ['admin', 'finance', 'support', 'manager'] as const) await t.cookie(role);
});
afterAll(() => t?.close());

const open = async (body: Record<string, unknown> = {}, role: Role = 'support') =>
  expectJson(
    await t.call(role, 'POST', '/api/disputes', { customer_id: a.customer.id, category: 'short_quantity', subject: 'Two packets short', body: 'Only one packet came today.', ...body }),
    201,
  );
const show = async (id: string, role: Role = 'support') => expectJson(await t.call(role, 'GET', `/api/disputes/${id}`), 200);
const thread = async (id: string) => expectJson<any[]>(await t.call('support', 'GET', `/api/disputes/${id}/messages`), 200);
const move = (id: string, to: string, version: number) => t.call('support', 'POST', `/api/disputes/${id}/transition`, { to, version });

describe('open, read, list', () => {
  test("opens a dispute linked to the customer's delivery: first message, activity entry, audit row", async () => {
    const d = await open({ delivery_id: orderA.delivery.id, order_id: orderA.order.id, priority: 'high' });
    expect(d).toMatchObject({
      status: 'open',
      version: 1,
      priority: 'high',
      customer_name: 'Lakshmi Narayan',
      delivery_id: orderA.delivery.id,
      delivery_order_id: orderA.order.id,
      allowed_moves: ['awaiting_customer', 'awaiting_support', 'resolved', 'closed'],
    });
    const messages = await thread(d.id);
    expect(messages.map((m) => m.kind)).toEqual(['customer_message', 'activity']);
    expect(messages[0]).toMatchObject({ body: 'Only one packet came today.', author_name: 'Lakshmi Narayan' });
    expect(messages[1].body).toMatch(/^Opened by /);
    expect((await auditRowsOf(db, d.id)).map((r: any) => r.action)).toEqual(['create']);
  });

  test("another customer's delivery, order or invoice is refused (422), nothing written", async () => {
    const before = await one<{ n: number }>(sql`select count(*)::int as n from disputes`);
    await expectProblem(await t.call('support', 'POST', '/api/disputes', { customer_id: a.customer.id, category: 'other', subject: 'Wrong', body: 'x', delivery_id: orderB.delivery.id }), 422, 'unknown_delivery');
    await expectProblem(await t.call('support', 'POST', '/api/disputes', { customer_id: a.customer.id, category: 'other', subject: 'Wrong', body: 'x', order_id: orderB.order.id }), 422, 'unknown_order');
    await expectProblem(await t.call('support', 'POST', '/api/disputes', { customer_id: UNKNOWN_ID, category: 'other', subject: 'Wrong', body: 'x' }), 422, 'unknown_customer');
    await expectProblem(await t.call('support', 'POST', '/api/disputes', { customer_id: a.customer.id, category: 'rude', subject: 'Wrong', body: 'x' }), 400, 'validation_failed');
    expect(await one<{ n: number }>(sql`select count(*)::int as n from disputes`)).toEqual(before);
    // Re-pointed later: the same.
    const d = await open();
    const res = await t.call('support', 'PATCH', `/api/disputes/${d.id}`, { version: d.version, invoice_id: (await makeInvoice(serviceCtx(db, t.userIds.admin), b, product)).id });
    await expectProblem(res, 422, 'unknown_invoice');
    expect((await show(d.id)).version).toBe(1);
  });

  test('the list filters, searches by subject, customer and number, and sorts', async () => {
    const mine = await open({ customer_id: b.customer.id, subject: 'Curd was sour', category: 'spoilt_product', priority: 'urgent' });
    const list = async (q: string) => {
      const res = await t.call('finance', 'GET', `/api/disputes?${q}`);
      const body = await expectJson<any[]>(res, 200);
      return { ids: body.map((r) => r.id), total: Number(res.headers.get('x-total-count')) };
    };
    expect((await list(`customer_id=${b.customer.id}`)).ids).toEqual([mine.id]);
    expect((await list('q=sour')).ids).toEqual([mine.id]);
    expect((await list('q=farah')).ids).toEqual([mine.id]);
    expect((await list(`q=${mine.number}`)).ids).toContain(mine.id);
    expect((await list('priority=urgent&category=spoilt_product&status=open')).ids).toEqual([mine.id]);
    expect((await list('status=closed')).total).toBe(0);
    const sorted = await list('_sort=created_at&_order=asc&_start=0&_end=100');
    expect(sorted.ids.at(-1)).toBe(mine.id);
    await expectProblem(await t.call('support', 'GET', '/api/disputes?colour=red'), 400, 'unknown_filter');
  });
});

describe('thread, moves and versions', () => {
  test('an internal note keeps the status; a public reply moves to awaiting_customer and stamps the first response', async () => {
    const d = await open();
    const note = await expectJson(await t.call('support', 'POST', `/api/disputes/${d.id}/messages`, { body: 'Checked the GPS: the driver was there.', internal: true }), 201);
    expect(note).toMatchObject({ kind: 'internal_note', author_name: expect.any(String) });
    expect(await show(d.id)).toMatchObject({ status: 'open', first_response_at: null });
    await expectJson(await t.call('support', 'POST', `/api/disputes/${d.id}/messages`, { body: 'Sorry! We will make it right.', internal: false }), 201);
    const after = await show(d.id);
    expect(after).toMatchObject({ status: 'awaiting_customer', version: 2 });
    expect(after.first_response_at).not.toBeNull();
    expect((await thread(d.id)).map((m) => m.kind)).toEqual(['customer_message', 'activity', 'internal_note', 'public_reply', 'activity']);
    await expectProblem(await t.call('support', 'POST', `/api/disputes/${d.id}/messages`, { body: '   ' }), 400, 'validation_failed');
  });

  test('an illegal move is a 409 naming the allowed ones; resolving needs an outcome; closed is final', async () => {
    const d = await open();
    const moved = await expectJson(await move(d.id, 'awaiting_support', 1), 200);
    expect(moved).toMatchObject({ status: 'awaiting_support', version: 2 });
    const refused = await expectProblem(await move(d.id, 'open', 2), 409, 'transition_not_allowed');
    expect(refused.message).toMatch(/Allowed: awaiting the customer, resolved, closed/);
    expect(refused.allowed).toEqual(['awaiting_customer', 'resolved', 'closed']);
    await expectProblem(await move(d.id, 'resolved', 2), 409, 'resolve_with_outcome');
    await expectJson(await move(d.id, 'closed', 2), 200);
    await expectProblem(await move(d.id, 'awaiting_support', 3), 409, 'transition_not_allowed');
    await expectProblem(await t.call('support', 'PATCH', `/api/disputes/${d.id}`, { version: 3, priority: 'low' }), 409, 'dispute_closed');
    await expectProblem(await t.call('support', 'POST', `/api/disputes/${d.id}/messages`, { body: 'Hello?' }), 409, 'dispute_closed');
    expect((await thread(d.id)).filter((m) => m.kind === 'activity').map((m) => m.body)).toEqual([
      expect.stringMatching(/^Opened by/),
      expect.stringMatching(/^Status: open → awaiting support/),
      expect.stringMatching(/^Status: awaiting support → closed/),
    ]);
  });

  test('PATCH carries the version read: a stale one is a 409 and changes nothing; each change is an activity entry', async () => {
    // Left unassigned (null) rather than given the next support user in turn.
    const d = await open({ assignee_id: null });
    const supportId = t.userIds.support;
    const changed = await expectJson(await t.call('support', 'PATCH', `/api/disputes/${d.id}`, { version: 1, priority: 'urgent', assignee_id: supportId }), 200);
    expect(changed).toMatchObject({ version: 2, priority: 'urgent', assignee_id: supportId });
    const stale = await expectProblem(await t.call('support', 'PATCH', `/api/disputes/${d.id}`, { version: 1, priority: 'low' }), 409, 'stale_version');
    expect(stale.current_version).toBe(2);
    expect((await show(d.id)).priority).toBe('urgent');
    const entries = (await thread(d.id)).filter((m) => m.kind === 'activity').map((m) => m.body);
    expect(entries).toEqual([expect.stringMatching(/^Opened/), expect.stringMatching(/^Priority changed .*normal → urgent/), expect.stringMatching(/^Assigned to /)]);
    expect((await auditRowsOf(db, d.id)).map((r: any) => r.action)).toEqual(['create', 'update']);
  });

  test('reopening a resolved dispute clears its outcome', async () => {
    const d = await open();
    const resolved = await expectJson(await t.call('support', 'POST', `/api/disputes/${d.id}/resolve`, { outcome: 'explanation', note: 'The packet was left with the guard.' }), 200);
    expect(resolved).toMatchObject({ status: 'resolved', outcome: 'explanation', outcome_note: 'The packet was left with the guard.' });
    const reopened = await expectJson(await move(d.id, 'awaiting_support', resolved.version), 200);
    expect(reopened).toMatchObject({ status: 'awaiting_support', outcome: null, resolved_at: null });
  });
});

describe("the customer's messages", () => {
  const said = (id: string, body: string) => t.call('support', 'POST', `/api/disputes/${id}/customer-messages`, { body });
  test('move the dispute to awaiting support; on one resolved within 7 days reopen it; later, or closed, open a new one following it', async () => {
    const d = await open();
    await expectJson(await t.call('support', 'POST', `/api/disputes/${d.id}/messages`, { body: 'Can you send a photo?' }), 201);
    const back = await expectJson(await said(d.id, 'Here it is, on WhatsApp.'), 201);
    expect(back).toMatchObject({ id: d.id, status: 'awaiting_support', paused_since: null });
    expect((await thread(d.id)).filter((m) => m.kind === 'customer_message').map((m) => m.body)).toEqual(['Only one packet came today.', 'Here it is, on WhatsApp.']);
    const resolved = await expectJson(await t.call('support', 'POST', `/api/disputes/${d.id}/resolve`, { outcome: 'explanation', note: 'Explained.' }), 200);
    const reopened = await expectJson(await said(d.id, 'That does not explain it.'), 201);
    expect(reopened).toMatchObject({ id: d.id, status: 'awaiting_support', outcome: null, resolved_at: null, version: resolved.version + 1 });
    // Resolved more than 7 days ago: a new dispute follows the old one, with its links.
    await t.call('support', 'POST', `/api/disputes/${d.id}/resolve`, { outcome: 'explanation', note: 'Explained again.' });
    await db.execute(sql`update disputes set resolved_at = now() - interval '8 days' where id = ${d.id}`);
    const follow = await expectJson(await said(d.id, 'It happened again!'), 201);
    expect(follow).toMatchObject({ follows_id: d.id, status: 'open', subject: 'Again: Two packets short', customer_id: a.customer.id });
    expect(follow.id).not.toBe(d.id);
    expect((await show(d.id)).status).toBe('resolved');
    expect((await thread(follow.id))[0]).toMatchObject({ kind: 'customer_message', body: 'It happened again!' });
    await expectProblem(await said(d.id, '  '), 400, 'validation_failed');
  });
});

describe('merge', () => {
  test("merges the same customer's duplicate: threads interleaved by time, links combined, the other closed with a pointer", async () => {
    const target = await open({ subject: 'Milk missing on Monday', body: 'First complaint' });
    const other = await open({ subject: 'Milk missing again', body: 'Second complaint', delivery_id: orderA.delivery.id });
    await expectJson(await t.call('support', 'POST', `/api/disputes/${target.id}/messages`, { body: 'Note on the first', internal: true }), 201);
    await expectJson(await t.call('support', 'POST', `/api/disputes/${other.id}/messages`, { body: 'Note on the second', internal: true }), 201);
    const merged = await expectJson(await t.call('support', 'POST', `/api/disputes/${target.id}/merge`, { other_id: other.id }), 200);
    expect(merged).toMatchObject({ delivery_id: orderA.delivery.id, status: 'open' });
    expect(await show(other.id)).toMatchObject({ status: 'closed', outcome: 'merged', merged_into_id: target.id, merged_into_number: target.number });
    const bodies = (await thread(target.id)).filter((m) => m.kind !== 'activity').map((m) => `${m.dispute_number}:${m.body}`);
    expect(bodies).toEqual([`${target.number}:First complaint`, `${other.number}:Second complaint`, `${target.number}:Note on the first`, `${other.number}:Note on the second`]);
    await expectProblem(await t.call('support', 'POST', `/api/disputes/${target.id}/merge`, { other_id: other.id }), 409, 'dispute_closed');
  });

  test("across customers is refused, and into itself; nothing changes", async () => {
    const mine = await open();
    const theirs = await open({ customer_id: b.customer.id });
    await expectProblem(await t.call('support', 'POST', `/api/disputes/${mine.id}/merge`, { other_id: theirs.id }), 422, 'merge_other_customer');
    await expectProblem(await t.call('support', 'POST', `/api/disputes/${mine.id}/merge`, { other_id: mine.id }), 422, 'merge_self');
    expect((await show(theirs.id)).status).toBe('open');
  });
});

describe('outcomes move money only through the existing services', () => {
  test('refund: a request in the queue linked both ways; approval by someone else resolves the dispute in its transaction', async () => {
    const d = await open({ delivery_id: orderA.delivery.id });
    const payment = await insertPayment(db, a.customer.id, 50000);
    const waiting = await expectJson(
      await t.call('support', 'POST', `/api/disputes/${d.id}/resolve`, { outcome: 'refund', note: 'Two packets short', payment_id: payment, amount_paise: 12000, reason: 'short_delivery' }),
      200,
    );
    expect(waiting).toMatchObject({ status: 'open', outcome: null, refund_status: 'requested', refund_amount_paise: 12000 });
    const refund = await expectJson(await t.call('finance', 'GET', `/api/refunds/${waiting.refund_id}`), 200);
    expect(refund).toMatchObject({ dispute_id: d.id, status: 'requested', amount_paise: 12000 });
    // A second resolution while the refund waits is refused.
    await expectProblem(await t.call('support', 'POST', `/api/disputes/${d.id}/resolve`, { outcome: 'explanation', note: 'Never mind' }), 409, 'refund_pending');
    // No money moved yet.
    expect(await one(sql`select refunded_paise::int as r from payments where id = ${payment}`)).toEqual({ r: 0 });
    await expectJson(await t.call('finance', 'POST', `/api/refunds/${refund.id}/approve`), 200);
    const resolved = await show(d.id);
    expect(resolved).toMatchObject({ status: 'resolved', outcome: 'refund', refund_status: 'approved' });
    expect((await thread(d.id)).at(-1).body).toMatch(/^Refund of ₹120.00 approved by .*: dispute resolved/);
    expect((await auditRowsOf(db, d.id)).map((r: any) => r.action)).toEqual(['create', 'refund-requested', 'resolve']);
  });

  test('refund rejected: the dispute goes back to support with an activity entry', async () => {
    const d = await open();
    const payment = await insertPayment(db, a.customer.id, 30000);
    const waiting = await expectJson(
      await t.call('support', 'POST', `/api/disputes/${d.id}/resolve`, { outcome: 'refund', note: 'Goodwill', payment_id: payment, amount_paise: 5000, reason: 'goodwill' }),
      200,
    );
    await expectJson(await t.call('finance', 'POST', `/api/refunds/${waiting.refund_id}/reject`, { reason: 'Delivery photo shows it delivered' }), 200);
    expect(await show(d.id)).toMatchObject({ status: 'awaiting_support', outcome: null, refund_status: 'rejected' });
    expect((await thread(d.id)).at(-1).body).toMatch(/^Refund of ₹50.00 rejected by .*: Delivery photo shows it delivered\. Back to support/);
    // Another customer's payment is refused.
    const theirs = await insertPayment(db, b.customer.id, 30000);
    await expectProblem(
      await t.call('support', 'POST', `/api/disputes/${d.id}/resolve`, { outcome: 'refund', note: 'Goodwill', payment_id: theirs, amount_paise: 5000, reason: 'goodwill' }),
      422,
      'payment_not_of_customer',
    );
  });

  test('redelivery: a one-time order at no charge for what the delivery fell short of, linked', async () => {
    const d = await open({ delivery_id: orderA.delivery.id });
    const resolved = await expectJson(await t.call('support', 'POST', `/api/disputes/${d.id}/resolve`, { outcome: 'redelivery', note: 'Bring the three packets', delivery_date: daysFromToday(1) }), 200);
    expect(resolved).toMatchObject({ status: 'resolved', outcome: 'redelivery' });
    const order = await one(sql`select kind, total_paise::int as total, customer_id, note from orders where id = ${resolved.redelivery_order_id}`);
    expect(order).toEqual({ kind: 'one_time', total: 0, customer_id: a.customer.id, note: `Redelivery for dispute ${d.number}` });
    expect(await one(sql`select product_id, quantity, unit_price_paise::int as price from order_items where order_id = ${resolved.redelivery_order_id}`)).toEqual({
      product_id: product.id,
      quantity: 3,
      price: 0,
    });
  });

  test("wallet credit goes through the wallet service: support's goodwill credit up to Rs 500 (disputes credit), above it finance or an admin", async () => {
    const d = await open();
    const over = await expectProblem(await t.call('support', 'POST', `/api/disputes/${d.id}/resolve`, { outcome: 'wallet_credit', note: 'Sorry for the trouble', amount_paise: 50001 }), 403);
    expect(over.message).toMatch(/₹500/);
    expect((await show(d.id)).status).toBe('open');
    expect(await one(sql`select count(*)::int as n from wallet_lots where note like ${`Dispute ${d.number}:%`}`)).toEqual({ n: 0 });
    // Manager has neither grant.
    await expectProblem(await t.call('manager', 'POST', `/api/disputes/${d.id}/resolve`, { outcome: 'wallet_credit', note: 'Sorry', amount_paise: 100 }), 403);
    const resolved = await expectJson(await t.call('support', 'POST', `/api/disputes/${d.id}/resolve`, { outcome: 'wallet_credit', note: 'Sorry for the trouble', amount_paise: 3000 }), 200);
    expect(resolved).toMatchObject({ status: 'resolved', outcome: 'wallet_credit' });
    expect(await one(sql`select source::text, amount_paise::int as amount from wallet_lots where customer_id = ${a.customer.id} and note like ${`Dispute ${d.number}:%`}`)).toEqual({
      source: 'promo',
      amount: 3000,
    });
    // Above support's bound: an admin (or finance, with wallets promo) credits.
    const big = await open();
    const byAdmin = await expectJson(await t.call('admin', 'POST', `/api/disputes/${big.id}/resolve`, { outcome: 'wallet_credit', note: 'A week of spoilt milk', amount_paise: 120000 }), 200);
    expect(byAdmin).toMatchObject({ status: 'resolved', outcome: 'wallet_credit' });
  });
});

describe('two agents at once', { tags: ['race'] }, () => {
  test('two changes at the same version: one wins, the other gets 409, nothing is lost', async () => {
    const d = await open();
    const [x, y] = await Promise.all([
      t.call('support', 'PATCH', `/api/disputes/${d.id}`, { version: 1, priority: 'urgent' }),
      t.call('admin', 'PATCH', `/api/disputes/${d.id}`, { version: 1, priority: 'low' }),
    ]);
    expect([x.status, y.status].sort()).toEqual([200, 409]);
    const winner = x.status === 200 ? 'urgent' : 'low';
    expect(await show(d.id)).toMatchObject({ priority: winner, version: 2 });
    const [m1, m2] = await Promise.all([move(d.id, 'awaiting_support', 2), move(d.id, 'closed', 2)]);
    expect([m1.status, m2.status].sort()).toEqual([200, 409]);
    expect((await show(d.id)).version).toBe(3);
  });
});
