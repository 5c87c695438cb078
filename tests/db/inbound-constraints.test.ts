import { sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { freshDatabase } from '../helpers/app.js';
import { makeCustomer, sqlRows } from '../helpers/chain-fixtures.js';
import { refusedWithMessage } from '../helpers/refused.js';

// The outbox's guards, inbound WhatsApp messages and the round-robin rotation written around the API with raw SQL:
// each rule refuses the write, by name (and the API has a message for each).

let database: Awaited<ReturnType<typeof freshDatabase>>;
const db = () => database.db;
const one = async <T = Record<string, any>>(q: SQL) => (await sqlRows<T>(db(), q))[0];

let customerA: string;
let customerB: string;
let disputeA: string;
let disputeB: string;
let userId: string;

beforeAll(async () => {
  database = await freshDatabase();
  customerA = (await makeCustomer(db())).customer.id;
  customerB = (await makeCustomer(db())).customer.id;
  const open = async (c: string) =>
    (await one<{ id: string }>(sql`insert into disputes (customer_id, category, subject) values (${c}, 'other', 'WhatsApp message') returning id`)).id;
  disputeA = await open(customerA);
  disputeB = await open(customerB);
  userId = (await one<{ id: string }>(sql`insert into users (email, name, password_hash) values ('inbound@milkrun.test', 'Inbound', 'x') returning id`)).id;
});
afterAll(() => database?.drop());

const notification = async (status = 'pending') =>
  (
    await one<{ id: string }>(
      sql`insert into notifications (channel, recipient, template, status, last_error, sent_at) values ('whatsapp', '+919800000001', 'dispute.reply', ${status}::notification_status,
        ${status === 'dead' ? 'failed' : null}, ${status === 'sent' ? sql`now()` : null}) returning id`,
    )
  ).id;

test('a sent message stays sent; a dead one only comes back as pending; recipient, customer and template never change', async () => {
  const sent = await notification('sent');
  expect(await refusedWithMessage(db().execute(sql`update notifications set status = 'pending', sent_at = null where id = ${sent}`))).toBe('notifications_sent_final');
  const dead = await notification('dead');
  expect(await refusedWithMessage(db().execute(sql`update notifications set status = 'sent', sent_at = now() where id = ${dead}`))).toBe('notifications_dead_replayed');
  await db().execute(sql`update notifications set status = 'pending' where id = ${dead}`);
  const pending = await notification();
  expect(await refusedWithMessage(db().execute(sql`update notifications set recipient = '+919800000002' where id = ${pending}`))).toBe('notifications_addressee_fixed');
  expect(await refusedWithMessage(db().execute(sql`update notifications set customer_id = ${customerA} where id = ${pending}`))).toBe('notifications_addressee_fixed');
  expect(await refusedWithMessage(db().execute(sql`update notifications set template = 'dispute.opened' where id = ${pending}`))).toBe('notifications_addressee_fixed');
});

const inbound = (id: string, cols: SQL) => db().execute(sql`insert into inbound_messages (provider_message_id, from_phone, body, sent_at, status, customer_id, dispute_id, assigned_by, assigned_at) values (${id}, ${cols})`);

test('an inbound message: once per provider id, a phone in international form, a body, a status that says where it is', async () => {
  await inbound('wamid.1', sql`'+919800000001', 'hello', now(), 'unmatched', null, null, null, null`);
  expect(await refusedWithMessage(inbound('wamid.1', sql`'+919800000001', 'again', now(), 'unmatched', null, null, null, null`))).toBe('inbound_messages_provider_message_key');
  expect(await refusedWithMessage(inbound('wamid.2', sql`'9800000001', 'hello', now(), 'unmatched', null, null, null, null`))).toBe('inbound_messages_phone_valid');
  expect(await refusedWithMessage(inbound('wamid.3', sql`'+919800000001', '', now(), 'unmatched', null, null, null, null`))).toBe('inbound_messages_body_length');
  expect(await refusedWithMessage(inbound(`wamid.${'x'.repeat(200)}`, sql`'+919800000001', 'hi', now(), 'unmatched', null, null, null, null`))).toBe('inbound_messages_body_length');
  // Matched without a customer, unmatched with one, assigned without who: each refused.
  expect(await refusedWithMessage(inbound('wamid.4', sql`'+919800000001', 'hi', now(), 'matched', null, null, null, null`))).toBe('inbound_messages_status_consistent');
  expect(await refusedWithMessage(inbound('wamid.5', sql`'+919800000001', 'hi', now(), 'unmatched', ${customerA}, ${disputeA}, null, null`))).toBe('inbound_messages_status_consistent');
  expect(await refusedWithMessage(inbound('wamid.6', sql`'+919800000001', 'hi', now(), 'matched', ${customerA}, null, null, null`))).toBe('inbound_messages_status_consistent');
  expect(await refusedWithMessage(inbound('wamid.7', sql`'+919800000001', 'hi', now(), 'assigned', ${customerA}, ${disputeA}, null, now()`))).toBe('inbound_messages_status_consistent');
  expect(await refusedWithMessage(inbound('wamid.8', sql`'+919800000001', 'hi', now(), 'assigned', ${customerA}, ${disputeA}, '00000000-0000-4000-8000-000000000000', now()`))).toBe('inbound_messages_assigned_by_fk');
  expect(await refusedWithMessage(inbound('wamid.9', sql`'+919800000001', 'hi', now(), 'matched', '00000000-0000-4000-8000-000000000000', ${disputeA}, null, null`))).toBe('inbound_messages_customer_fk');
  // Customer A's message in customer B's dispute.
  expect(await refusedWithMessage(inbound('wamid.10', sql`'+919800000001', 'hi', now(), 'matched', ${customerA}, ${disputeB}, null, null`))).toBe('inbound_messages_dispute_fk');
  await inbound('wamid.11', sql`'+919800000001', 'hi', now(), 'assigned', ${customerA}, ${disputeA}, ${userId}, now()`);
});

test("what was sent never changes, and a message in a customer's thread stays there (no rebinding to another customer)", async () => {
  await inbound('wamid.20', sql`'+919800000001', 'original words', now(), 'matched', ${customerA}, ${disputeA}, null, null`);
  expect(await refusedWithMessage(db().execute(sql`update inbound_messages set body = 'changed' where provider_message_id = 'wamid.20'`))).toBe('inbound_messages_immutable');
  expect(await refusedWithMessage(db().execute(sql`update inbound_messages set from_phone = '+919800000009' where provider_message_id = 'wamid.20'`))).toBe('inbound_messages_immutable');
  expect(
    await refusedWithMessage(db().execute(sql`update inbound_messages set customer_id = ${customerB}, dispute_id = ${disputeB} where provider_message_id = 'wamid.20'`)),
  ).toBe('inbound_messages_immutable');
  // An unmatched one is assigned (once).
  await inbound('wamid.21', sql`'+919800000003', 'who am I', now(), 'unmatched', null, null, null, null`);
  await db().execute(sql`update inbound_messages set status = 'assigned', customer_id = ${customerB}, dispute_id = ${disputeB}, assigned_by = ${userId}, assigned_at = now() where provider_message_id = 'wamid.21'`);
  expect(await refusedWithMessage(db().execute(sql`update inbound_messages set customer_id = ${customerA}, dispute_id = ${disputeA} where provider_message_id = 'wamid.21'`))).toBe('inbound_messages_immutable');
});

test('the rotation: one known queue, its last user a real one', async () => {
  expect(await one(sql`select queue from assignment_rotation`)).toEqual({ queue: 'disputes' });
  expect(await refusedWithMessage(db().execute(sql`insert into assignment_rotation (queue) values ('refunds')`))).toBe('assignment_rotation_queue_known');
  expect(await refusedWithMessage(db().execute(sql`update assignment_rotation set last_user_id = '00000000-0000-4000-8000-000000000000'`))).toBe('assignment_rotation_last_user_fk');
  await db().execute(sql`update assignment_rotation set last_user_id = ${userId}`);
  // Deleting the user leaves the rotation without a last one (it starts again from the first).
  await db().execute(sql`delete from inbound_messages where assigned_by = ${userId}`);
  await db().execute(sql`delete from users where id = ${userId}`);
  expect(await one(sql`select last_user_id from assignment_rotation`)).toEqual({ last_user_id: null });
});
