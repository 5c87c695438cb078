import { sql } from 'drizzle-orm';
import { TOTP } from 'otpauth';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import type { Ctx } from '../../api/lib/context.js';
import { fakeRefundProvider, type FakeRefundProvider } from '../../api/modules/refunds/provider.js';
import { applyRefundResult } from '../../api/modules/refunds/refunds.service.js';
import type { Db } from '../../db/client.js';
import { createUser, DEMO_PASSWORD } from '../../seeds/users.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { makeCustomer, makeProduct, sqlRows, type CustomerFixture } from '../helpers/chain-fixtures.js';
import { insertPayment, makeInvoice, serviceCtx } from '../helpers/money-fixtures.js';
import { auditRowsOf, expectJson, expectProblem, UNKNOWN_ID, uniqueName } from './support.js';

// Refunds, an approval queue with four eyes (issue 12, item 6): requested by support or finance, approved or
// rejected by someone else, above a limit only with a fresh second-factor code, paid back by hand or through the
// gateway (a fake here, whose results come in as the webhook brings them), or credited to the wallet.

let t: TestApp;
let db: Db;
let provider: FakeRefundProvider;
let ctx: Ctx;
let product: Awaited<ReturnType<typeof makeProduct>>;
const one = async <T = Record<string, any>>(q: ReturnType<typeof sql>) => (await sqlRows<T>(db, q))[0];
const gatewayCtx = (): Ctx => ({ db, inTx: false, actor: null, requestId: 'test-gateway', log: pino({ level: 'silent' }) });

beforeAll(async () => {
  // Refused at once by the gateway: refunds of exactly ₹40.40 (to see a refusal end in failed).
  provider = fakeRefundProvider({ report: (r) => applyRefundResult(gatewayCtx(), r), refuse: (r) => (r.amount_paise === 4040 ? 'the card was closed' : null) });
  t = await createTestApp({ refundProvider: provider });
  db = t.database.db;
  ctx = serviceCtx(db, t.userIds.admin ?? (await one<{ id: string }>(sql`select id from users where email = 'admin@milkrun.test'`)).id);
  product = await makeProduct(db, { price_paise: 100000, gst_rate_bp: 0 });
  // Every role logged in up front, so concurrent calls below race on the refund and not on the login.
  for (const role of ['admin', 'finance', 'support', 'manager'] as const) await t.cookie(role);
});
afterAll(() => t?.close());

const ask = (role: 'admin' | 'finance' | 'support' | 'manager', body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  t.call(role, 'POST', '/api/refunds', { destination: 'source', note: 'Customer called about it', ...body }, headers);
const approve = (role: 'admin' | 'finance' | 'support' | 'manager', id: string, body?: unknown, headers: Record<string, string> = {}) =>
  t.call(role, 'POST', `/api/refunds/${id}/approve`, body, headers);
const refundRow = (id: string) => one(sql`select * from refunds where id = ${id}`);
const paymentMoney = (id: string) =>
  one<{ allocated: number; credited: number; refunded: number }>(
    sql`select allocated_paise::int as allocated, credited_paise::int as credited, refunded_paise::int as refunded from payments where id = ${id}`,
  );
const walletOf = async (customerId: string) =>
  Number((await one<{ w: string }>(sql`select coalesce(sum(remaining_paise), 0) as w from wallet_lots where customer_id = ${customerId}`)).w);
const allocate = (customerId: string, invoiceId: string, paymentId: string, amount: number) =>
  db.execute(sql`insert into payment_allocations (customer_id, invoice_id, payment_id, amount_paise) values (${customerId}, ${invoiceId}, ${paymentId}, ${amount})`);
const gatewayPayment = async (customerId: string, amount: number) =>
  (
    await one<{ id: string }>(sql`insert into payments (customer_id, amount_paise, method, reference, received_on)
      values (${customerId}, ${amount}, 'gateway', ${`pay_${uniqueName('gw').replace(/\W/g, '')}`}, current_date) returning id`)
  ).id;

describe('request, approve, pay back', () => {
  let customer: CustomerFixture;
  beforeAll(async () => {
    customer = await makeCustomer(db);
  });

  test('support asks; finance approves; the cash goes back with a reference; every step in the audit log', async () => {
    const payment = await insertPayment(db, customer.customer.id, 50000);
    const asked = await expectJson(await ask('support', { payment_id: payment, amount_paise: 20000, reason: 'cancellation' }), 201);
    expect(asked).toMatchObject({
      status: 'requested',
      amount_paise: 20000,
      customer_id: customer.customer.id,
      customer_name: customer.customer.name,
      requested_by: t.userIds.support,
      requested_by_name: expect.any(String),
      payment_method: 'cash',
      invoice_id: null,
      credit_note_id: null,
    });
    expect((await expectJson(await t.call('finance', 'GET', `/api/refunds/${asked.id}`), 200)).status).toBe('requested');
    // Support may ask, not decide.
    await expectProblem(await approve('support', asked.id), 403, 'forbidden');
    const approved = await expectJson(await approve('finance', asked.id), 200);
    expect(approved).toMatchObject({ status: 'approved', approved_by: t.userIds.finance, approved_by_name: expect.any(String), from_wallet_paise: 0 });
    expect(await paymentMoney(payment)).toEqual({ allocated: 0, credited: 0, refunded: 20000 });
    await expectProblem(await approve('admin', asked.id), 409, 'refund_already_decided');
    await expectProblem(await t.call('finance', 'POST', `/api/refunds/${asked.id}/pay`, {}), 400, 'validation_failed');
    const paid = await expectJson(await t.call('finance', 'POST', `/api/refunds/${asked.id}/pay`, { reference: 'CASH-VOUCHER-17' }), 200);
    expect(paid).toMatchObject({ status: 'paid', paid_reference: 'CASH-VOUCHER-17', paid_by: t.userIds.finance });
    await expectProblem(await t.call('finance', 'POST', `/api/refunds/${asked.id}/pay`, { reference: 'again' }), 409, 'refund_already_decided');
    expect((await auditRowsOf(db, asked.id)).map((r) => r.action)).toEqual(['create', 'approve', 'pay']);
    const [, approval] = await auditRowsOf(db, asked.id);
    expect(approval.user_id).toBe(t.userIds.finance);
    expect(approval.after.funding).toMatchObject({ from_free_paise: 20000, allocations_cut: [], wallet_withdrawals: [] });
  });

  test('the requester can never approve their own refund, whatever their role (403; the database refuses it too)', async () => {
    const payment = await insertPayment(db, customer.customer.id, 50000);
    for (const role of ['finance', 'admin'] as const) {
      const own = await expectJson(await ask(role, { payment_id: payment, amount_paise: 1000, reason: 'goodwill' }), 201);
      const body = await expectProblem(await approve(role, own.id), 403, 'own_refund');
      expect(body.message).toMatch(/someone else/);
      expect((await refundRow(own.id)).status).toBe('requested');
      await expectJson(await approve(role === 'admin' ? 'finance' : 'admin', own.id), 200);
    }
  });

  test('reject with a reason; a rejected refund is never approved; the requester may withdraw their own', async () => {
    const payment = await insertPayment(db, customer.customer.id, 50000);
    const asked = await expectJson(await ask('support', { payment_id: payment, amount_paise: 5000, reason: 'goodwill' }), 201);
    await expectProblem(await t.call('finance', 'POST', `/api/refunds/${asked.id}/reject`, { reason: '' }), 400, 'validation_failed');
    await expectProblem(await t.call('support', 'POST', `/api/refunds/${asked.id}/reject`, { reason: 'Not needed' }), 403, 'forbidden');
    const rejected = await expectJson(await t.call('finance', 'POST', `/api/refunds/${asked.id}/reject`, { reason: 'Delivered in full, photo on file' }), 200);
    expect(rejected).toMatchObject({ status: 'rejected', rejection_reason: 'Delivered in full, photo on file', rejected_by: t.userIds.finance });
    await expectProblem(await approve('admin', asked.id), 409, 'refund_already_decided');
    const mine = await expectJson(await ask('finance', { payment_id: payment, amount_paise: 5000, reason: 'goodwill' }), 201);
    expect((await expectJson(await t.call('finance', 'POST', `/api/refunds/${mine.id}/reject`, { reason: 'Asked by mistake' }), 200)).status).toBe('rejected');
    expect(await paymentMoney(payment)).toMatchObject({ refunded: 0 });
  });

  test('bad input is a 400 naming the field; an unknown payment a 404; a refund past the capture a 409', async () => {
    const payment = await insertPayment(db, customer.customer.id, 10000);
    for (const [body, field] of [
      [{ payment_id: 'x', amount_paise: 100, reason: 'goodwill' }, 'payment_id'],
      [{ payment_id: payment, amount_paise: 0, reason: 'goodwill' }, 'amount_paise'],
      [{ payment_id: payment, amount_paise: 12.5, reason: 'goodwill' }, 'amount_paise'],
      [{ payment_id: payment, amount_paise: 100, reason: 'because' }, 'reason'],
      [{ payment_id: payment, amount_paise: 100, reason: 'goodwill', destination: 'bank' }, 'destination'],
      [{ payment_id: payment, amount_paise: 100, reason: 'goodwill', note: '' }, 'note'],
      [{ payment_id: payment, amount_paise: 100, reason: 'goodwill', extra: 1 }, ''],
    ] as const) {
      const body400 = await expectProblem(await ask('support', body), 400, 'validation_failed');
      expect(body400.message).toContain(field);
    }
    await expectProblem(await ask('support', { payment_id: UNKNOWN_ID, amount_paise: 100, reason: 'goodwill' }), 404, 'not_found');
    await expectJson(await ask('support', { payment_id: payment, amount_paise: 6000, reason: 'goodwill' }), 201);
    const past = await expectProblem(await ask('support', { payment_id: payment, amount_paise: 4001, reason: 'goodwill' }), 409, 'refund_over_capture');
    expect(past.message).toMatch(/more than was captured/);
    await expectJson(await ask('support', { payment_id: payment, amount_paise: 4000, reason: 'goodwill' }), 201);
    const inv = await makeInvoice(ctx, customer, product);
    const other = await insertPayment(db, customer.customer.id, 10000);
    await expectProblem(await ask('support', { payment_id: other, amount_paise: 1, reason: 'goodwill', invoice_id: inv.id }), 422, 'invoice_for_credit_reasons');
    const pending = await one<{ id: string }>(sql`insert into payments (customer_id, amount_paise, method, reference, received_on, status)
      values (${customer.customer.id}, 5000, 'gateway', 'pay_pending_refund', current_date, 'authorized') returning id`);
    await expectProblem(await ask('support', { payment_id: pending.id, amount_paise: 100, reason: 'goodwill' }), 409, 'payment_not_captured');
  });

  test('a retry with the same Idempotency-Key asks once', async () => {
    const payment = await insertPayment(db, customer.customer.id, 10000);
    const key = `refund-${uniqueName('k')}`;
    const first = await expectJson(await ask('support', { payment_id: payment, amount_paise: 700, reason: 'goodwill' }, { 'idempotency-key': key }), 201);
    const again = await ask('support', { payment_id: payment, amount_paise: 700, reason: 'goodwill' }, { 'idempotency-key': key });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect((await expectJson(again, 201)).id).toBe(first.id);
    expect((await one<{ n: number }>(sql`select count(*)::int as n from refunds where payment_id = ${payment}`)).n).toBe(1);
  });
});

describe('where the money comes from', () => {
  test('a payment that settles an invoice: the allocation is cut and the invoice owes that again (goodwill)', async () => {
    const c = await makeCustomer(db);
    const inv = await makeInvoice(ctx, c, product);
    const payment = await insertPayment(db, c.customer.id, 100000, { method: 'upi', reference: `UPI-${uniqueName('r').replace(/\W/g, '')}` });
    await allocate(c.customer.id, inv.id, payment, 100000);
    const asked = await expectJson(await ask('support', { payment_id: payment, amount_paise: 15000, reason: 'goodwill' }), 201);
    await expectJson(await approve('finance', asked.id), 200);
    expect(await paymentMoney(payment)).toEqual({ allocated: 85000, credited: 0, refunded: 15000 });
    expect(await one(sql`select paid_paise::int as paid, balance_due_paise::int as due from invoices where id = ${inv.id}`)).toEqual({ paid: 85000, due: 15000 });
    const allocations = await sqlRows<{ amount: number; reversed: boolean }>(db, sql`select amount_paise::int as amount, reversed_at is not null as reversed from payment_allocations where payment_id = ${payment} order by created_at, amount_paise`);
    expect(allocations).toEqual(expect.arrayContaining([{ amount: 100000, reversed: true }, { amount: 85000, reversed: false }]));
  });

  test("an overpayment's unspent credit goes back first: withdrawn from its wallet lot", async () => {
    const c = await makeCustomer(db);
    const payment = await insertPayment(db, c.customer.id, 30000);
    await db.execute(sql`insert into wallet_lots (customer_id, source, amount_paise, remaining_paise, payment_id) values (${c.customer.id}, 'overpayment', 30000, 30000, ${payment})`);
    const asked = await expectJson(await ask('finance', { payment_id: payment, amount_paise: 12000, reason: 'duplicate_payment' }), 201);
    const approved = await expectJson(await approve('admin', asked.id), 200);
    expect(approved).toMatchObject({ status: 'approved', from_wallet_paise: 12000, credit_note_id: null });
    expect(await paymentMoney(payment)).toEqual({ allocated: 0, credited: 30000, refunded: 0 });
    expect(Number((await one(sql`select wallet_paise from customer_balances where customer_id = ${c.customer.id}`)).wallet_paise)).toBe(18000);
    expect(await one(sql`select kind::text, amount_paise::int as amount from wallet_transactions where customer_id = ${c.customer.id} and kind = 'withdrawal'`)).toEqual({
      kind: 'withdrawal',
      amount: 12000,
    });
    // What was spent of it cannot go back.
    await expectProblem(await ask('finance', { payment_id: payment, amount_paise: 18001, reason: 'duplicate_payment' }), 422, 'refund_not_fundable');
  });

  test('to the wallet: credited at once to a refund lot, processed, nothing to pay by hand', async () => {
    const c = await makeCustomer(db);
    const payment = await insertPayment(db, c.customer.id, 30000);
    const asked = await expectJson(await ask('support', { payment_id: payment, amount_paise: 2500, reason: 'goodwill', destination: 'wallet' }), 201);
    const done = await expectJson(await approve('finance', asked.id), 200);
    expect(done).toMatchObject({ status: 'processed', destination: 'wallet', wallet_lot_id: expect.any(String) });
    expect(await one(sql`select source::text, amount_paise::int as amount, remaining_paise::int as remaining, expires_at from wallet_lots where id = ${done.wallet_lot_id}`)).toEqual({
      source: 'refund',
      amount: 2500,
      remaining: 2500,
      expires_at: null,
    });
    expect(Number((await one(sql`select wallet_paise from customer_balances where customer_id = ${c.customer.id}`)).wallet_paise)).toBe(2500);
    await expectProblem(await t.call('finance', 'POST', `/api/refunds/${asked.id}/pay`, { reference: 'x' }), 409, 'refund_already_decided');
  });
});

describe('through the gateway', () => {
  test('approved: sent to the gateway (processing), then processed by its event; a replayed event changes nothing', async () => {
    const c = await makeCustomer(db);
    const payment = await gatewayPayment(c.customer.id, 40000);
    const asked = await expectJson(await ask('support', { payment_id: payment, amount_paise: 9900, reason: 'cancellation' }), 201);
    const sent = await expectJson(await approve('finance', asked.id), 200);
    expect(sent).toMatchObject({ status: 'processing', provider: 'fake', provider_refund_id: expect.stringMatching(/^rfnd_fake_/) });
    expect(provider.sent.at(-1)).toEqual({ refund_id: asked.id, payment_reference: expect.stringMatching(/^pay_/), amount_paise: 9900 });
    await expectProblem(await t.call('finance', 'POST', `/api/refunds/${asked.id}/pay`, { reference: 'x' }), 409, 'refund_already_decided');
    await provider.settle(sent.provider_refund_id, 'processed');
    expect(await refundRow(asked.id)).toMatchObject({ status: 'processed' });
    const replay = await applyRefundResult(gatewayCtx(), { provider: 'fake', provider_refund_id: sent.provider_refund_id, outcome: 'processed' });
    expect(replay.changed).toBe(false);
    const late = await applyRefundResult(gatewayCtx(), { provider: 'fake', provider_refund_id: sent.provider_refund_id, outcome: 'failed', reason: 'late' });
    expect(late).toMatchObject({ changed: false, refund: { status: 'processed' } });
    expect(await paymentMoney(payment)).toMatchObject({ refunded: 9900 });
    expect((await auditRowsOf(db, asked.id)).map((r) => r.action)).toEqual(['create', 'approve', 'send', 'processed']);
  });

  test('failed by the gateway (or refused at once): the money stays as wallet credit, in the same transaction, to ask again', async () => {
    const c = await makeCustomer(db);
    const payment = await gatewayPayment(c.customer.id, 40000);
    const asked = await expectJson(await ask('support', { payment_id: payment, amount_paise: 30000, reason: 'cancellation' }), 201);
    const sent = await expectJson(await approve('finance', asked.id), 200);
    await provider.settle(sent.provider_refund_id, 'failed', 'The bank account is closed');
    expect(await refundRow(asked.id)).toMatchObject({ status: 'failed', failure_reason: 'The bank account is closed' });
    // Back from the refund, into credit the payment funds: the payment stays applied, the customer holds ₹300.
    expect(await paymentMoney(payment)).toMatchObject({ refunded: 0, credited: 30000 });
    const lots = await sqlRows<{ source: string; amount: number; remaining: number; payment_id: string | null }>(
      db,
      sql`select source, amount_paise::int as amount, remaining_paise::int as remaining, payment_id from wallet_lots where customer_id = ${c.customer.id}`,
    );
    expect(lots).toEqual([{ source: 'overpayment', amount: 30000, remaining: 30000, payment_id: payment }]);
    expect((await auditRowsOf(db, asked.id)).map((r) => r.action)).toEqual(['create', 'approve', 'send', 'fail']);
    // Refused at once (the fake refuses ₹40.40): failed without ever processing; its money is credit too.
    const refused = await expectJson(await ask('support', { payment_id: payment, amount_paise: 4040, reason: 'goodwill' }), 201);
    expect(await expectJson(await approve('finance', refused.id), 200)).toMatchObject({ status: 'failed', failure_reason: expect.stringMatching(/card was closed/) });
    expect(await paymentMoney(payment)).toMatchObject({ refunded: 0, credited: 34040 });
    // The failed money may be asked again, in full: the credit it became goes back first.
    const again = await expectJson(await ask('support', { payment_id: payment, amount_paise: 40000, reason: 'cancellation' }), 201);
    expect(await expectJson(await approve('finance', again.id), 200)).toMatchObject({ status: 'processing', from_wallet_paise: 34040 });
    expect(await walletOf(c.customer.id)).toBe(0);
  });

  test('a failed refund that drew on wallet credit gives that part back as a refund lot, the rest as credit of the payment', async () => {
    const c = await makeCustomer(db);
    const invoice = await makeInvoice(ctx, c, product, { quantity: 1 });
    // ₹1,500 by the gateway for a ₹1,000 invoice: ₹500 left over as credit.
    const payment = await gatewayPayment(c.customer.id, 150000);
    await allocate(c.customer.id, invoice.id, payment, 100000);
    await db.execute(sql`insert into wallet_lots (customer_id, source, amount_paise, remaining_paise, payment_id) values (${c.customer.id}, 'overpayment', 50000, 50000, ${payment})`);
    const asked = await expectJson(await ask('support', { payment_id: payment, amount_paise: 70000, reason: 'goodwill' }), 201);
    const sent = await expectJson(await approve('finance', asked.id), 200);
    expect(sent).toMatchObject({ status: 'processing', from_wallet_paise: 50000 });
    expect(await walletOf(c.customer.id)).toBe(0);
    await provider.settle(sent.provider_refund_id, 'failed', 'Issuer unavailable');
    const failed = await refundRow(asked.id);
    expect(failed).toMatchObject({ status: 'failed', wallet_lot_id: expect.any(String) });
    expect(await walletOf(c.customer.id)).toBe(70000);
    expect(await paymentMoney(payment)).toMatchObject({ allocated: 80000, credited: 70000, refunded: 0 });
    // Wholly applied again (allocated + credited + refunded = amount: data health's payments_not_applied), and the
    // statement adds up: the ₹500 credit drawn on and given back nets to nothing; the customer holds ₹700 of credit.
    const statement = await expectJson<{ closing_balance_paise: number; balance_due_paise: number; wallet_paise: number; refunds_pending_paise: number }>(
      await t.call('finance', 'GET', `/api/customers/${c.customer.id}/statement`),
      200,
    );
    expect(statement).toMatchObject({ balance_due_paise: 20000, wallet_paise: 70000, refunds_pending_paise: 0, closing_balance_paise: -50000 });
  });
});

describe('step-up above the limit of the grant', () => {
  const PASSWORD = 'a-long-enough-password';
  const login = async (email: string, extra: Record<string, unknown> = {}) => {
    const res = await t.app.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD, ...extra }) });
    return res;
  };
  const as = (cookie: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    t.app.request(path, {
      method,
      headers: { cookie, 'x-requested-with': 'XMLHttpRequest', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const codeAt = (secret: string) => new TOTP({ secret, algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: Date.now() });
  /** The next 30-second step's code (the clock is faked: each code is one the API has not seen). */
  const nextCode = (secret: string) => {
    vi.setSystemTime(Date.now() + 30_000);
    return codeAt(secret);
  };

  test('finance approves up to ₹2,000 as is; above, only with a fresh code (body or X-TOTP), used once', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    try {
      const email = `${uniqueName('fin').replace(/\W/g, '').toLowerCase()}@milkrun.test`;
      await createUser(db, { email, name: 'Farah Finance', password: PASSWORD, roles: ['finance'] });
      let cookie = (await login(email)).headers.get('set-cookie')!.split(';')[0];
      const c = await makeCustomer(db);
      const payment = await insertPayment(db, c.customer.id, 1_000_000);
      const small = await expectJson(await ask('support', { payment_id: payment, amount_paise: 200000, reason: 'goodwill' }), 201);
      const big = await expectJson(await ask('support', { payment_id: payment, amount_paise: 200001, reason: 'goodwill' }), 201);
      // Not enrolled: told to enrol first.
      expect((await expectProblem(await as(cookie, 'POST', `/api/refunds/${big.id}/approve`), 403, 'step_up_required')).message).toMatch(/enrol/);
      const enrolment = await expectJson<{ secret: string }>(await as(cookie, 'POST', '/api/auth/totp/enroll'), 200);
      await expectJson(await as(cookie, 'POST', '/api/auth/totp/confirm', { code: nextCode(enrolment.secret) }), 200);
      cookie = (await login(email, { totp: nextCode(enrolment.secret) })).headers.get('set-cookie')!.split(';')[0];
      await expectJson(await as(cookie, 'POST', `/api/refunds/${small.id}/approve`), 200);
      const refused = await expectProblem(await as(cookie, 'POST', `/api/refunds/${big.id}/approve`, {}), 403, 'step_up_required');
      expect(refused.message).toMatch(/code/);
      expect((await refundRow(big.id)).status).toBe('requested');
      await expectProblem(await as(cookie, 'POST', `/api/refunds/${big.id}/approve`, { totp: '000000' }), 403, 'step_up_required');
      const code = nextCode(enrolment.secret);
      expect((await expectJson(await as(cookie, 'POST', `/api/refunds/${big.id}/approve`, { totp: code }), 200)).status).toBe('approved');
      // The same code does not approve another.
      const third = await expectJson(await ask('support', { payment_id: payment, amount_paise: 300000, reason: 'goodwill' }), 201);
      await expectProblem(await as(cookie, 'POST', `/api/refunds/${third.id}/approve`, undefined, { 'x-totp': code }), 403, 'step_up_required');
      await expectJson(await as(cookie, 'POST', `/api/refunds/${third.id}/approve`, undefined, { 'x-totp': nextCode(enrolment.secret) }), 200);
    } finally {
      vi.useRealTimers();
    }
  });

  test("the limit is the grant's: admin's '*' has the ₹2,000 default, a role may set a higher one", async () => {
    const c = await makeCustomer(db);
    const payment = await insertPayment(db, c.customer.id, 1_000_000);
    const big = await expectJson(await ask('support', { payment_id: payment, amount_paise: 250000, reason: 'goodwill' }), 201);
    await expectProblem(await approve('admin', big.id), 403, 'step_up_required');
    await db.execute(sql`insert into roles (name, description) values ('senior_finance', 'approves refunds up to Rs 5,000 without a code')`);
    await db.execute(sql`insert into permissions (role_id, resource, action, conditions)
      select id, 'refunds', a, case when a = 'approve' then '{"max_amount_paise": 500000}'::jsonb end from roles, unnest(array['list', 'show', 'approve']) as a where name = 'senior_finance'`);
    const email = `${uniqueName('senior').replace(/\W/g, '').toLowerCase()}@milkrun.test`;
    await createUser(db, { email, name: 'Sam Senior', password: DEMO_PASSWORD, roles: ['senior_finance'] });
    const res = await t.app.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: DEMO_PASSWORD }) });
    const cookie = res.headers.get('set-cookie')!.split(';')[0];
    const ok = await t.app.request(`/api/refunds/${big.id}/approve`, { method: 'POST', headers: { cookie, 'x-requested-with': 'XMLHttpRequest' } });
    expect((await expectJson(ok, 200)).status).toBe('approved');
  });
});

describe('the race: two approvers at once', { tags: ['race'] }, () => {
  test('one 200, one 409; the money moves once', async () => {
    const c = await makeCustomer(db);
    const payment = await insertPayment(db, c.customer.id, 50000);
    const asked = await expectJson(await ask('support', { payment_id: payment, amount_paise: 10000, reason: 'goodwill' }), 201);
    const answers = await Promise.all([approve('finance', asked.id), approve('admin', asked.id)]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
    const loser = answers.find((r) => r.status === 409)!;
    expect((await loser.json()).code).toBe('refund_already_decided');
    expect(await paymentMoney(payment)).toMatchObject({ refunded: 10000 });
    expect((await auditRowsOf(db, asked.id)).filter((r) => r.action === 'approve')).toHaveLength(1);
  });

  test('the gateway reports the same failure three times at once: one applies it, the money becomes credit once', async () => {
    const c = await makeCustomer(db);
    const payment = await gatewayPayment(c.customer.id, 20000);
    const asked = await expectJson(await ask('support', { payment_id: payment, amount_paise: 7000, reason: 'cancellation' }), 201);
    const sent = await expectJson(await approve('finance', asked.id), 200);
    const results = await Promise.all(
      [1, 2, 3].map(() => applyRefundResult(gatewayCtx(), { provider: 'fake', provider_refund_id: sent.provider_refund_id, outcome: 'failed', reason: 'Account closed' })),
    );
    expect(results.filter((r) => r.changed)).toHaveLength(1);
    expect(await walletOf(c.customer.id)).toBe(7000);
    expect(await paymentMoney(payment)).toMatchObject({ refunded: 0, credited: 7000 });
  });

  test('two requests past the capture at once: one 201, one 409', async () => {
    const c = await makeCustomer(db);
    const payment = await insertPayment(db, c.customer.id, 10000);
    const answers = await Promise.all([
      ask('support', { payment_id: payment, amount_paise: 6000, reason: 'goodwill' }),
      ask('finance', { payment_id: payment, amount_paise: 6000, reason: 'goodwill' }),
    ]);
    expect(answers.map((r) => r.status).sort()).toEqual([201, 409]);
    expect((await one<{ n: number }>(sql`select count(*)::int as n from refunds where payment_id = ${payment}`)).n).toBe(1);
  });
});

describe('the queue', () => {
  test('lists with status, reason and customer filters, sorts by amount and date, searches by customer name', async () => {
    const c = await makeCustomer(db, { name: `Queue ${uniqueName('Person')}` });
    const payment = await insertPayment(db, c.customer.id, 90000);
    const a = await expectJson(await ask('support', { payment_id: payment, amount_paise: 3000, reason: 'goodwill' }), 201);
    const b = await expectJson(await ask('support', { payment_id: payment, amount_paise: 5000, reason: 'cancellation' }), 201);
    await expectJson(await t.call('finance', 'POST', `/api/refunds/${b.id}/reject`, { reason: 'Not cancelled' }), 200);
    const list = async (query: string) => {
      const res = await t.call('finance', 'GET', `/api/refunds?${query}`);
      const rows = await expectJson<{ id: string }[]>(res, 200);
      return { ids: rows.map((r) => r.id), total: Number(res.headers.get('x-total-count')) };
    };
    expect(await list(`customer_id=${c.customer.id}&status=requested`)).toEqual({ ids: [a.id], total: 1 });
    expect((await list(`customer_id=${c.customer.id}&reason=cancellation`)).ids).toEqual([b.id]);
    expect((await list(`customer_id=${c.customer.id}&_sort=amount_paise&_order=desc`)).ids).toEqual([b.id, a.id]);
    expect((await list(`customer_id=${c.customer.id}&_sort=created_at&_order=asc`)).ids).toEqual([a.id, b.id]);
    expect((await list(`q=${encodeURIComponent(c.customer.name)}`)).ids.sort()).toEqual([a.id, b.id].sort());
    expect((await list(`customer_name=${encodeURIComponent(c.customer.name)}`)).total).toBe(2);
    expect((await list(`customer_id=${c.customer.id}&_sort=customer_name`)).total).toBe(2);
    await expectProblem(await t.call('finance', 'GET', '/api/refunds?_sort=customer_name'), 400, 'sort_needs_filter');
    await expectProblem(await t.call('finance', 'GET', '/api/refunds?status=waiting'), 400, 'bad_filter');
    await expectProblem(await t.call('manager', 'GET', '/api/refunds'), 403, 'forbidden');
  });
});
