import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Db } from '../../db/client.js';
import { DEMO_WHATSAPP_APP_SECRET, DEMO_WHATSAPP_VERIFY_TOKEN } from '../../api/lib/env.js';
import { signBody } from '../../api/modules/gateway/signature.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { makeCustomer, sqlRows, type CustomerFixture } from '../helpers/chain-fixtures.js';
import { auditRowsOf, expectJson, expectProblem } from './support.js';

// Customers' WhatsApp messages (issue 13 item 8): the Cloud API's webhook shape, signed with the app secret
// (X-Hub-Signature-256), its verification GET, each message id once, the sender's phone finding the customer and
// their dispute; an unknown phone waits in the unmatched inbox until support assigns it.

let t: TestApp;
let db: Db;
let a: CustomerFixture;
let b: CustomerFixture;
let seq = 0;
const one = async <T = Record<string, any>>(q: ReturnType<typeof sql>) => (await sqlRows<T>(db, q))[0];

beforeAll(async () => {
  t = await createTestApp();
  db = t.database.db;
  a = await makeCustomer(db, { name: 'Kavya Iyer' });
  b = await makeCustomer(db, { name: 'Imran Sheikh' });
  await t.cookie('support');
});
afterAll(() => t?.close());

/** A webhook delivery as WhatsApp sends it: one text message from `phone` (E.164, sent without its plus). */
function delivery(phone: string, text: string, id = `wamid.test${++seq}`) {
  const from = phone.replace(/^\+/, '');
  return {
    id,
    body: JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '1029384756',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '918000000000', phone_number_id: '1234567890' },
                contacts: [{ profile: { name: 'WA Name' }, wa_id: from }],
                messages: [{ from, id, timestamp: '1796536800', type: 'text', text: { body: text } }],
              },
            },
          ],
        },
      ],
    }),
  };
}
const post = (body: string, secret: string | null = DEMO_WHATSAPP_APP_SECRET, header?: string) =>
  t.app.request('/api/webhooks/whatsapp', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(secret ? { 'x-hub-signature-256': header ?? `sha256=${signBody(body, secret)}` } : {}) },
    body,
  });
const threadOf = (disputeId: string) => sqlRows(db, sql`select kind, body from dispute_messages where dispute_id = ${disputeId} order by created_at, seq`);

describe('verification and signature', () => {
  test('the verification GET echoes the challenge for our token, else 401', async () => {
    const ok = await t.app.request(`/api/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${DEMO_WHATSAPP_VERIFY_TOKEN}&hub.challenge=1158201444`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    await expectProblem(await t.app.request('/api/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1'), 401, 'bad_verify_token');
    await expectProblem(await t.app.request(`/api/webhooks/whatsapp?hub.mode=unsubscribe&hub.verify_token=${DEMO_WHATSAPP_VERIFY_TOKEN}&hub.challenge=1`), 401);
  });

  test('a wrong, missing or malformed signature is a 401 and nothing is stored', async () => {
    const d = delivery(a.customer.phone, 'Hello?');
    await expectProblem(await post(d.body, 'another-secret-entirely'), 401, 'bad_signature');
    await expectProblem(await post(d.body, null), 401, 'bad_signature');
    await expectProblem(await post(d.body, DEMO_WHATSAPP_APP_SECRET, signBody(d.body, DEMO_WHATSAPP_APP_SECRET)), 401, 'bad_signature');
    // Signed, then changed on the way.
    await expectProblem(await post(d.body.replace('Hello?', 'Hello!'), DEMO_WHATSAPP_APP_SECRET, `sha256=${signBody(d.body, DEMO_WHATSAPP_APP_SECRET)}`), 401);
    expect(await one(sql`select count(*)::int as n from inbound_messages`)).toEqual({ n: 0 });
    // Signed but not a webhook: 400.
    await expectProblem(await post(JSON.stringify({ entry: 'nope' })), 400, 'bad_webhook');
  });

  test('an app without a secret (production without WHATSAPP_APP_SECRET) refuses every delivery', async () => {
    const strict = await createTestApp({ whatsappAppSecret: null });
    try {
      const d = delivery(a.customer.phone, 'Hi');
      const res = await strict.app.request('/api/webhooks/whatsapp', { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${signBody(d.body, DEMO_WHATSAPP_APP_SECRET)}` }, body: d.body });
      await expectProblem(res, 401, 'bad_signature');
    } finally {
      await strict.close();
    }
  });
});

describe('matching', () => {
  test("a known phone: a new dispute when the customer has none, then the same thread; the message id once", async () => {
    const first = delivery(a.customer.phone, 'The milk packet was leaking today.');
    const answer = await expectJson(await post(first.body), 200);
    expect(answer).toMatchObject({ received: 1, messages: [{ id: first.id, outcome: 'matched' }] });
    const disputeId = answer.messages[0].dispute_id;
    const dispute = await one(sql`select customer_id, category::text, status::text, subject, assignee_id from disputes where id = ${disputeId}`);
    expect(dispute).toMatchObject({ customer_id: a.customer.id, category: 'other', status: 'open', subject: 'WhatsApp message from Kavya Iyer' });
    expect(await one(sql`select status::text, customer_id, dispute_id, from_phone, profile_name, body from inbound_messages where provider_message_id = ${first.id}`)).toEqual({
      status: 'matched',
      customer_id: a.customer.id,
      dispute_id: disputeId,
      from_phone: a.customer.phone,
      profile_name: 'WA Name',
      body: 'The milk packet was leaking today.',
    });
    // The same delivery again (WhatsApp retries): nothing new.
    expect(await expectJson(await post(first.body), 200)).toMatchObject({ messages: [{ outcome: 'duplicate' }] });
    // Support replies; the customer answers: same dispute, back to support.
    await expectJson(await t.call('support', 'POST', `/api/disputes/${disputeId}/messages`, { body: 'Sorry! Was it the toned milk?', internal: false }), 201);
    const second = delivery(a.customer.phone, 'Yes, toned milk.');
    expect((await expectJson(await post(second.body), 200)).messages[0]).toMatchObject({ outcome: 'matched', dispute_id: disputeId });
    expect((await threadOf(disputeId)).filter((m) => m.kind === 'customer_message').map((m) => m.body)).toEqual(['The milk packet was leaking today.', 'Yes, toned milk.']);
    expect(await one(sql`select status::text from disputes where id = ${disputeId}`)).toEqual({ status: 'awaiting_support' });
    const [received] = await auditRowsOf(db, (await one(sql`select id from inbound_messages where provider_message_id = ${second.id}`)).id);
    expect(received).toMatchObject({ action: 'receive', table_name: 'inbound_messages', user_id: null });
  });

  test('three copies of one message at once: one thread entry', { tags: ['race'] }, async () => {
    const d = delivery(b.customer.phone, 'Where is my curd?');
    const answers = await Promise.all([post(d.body), post(d.body), post(d.body)]);
    const outcomes = await Promise.all(answers.map(async (r) => (await expectJson(r, 200)).messages[0].outcome));
    expect(outcomes.sort()).toEqual(['duplicate', 'duplicate', 'matched']);
    expect(await one(sql`select count(*)::int as n from dispute_messages where body = 'Where is my curd?'`)).toEqual({ n: 1 });
    expect(await one(sql`select count(*)::int as n from inbound_messages where provider_message_id = ${d.id}`)).toEqual({ n: 1 });
  });

  test('an unknown phone waits unmatched; support assigns it to a customer and it joins their thread; once', async () => {
    const d = delivery('+919000012345', 'This is Kavya from my husband’s phone: no milk today.');
    expect((await expectJson(await post(d.body), 200)).messages[0]).toEqual({ id: d.id, outcome: 'unmatched', dispute_id: null });
    const inbox = await expectJson<any[]>(await t.call('support', 'GET', '/api/inbound-messages?status=unmatched'), 200);
    expect(inbox.map((m) => m.provider_message_id)).toEqual([d.id]);
    const id = inbox[0].id;
    await expectProblem(await t.call('manager', 'POST', `/api/inbound-messages/${id}/assign`, { customer_id: a.customer.id }), 403);
    await expectProblem(await t.call('support', 'POST', `/api/inbound-messages/${id}/assign`, { customer_id: 'nope' }), 400);
    await expectProblem(await t.call('support', 'POST', `/api/inbound-messages/${id}/assign`, { customer_id: '00000000-0000-4000-8000-000000000000' }), 422, 'unknown_customer');
    const assigned = await expectJson(await t.call('support', 'POST', `/api/inbound-messages/${id}/assign`, { customer_id: a.customer.id }), 200);
    expect(assigned).toMatchObject({ status: 'assigned', customer_id: a.customer.id, customer_name: 'Kavya Iyer', assigned_by: t.userIds.support });
    expect((await threadOf(assigned.dispute_id)).map((m) => m.body)).toContain('This is Kavya from my husband’s phone: no milk today.');
    await expectProblem(await t.call('support', 'POST', `/api/inbound-messages/${id}/assign`, { customer_id: b.customer.id }), 409, 'already_assigned');
    expect((await auditRowsOf(db, id)).map((r) => r.action)).toEqual(['receive', 'assign']);
    expect(await expectJson(await t.call('support', 'GET', '/api/inbound-messages?status=unmatched'), 200)).toEqual([]);
  });
});
