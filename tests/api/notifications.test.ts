import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Db } from '../../db/client.js';
import { transaction } from '../../api/lib/context.js';
import { addMessage, escalateBreaches } from '../../api/modules/disputes/disputes.service.js';
import { enqueueNotifications } from '../../api/modules/notifications/outbox.js';
import { fakeProvider, fakeProviders, SendError, whatsappHttpProvider } from '../../api/modules/notifications/provider.js';
import { render, templates, type Channel, type Language } from '../../api/modules/notifications/templates.js';
import { backoffSeconds, claimDue, deliverDue, LEASE_SECONDS, MAX_ATTEMPTS } from '../../api/modules/notifications/worker.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { makeCustomer, sqlRows, type CustomerFixture } from '../helpers/chain-fixtures.js';
import { serviceCtx } from '../helpers/money-fixtures.js';
import { auditRowsOf, expectJson, expectProblem } from './support.js';

// The notifications outbox (issue 13 item 7): rows written in the transaction of what caused them; a worker that
// claims due rows under FOR UPDATE SKIP LOCKED with a lease, retries with exponential backoff, dead-letters after
// MAX_ATTEMPTS; replay from the admin; the WhatsApp Cloud API-shaped provider against a local HTTP server.

let t: TestApp;
let db: Db;
let a: CustomerFixture;
const log = pino({ level: 'silent' });
const one = async <T = Record<string, any>>(q: ReturnType<typeof sql>) => (await sqlRows<T>(db, q))[0];
const at = (base: Date, seconds: number) => new Date(base.getTime() + seconds * 1000);

/** A message due now by the database's clock (tests step the worker's `now` from here). */
async function enqueue(template = 'dispute.reply', extra: Record<string, unknown> = {}): Promise<{ id: string; due: Date }> {
  const [id] = await transaction(serviceCtx(db, t.userIds.support), (tx) =>
    enqueueNotifications(tx.db, [
      { channel: 'whatsapp', recipient: a.customer.phone, template, customerId: a.customer.id, payload: { customer_name: 'Asha', dispute_number: 7, subject: 'Short', body: 'Sorry!', ...extra } },
    ]),
  );
  const row = await one<{ next_attempt_at: string }>(sql`select next_attempt_at from notifications where id = ${id}`);
  // PostgreSQL keeps microseconds, a Date milliseconds: the next millisecond is the first one it is due at.
  return { id, due: new Date(new Date(row.next_attempt_at).getTime() + 1) };
}
const rowOf = (id: string) => one(sql`select status, attempts, last_error, sent_at, provider_message_id, next_attempt_at, locked_until from notifications where id = ${id}`);

beforeAll(async () => {
  t = await createTestApp();
  db = t.database.db;
  a = await makeCustomer(db, { name: 'Asha Rao' });
  for (const role of ['admin', 'finance', 'support', 'manager'] as const) await t.cookie(role);
});
afterAll(() => t?.close());

/** Sends nothing that the test did not enqueue itself: other tests' leftovers are sent or dead first. */
async function drain() {
  await deliverDue(db, fakeProviders(), log, { now: at(new Date(), 10 * 86400) });
}

describe('written in the transaction of the change', () => {
  test("a public reply writes its outbox row (the customer's phone and language); an internal note writes none", async () => {
    await db.execute(sql`update customers set language = 'kn' where id = ${a.customer.id}`);
    const d = await expectJson(await t.call('support', 'POST', '/api/disputes', { customer_id: a.customer.id, category: 'other', subject: 'Milk late', body: 'Late again.' }), 201);
    const opened = await sqlRows(db, sql`select template, recipient, language, customer_id, payload from notifications where dedupe_key = ${`dispute-opened:${d.id}`}`);
    expect(opened).toMatchObject([{ template: 'dispute.opened', recipient: a.customer.phone, language: 'kn', customer_id: a.customer.id }]);
    await expectJson(await t.call('support', 'POST', `/api/disputes/${d.id}/messages`, { body: 'Internal: rider was sick', internal: true }), 201);
    const reply = await expectJson(await t.call('support', 'POST', `/api/disputes/${d.id}/messages`, { body: 'Sorry, tomorrow on time.', internal: false }), 201);
    const rows = await sqlRows(db, sql`select template, payload, status from notifications where customer_id = ${a.customer.id} and template = 'dispute.reply'`);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ template: 'dispute.reply', status: 'pending', payload: { body: 'Sorry, tomorrow on time.', dispute_number: d.number, customer_name: 'Asha Rao' } });
    const [key] = await sqlRows(db, sql`select dedupe_key from notifications where template = 'dispute.reply' and customer_id = ${a.customer.id}`);
    expect(key.dedupe_key).toBe(`dispute-message:${reply.id}`);
    // Rendered in Kannada, the customer's language.
    const shown = await expectJson(await t.call('support', 'GET', `/api/notifications?template=dispute.reply&customer_id=${a.customer.id}`), 200);
    const detail = await expectJson(await t.call('support', 'GET', `/api/notifications/${shown[0].id}`), 200);
    expect(detail.rendered.body).toBe(`ವಿವಾದ #${d.number}: Sorry, tomorrow on time.`);
    await db.execute(sql`update customers set language = 'en' where id = ${a.customer.id}`);
  });

  test('when the reply rolls back, so does its message', async () => {
    const d = await expectJson(await t.call('support', 'POST', '/api/disputes', { customer_id: a.customer.id, category: 'other', subject: 'Rolled back', body: 'Hello?' }), 201);
    const before = await one<{ n: number }>(sql`select count(*)::int as n from notifications where template = 'dispute.reply'`);
    const ctx = serviceCtx(db, t.userIds.support);
    await expect(
      transaction(ctx, async (tx) => {
        await addMessage(tx, d.id, { body: 'This reply never happened', internal: false });
        // The reply and its outbox row are written; something later in the same transaction fails.
        const inside = await sqlRows(tx.db, sql`select count(*)::int as n from notifications where template = 'dispute.reply'`);
        expect(inside[0].n).toBe(before.n + 1);
        throw new Error('later step failed');
      }),
    ).rejects.toThrow('later step failed');
    expect((await one(sql`select count(*)::int as n from notifications where template = 'dispute.reply'`)).n).toBe(before.n);
    expect((await one(sql`select count(*)::int as n from dispute_messages where body = 'This reply never happened'`)).n).toBe(0);
  });

  test('an escalation emails every active manager, once', async () => {
    const d = await expectJson(await t.call('support', 'POST', '/api/disputes', { customer_id: a.customer.id, category: 'other', subject: 'Escalate me', body: 'Nobody answers.', priority: 'low' }), 201);
    const later = { ...serviceCtx(db, t.userIds.support), actor: null, now: () => at(new Date(), 30 * 86400) };
    await escalateBreaches(later);
    await escalateBreaches(later);
    const mails = await sqlRows(db, sql`select channel, recipient, template, payload from notifications where template = 'dispute.escalated' and payload->>'dispute_number' = ${String(d.number)}`);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ channel: 'email', recipient: 'manager@milkrun.test', payload: { subject: 'Escalate me', priority: 'normal', customer_name: 'Asha Rao' } });
  });
});

describe('the worker', () => {
  test('a provider that fails twice then succeeds delivers once, with backoff between the attempts', async () => {
    await drain();
    const { id, due } = await enqueue();
    const fake = fakeProvider({ fail: (_m, attempt) => (attempt <= 2 ? new SendError('503 from provider', false) : undefined) });
    const providers = fakeProviders(fake);
    expect(await deliverDue(db, providers, log, { now: due })).toEqual({ sent: 0, retried: 1, dead: 0 });
    let row = await rowOf(id);
    expect(row).toMatchObject({ status: 'pending', attempts: 1, last_error: '503 from provider' });
    expect(new Date(row.next_attempt_at).getTime() - due.getTime()).toBe(backoffSeconds(1) * 1000);
    // Not due again before its backoff has passed.
    expect(await deliverDue(db, providers, log, { now: at(due, 29) })).toEqual({ sent: 0, retried: 0, dead: 0 });
    expect(await deliverDue(db, providers, log, { now: at(due, 30) })).toEqual({ sent: 0, retried: 1, dead: 0 });
    row = await rowOf(id);
    expect(new Date(row.next_attempt_at).getTime() - at(due, 30).getTime()).toBe(backoffSeconds(2) * 1000);
    expect(backoffSeconds(2)).toBe(2 * backoffSeconds(1));
    expect(await deliverDue(db, providers, log, { now: at(due, 30 + 59) })).toEqual({ sent: 0, retried: 0, dead: 0 });
    expect(await deliverDue(db, providers, log, { now: at(due, 30 + 60) })).toEqual({ sent: 1, retried: 0, dead: 0 });
    row = await rowOf(id);
    expect(row).toMatchObject({ status: 'sent', attempts: 3, last_error: null, locked_until: null });
    expect(row.provider_message_id).toMatch(/^fake\.whatsapp\./);
    expect(fake.sent.filter((m) => m.id === id)).toHaveLength(1);
    expect(fake.sent[0].body).toBe('Dispute #7: Sorry!');
    expect(await deliverDue(db, providers, log, { now: at(due, 86400) })).toEqual({ sent: 0, retried: 0, dead: 0 });
  });

  test(`dead after ${MAX_ATTEMPTS} attempts; a permanent error or a template that cannot render is dead at once`, async () => {
    await drain();
    const failing = fakeProviders(fakeProvider({ fail: () => new SendError('timeout', false) }));
    const { id, due } = await enqueue();
    let now = due;
    for (let i = 1; i <= MAX_ATTEMPTS; i++) {
      const r = await deliverDue(db, failing, log, { now });
      expect(r).toEqual(i < MAX_ATTEMPTS ? { sent: 0, retried: 1, dead: 0 } : { sent: 0, retried: 0, dead: 1 });
      now = at(now, backoffSeconds(i));
    }
    expect(await rowOf(id)).toMatchObject({ status: 'dead', attempts: MAX_ATTEMPTS, last_error: 'timeout' });

    const permanent = await enqueue();
    await deliverDue(db, fakeProviders(fakeProvider({ fail: () => new SendError('WhatsApp API 400: not a WhatsApp user (131026)', true) })), log, { now: permanent.due });
    expect(await rowOf(permanent.id)).toMatchObject({ status: 'dead', attempts: 1, last_error: 'WhatsApp API 400: not a WhatsApp user (131026)' });

    const broken = await enqueue('dispute.reply', { body: null });
    await deliverDue(db, fakeProviders(), log, { now: broken.due });
    expect(await rowOf(broken.id)).toMatchObject({ status: 'dead', attempts: 1 });
    expect((await rowOf(broken.id)).last_error).toMatch(/needs \{\{body\}\}/);
  });

  test("a killed worker's claimed rows are claimed again once its lease runs out, not before", async () => {
    await drain();
    const { id, due } = await enqueue();
    // A worker claims the row and dies before sending it.
    const [claimed] = await claimDue(db, { now: due });
    expect(claimed.id).toBe(id);
    expect(await rowOf(id)).toMatchObject({ status: 'sending', attempts: 1 });
    const fake = fakeProvider();
    expect(await deliverDue(db, fakeProviders(fake), log, { now: at(due, LEASE_SECONDS - 1) })).toEqual({ sent: 0, retried: 0, dead: 0 });
    expect(await deliverDue(db, fakeProviders(fake), log, { now: at(due, LEASE_SECONDS + 1) })).toEqual({ sent: 1, retried: 0, dead: 0 });
    expect(await rowOf(id)).toMatchObject({ status: 'sent', attempts: 2 });
    expect(fake.sent.map((m) => m.id)).toEqual([id]);
  });

  test('two workers at once never send one message twice', { tags: ['race'] }, async () => {
    await drain();
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) ids.push((await enqueue()).id);
    const now = at(new Date(), 60);
    const first = fakeProvider({ delayMs: 5 });
    const second = fakeProvider({ delayMs: 5 });
    const [r1, r2] = await Promise.all([deliverDue(db, fakeProviders(first), log, { now, batch: 5 }), deliverDue(db, fakeProviders(second), log, { now, batch: 5 })]);
    expect(r1.sent + r2.sent).toBe(40);
    const sent = [...first.sent, ...second.sent].map((m) => m.id);
    expect(new Set(sent).size).toBe(sent.length);
    expect(sent.sort()).toEqual([...ids].sort());
    const left = await one(sql`select count(*)::int as n from notifications where id = any(${`{${ids.join(',')}}`}::uuid[]) and (status <> 'sent' or attempts <> 1)`);
    expect(left.n).toBe(0);
  });
});

describe('GET /api/notifications and replay', () => {
  test('lists with status, channel and template filters and a total; bad filters are a 400', async () => {
    const res = await t.call('support', 'GET', '/api/notifications?status=dead&channel=whatsapp&_start=0&_end=50&_sort=created_at&_order=desc');
    const rows = await expectJson<any[]>(res, 200);
    expect(Number(res.headers.get('x-total-count'))).toBe(rows.length);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.status === 'dead' && r.channel === 'whatsapp')).toBe(true);
    expect(rows[0]).toHaveProperty('template_label', "Support's reply on a dispute (to the customer)");
    expect(rows[0]).toHaveProperty('customer_name', 'Asha Rao');
    await expectProblem(await t.call('support', 'GET', '/api/notifications?status=lost'), 400);
    await expectProblem(await t.call('support', 'GET', '/api/notifications?colour=red'), 400);
    await expectProblem(await t.call('manager', 'GET', '/api/notifications'), 403, 'forbidden');
    await expectJson(await t.call('finance', 'GET', '/api/notifications'), 200);
  });

  test('a dead letter is replayed (pending, attempts reset, audited) and then sent; anything else is a 409', async () => {
    await drain();
    const { id, due } = await enqueue();
    await deliverDue(db, fakeProviders(fakeProvider({ fail: () => new SendError('bad token', true) })), log, { now: due });
    expect((await rowOf(id)).status).toBe('dead');
    await expectProblem(await t.call('finance', 'POST', `/api/notifications/${id}/replay`), 403, 'forbidden');
    const replayed = await expectJson(await t.call('support', 'POST', `/api/notifications/${id}/replay`), 200);
    expect(replayed).toMatchObject({ id, status: 'pending', attempts: 0, last_error: 'bad token' });
    const [entry] = (await auditRowsOf(db, id)).filter((r) => r.action === 'replay');
    expect(entry).toMatchObject({ user_id: t.userIds.support, table_name: 'notifications', before: { status: 'dead' }, after: { status: 'pending' } });
    await expectProblem(await t.call('support', 'POST', `/api/notifications/${id}/replay`), 409, 'not_dead');
    const fake = fakeProvider();
    await deliverDue(db, fakeProviders(fake), log, { now: at(new Date(), 5) });
    expect(await rowOf(id)).toMatchObject({ status: 'sent', attempts: 1 });
    await expectProblem(await t.call('support', 'POST', `/api/notifications/${id}/replay`), 409, 'not_dead');
    await expectProblem(await t.call('support', 'POST', `/api/notifications/00000000-0000-4000-8000-000000000000/replay`), 404);
  });
});

describe('templates', () => {
  test('every text of every template renders with its example, in every language (English standing in)', () => {
    for (const [key, tpl] of Object.entries(templates))
      for (const channel of Object.keys(tpl.texts) as Channel[])
        for (const language of ['en', 'kn', 'hi'] as Language[]) {
          const r = render(key, channel, language, tpl.example);
          expect(r.body, `${key} ${channel} ${language}`).not.toMatch(/\{\{/);
          if (channel === 'email') expect(r.subject, `${key} email subject`).toBeTruthy();
        }
    // The alerting's payload as api/modules/alerts writes it (its rule an object).
    const alert = { rule: { id: 'r1', name: 'Error rate', kind: 'error_rate' }, value: 7, threshold: 5, unit: '%', window_minutes: 5 };
    expect(render('alert.fired', 'email', 'en', alert)).toEqual({
      subject: 'ALERT Error rate: 7 % (threshold 5)',
      body: 'The alert "Error rate" fired: its value is 7 %, past its threshold of 5.',
    });
    expect(render('alert.cleared', 'email', 'en', { ...alert, value: 1 }).subject).toBe('Cleared Error rate: 1 % (threshold 5)');
    expect(() => render('alert.fired', 'email', 'en', { value: 7, threshold: 5, unit: '%' })).toThrow(/needs \{\{rule\.name\}\}/);
    expect(() => render('no.such', 'email', 'en', {})).toThrow(/no template/);
  });
});

describe('the WhatsApp Cloud API provider (a local HTTP server standing in for graph.facebook.com)', () => {
  let server: Server;
  let url: string;
  const seen: { auth: string | undefined; body: any; path: string | undefined }[] = [];
  let answer: { status: number; body: unknown } = { status: 200, body: { messaging_product: 'whatsapp', messages: [{ id: 'wamid.HBgM1' }] } };
  const read = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let data = '';
      req.on('data', (c) => (data += c));
      req.on('end', () => resolve(data));
    });
  beforeAll(async () => {
    server = createServer(async (req, res) => {
      seen.push({ auth: req.headers.authorization, body: JSON.parse(await read(req)), path: req.url });
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer.body));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v20.0/1234567890`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  test("sends the Cloud API's request and keeps its wamid; a 400 is dead at once, a 500 is retried", async () => {
    await drain();
    const providers = { whatsapp: whatsappHttpProvider({ url, token: 'test-token-123' }) };
    const ok = await enqueue();
    expect(await deliverDue(db, providers, log, { now: ok.due })).toEqual({ sent: 1, retried: 0, dead: 0 });
    expect(seen.at(-1)).toEqual({
      auth: 'Bearer test-token-123',
      path: '/v20.0/1234567890/messages',
      body: { messaging_product: 'whatsapp', recipient_type: 'individual', to: a.customer.phone.slice(1), type: 'text', text: { preview_url: false, body: 'Dispute #7: Sorry!' } },
    });
    expect(await rowOf(ok.id)).toMatchObject({ status: 'sent', provider_message_id: 'wamid.HBgM1' });

    answer = { status: 500, body: { error: { message: 'Service temporarily unavailable', code: 2 } } };
    const retry = await enqueue();
    expect(await deliverDue(db, providers, log, { now: retry.due })).toEqual({ sent: 0, retried: 1, dead: 0 });
    expect((await rowOf(retry.id)).last_error).toBe('WhatsApp API 500: Service temporarily unavailable (2)');

    answer = { status: 400, body: { error: { message: 'Recipient phone number not in allowed list', code: 131030 } } };
    const bad = await enqueue();
    await deliverDue(db, providers, log, { now: bad.due });
    expect(await rowOf(bad.id)).toMatchObject({ status: 'dead', last_error: 'WhatsApp API 400: Recipient phone number not in allowed list (131030)' });

    // The retried one goes out once the API is back.
    answer = { status: 200, body: { messages: [{ id: 'wamid.HBgM2' }] } };
    await deliverDue(db, providers, log, { now: at(retry.due, backoffSeconds(1)) });
    expect(await rowOf(retry.id)).toMatchObject({ status: 'sent', attempts: 2, provider_message_id: 'wamid.HBgM2' });
  });
});
