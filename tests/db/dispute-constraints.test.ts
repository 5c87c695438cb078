import { sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { pgErrorOf } from '../../api/lib/errors.js';
import type { Db } from '../../db/client.js';
import { freshDatabase } from '../helpers/app.js';
import { makeCustomer, makeOrder, makeProduct, sqlRows, type CustomerFixture, type OrderFixture } from '../helpers/chain-fixtures.js';
import { insertPayment, makeInvoice, serviceCtx, type Invoice } from '../helpers/money-fixtures.js';
import { ensureDemoUsers } from '../../seeds/users.js';
import { refusedBy } from '../helpers/refused.js';

// Disputes (issue 13) written around the API with raw SQL: each rule refuses the write by name. The links are the
// customer's own (composite keys), the moves are rows of dispute_transitions (trigger disputes_guard), closed is final,
// and the database bumps the version on every change.

let database: Awaited<ReturnType<typeof freshDatabase>>;
let a: CustomerFixture;
let b: CustomerFixture;
let orderA: OrderFixture;
let orderB: OrderFixture;
let invoiceA: Invoice;
let invoiceB: Invoice;
let user: string;
const db = () => database.db;
const exec = (q: SQL, on: Db = db()) => on.execute(q);
const one = async <T = Record<string, any>>(q: SQL, on: Db = db()) => (await sqlRows<T>(on, q))[0];
const UNKNOWN = '00000000-0000-4000-8000-000000000000';

async function messageOf(promise: Promise<unknown>): Promise<string> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  return String((pgErrorOf(err) as { message?: string } | undefined)?.message ?? err);
}

const open = async (customer: CustomerFixture = a) =>
  (
    await one<{ id: string }>(
      sql`insert into disputes (customer_id, category, subject, created_by) values (${customer.customer.id}, 'short_quantity', 'Half a litre short', ${user}) returning id`,
    )
  ).id;

/** Runs statements in a transaction that is always rolled back; the constraint the last one tripped. */
async function refusedInRollback(steps: (tx: Db) => Promise<unknown>): Promise<string | undefined> {
  let name: string | undefined;
  await db()
    .transaction(async (tx) => {
      name = await refusedBy(steps(tx as unknown as Db));
      tx.rollback();
    })
    .catch((e: unknown) => {
      if (!(e instanceof Error && /rollback/i.test(e.message + e.name))) throw e;
    });
  return name;
}
const row = (id: string) => one<{ status: string; version: number; outcome: string | null }>(sql`select status, version, outcome from disputes where id = ${id}`);
// The resolution clock is paused exactly while awaiting the customer (disputes_pause_consistent): moves set it as the API does.
const move = (id: string, to: string, set: SQL = sql``) =>
  exec(sql`update disputes set status = ${to}::dispute_status,
    paused_since = case when ${to} = 'awaiting_customer' then now() end, resolution_due_at = case when ${to} = 'awaiting_customer' then null else resolution_due_at end ${set} where id = ${id}`);

beforeAll(async () => {
  database = await freshDatabase();
  const users = await ensureDemoUsers(database.db);
  user = users.support ?? (await one<{ id: string }>(sql`select id from users where email = 'support@milkrun.test'`)).id;
  const product = await makeProduct(db(), { price_paise: 5000, gst_rate_bp: 0 });
  a = await makeCustomer(db());
  b = await makeCustomer(db());
  orderA = await makeOrder(db(), { customer: a, items: [{ product, quantity: 2 }] });
  orderB = await makeOrder(db(), { customer: b, items: [{ product, quantity: 2 }] });
  const ctx = serviceCtx(db(), user);
  invoiceA = await makeInvoice(ctx, a, product);
  invoiceB = await makeInvoice(ctx, b, product);
});
afterAll(() => database?.drop());

describe('links are the customer’s own', () => {
  test("a dispute links its customer's order, delivery and invoice", async () => {
    const id = await open();
    await exec(sql`update disputes set order_id = ${orderA.order.id}, delivery_id = ${orderA.delivery.id}, delivery_order_id = ${orderA.order.id}, invoice_id = ${invoiceA.id} where id = ${id}`);
    expect((await row(id)).version).toBe(2);
  });

  test("another customer's order, invoice or delivery is refused, at opening and when re-pointed", async () => {
    expect(
      await refusedBy(exec(sql`insert into disputes (customer_id, category, subject, order_id) values (${a.customer.id}, 'other', 'Wrong order', ${orderB.order.id})`)),
    ).toBe('disputes_order_fk');
    const id = await open();
    expect(await refusedBy(exec(sql`update disputes set order_id = ${orderB.order.id} where id = ${id}`))).toBe('disputes_order_fk');
    expect(await refusedBy(exec(sql`update disputes set invoice_id = ${invoiceB.id} where id = ${id}`))).toBe('disputes_invoice_fk');
    // B's delivery with B's order: that order is not A's.
    expect(await refusedBy(exec(sql`update disputes set delivery_id = ${orderB.delivery.id}, delivery_order_id = ${orderB.order.id} where id = ${id}`))).toBe(
      'disputes_delivery_order_fk',
    );
    // B's delivery passed off with A's order: the delivery does not belong to that order.
    expect(await refusedBy(exec(sql`update disputes set delivery_id = ${orderB.delivery.id}, delivery_order_id = ${orderA.order.id} where id = ${id}`))).toBe(
      'disputes_delivery_fk',
    );
    expect(await refusedBy(exec(sql`update disputes set delivery_id = ${orderA.delivery.id} where id = ${id}`))).toBe('disputes_delivery_pair');
    expect(await refusedBy(exec(sql`update disputes set redelivery_order_id = ${orderB.order.id} where id = ${id}`))).toBe('disputes_redelivery_order_fk');
    expect(await refusedBy(exec(sql`update disputes set customer_id = ${b.customer.id} where id = ${id}`))).toBe('disputes_identity_fixed');
  });

  test('unknown customer, assignee and author are refused; the (id, customer) pair is unique', async () => {
    expect(await refusedBy(exec(sql`insert into disputes (customer_id, category, subject) values (${UNKNOWN}, 'other', 'Nobody')`))).toBe('disputes_customer_fk');
    expect(await refusedBy(exec(sql`insert into disputes (customer_id, category, subject, assignee_id) values (${a.customer.id}, 'other', 'Ghost', ${UNKNOWN})`))).toBe(
      'disputes_assignee_fk',
    );
    expect(await refusedBy(exec(sql`insert into disputes (customer_id, category, subject, created_by) values (${a.customer.id}, 'other', 'Ghost', ${UNKNOWN})`))).toBe(
      'disputes_created_by_fk',
    );
    const id = await open();
    // The pair is what messages, merges and refunds point at; the primary key refuses a second id first, so without it:
    expect(
      await refusedInRollback(async (tx) => {
        await exec(sql`alter table disputes drop constraint disputes_pkey`, tx);
        await exec(sql`insert into disputes (id, customer_id, category, subject) values (${id}, ${a.customer.id}, 'other', 'Twice')`, tx);
      }),
    ).toBe('disputes_id_customer_key');
    const { number } = await one<{ number: number }>(sql`select number from disputes where id = ${id}`);
    expect(
      await refusedBy(exec(sql`insert into disputes (customer_id, category, subject, number) overriding system value values (${a.customer.id}, 'other', 'Same number', ${number})`)),
    ).toBe('disputes_number_key');
  });

  test('subject, note and version are bounded', async () => {
    expect(await refusedBy(exec(sql`insert into disputes (customer_id, category, subject) values (${a.customer.id}, 'other', '  x ')`))).toBe('disputes_subject_length');
    expect(await refusedBy(exec(sql`insert into disputes (customer_id, category, subject) values (${a.customer.id}, 'other', ${'x'.repeat(201)})`))).toBe(
      'disputes_subject_length',
    );
    // The start trigger refuses any version but 1 first, so without it:
    expect(
      await refusedInRollback(async (tx) => {
        await exec(sql`drop trigger disputes_start on disputes`, tx);
        await exec(sql`insert into disputes (customer_id, category, subject, version) values (${a.customer.id}, 'other', 'Version', 0)`, tx);
      }),
    ).toBe('disputes_version_positive');
    const id = await open();
    expect(await refusedBy(exec(sql`update disputes set outcome_note = ${'x'.repeat(1001)} where id = ${id}`))).toBe('disputes_outcome_note_length');
  });
});

describe('the allowed moves (dispute_transitions, trigger disputes_guard)', () => {
  test('a dispute starts open at version 1', async () => {
    expect(
      await refusedBy(exec(sql`insert into disputes (customer_id, category, subject, status) values (${a.customer.id}, 'other', 'Born resolved', 'resolved')`)),
    ).toBe('disputes_starts_open');
    expect(await refusedBy(exec(sql`insert into disputes (customer_id, category, subject, version) values (${a.customer.id}, 'other', 'Born late', 7)`))).toBe(
      'disputes_starts_open',
    );
  });

  test('allowed moves pass and bump the version; an illegal move is refused naming the allowed ones', async () => {
    const id = await open();
    await move(id, 'awaiting_customer');
    await move(id, 'awaiting_support');
    expect(await row(id)).toMatchObject({ status: 'awaiting_support', version: 3 });
    await exec(sql`update disputes set priority = 'high' where id = ${id}`);
    expect((await row(id)).version).toBe(4);
    expect(await refusedBy(move(id, 'open'))).toBe('disputes_transition_allowed');
    expect(await messageOf(move(id, 'open'))).toMatch(/cannot move from awaiting_support to open; allowed: awaiting_customer, resolved, closed/);
    expect((await row(id)).version).toBe(4);
  });

  test('resolved needs its outcome and time; reopening clears them; closed is final and disputes are never deleted', async () => {
    const id = await open();
    expect(await refusedBy(move(id, 'resolved'))).toBe('disputes_outcome_consistent');
    expect(await refusedBy(move(id, 'resolved', sql`, outcome = 'merged', resolved_at = now()`))).toBe('disputes_merge_consistent');
    expect(await refusedBy(move(id, 'resolved', sql`, outcome = 'redelivery', resolved_at = now()`))).toBe('disputes_outcome_consistent');
    await move(id, 'resolved', sql`, outcome = 'explanation', resolved_at = now()`);
    expect(await refusedBy(move(id, 'awaiting_support'))).toBe('disputes_outcome_consistent');
    await move(id, 'awaiting_support', sql`, outcome = null, resolved_at = null`);
    await move(id, 'resolved', sql`, outcome = 'explanation', resolved_at = now()`);
    expect(await refusedBy(move(id, 'closed'))).toBe('disputes_outcome_consistent');
    await move(id, 'closed', sql`, closed_at = now()`);
    expect(await refusedBy(move(id, 'awaiting_support'))).toBe('disputes_closed_final');
    expect(await refusedBy(exec(sql`update disputes set priority = 'urgent' where id = ${id}`))).toBe('disputes_closed_final');
    expect(await refusedBy(exec(sql`delete from disputes where id = ${id}`))).toBe('disputes_closed_final');
    expect(await row(id)).toMatchObject({ status: 'closed', outcome: 'explanation' });
  });

  test('the table of moves is the schema’s: no move to the same status; the API’s role may not change it', async () => {
    expect(await refusedBy(exec(sql`insert into dispute_transitions values ('closed', 'closed')`))).toBe('dispute_transitions_not_same');
    const moves = await sqlRows<{ from_status: string; to_status: string }>(db(), sql`select from_status::text, to_status::text from dispute_transitions`);
    expect(moves.filter((m) => m.from_status === 'closed')).toEqual([]);
    expect(moves).toHaveLength(12);
    const grants = await sqlRows<{ privilege_type: string }>(
      db(),
      sql`select privilege_type from information_schema.role_table_grants where grantee = 'milkrun_app' and table_name = 'dispute_transitions'`,
    );
    expect(grants.map((g) => g.privilege_type)).toEqual(['SELECT']);
  });
});

describe('merge and messages', () => {
  test("a merged dispute is closed, points at another of the same customer's, with the outcome merged", async () => {
    const target = await open();
    const other = await open();
    const otherB = await open(b);
    expect(await refusedBy(move(other, 'closed', sql`, closed_at = now(), outcome = 'merged', merged_into_id = ${otherB}`))).toBe('disputes_merged_into_fk');
    expect(await refusedBy(move(other, 'closed', sql`, closed_at = now(), outcome = 'merged', merged_into_id = ${other}`))).toBe('disputes_merge_consistent');
    expect(await refusedBy(move(other, 'closed', sql`, closed_at = now(), merged_into_id = ${target}`))).toBe('disputes_merge_consistent');
    await move(other, 'closed', sql`, closed_at = now(), outcome = 'merged', merged_into_id = ${target}`);
    expect(await row(other)).toMatchObject({ status: 'closed', outcome: 'merged' });
  });

  test("messages are the dispute customer's, authored consistently, bounded", async () => {
    const id = await open();
    const msg = (kind: string, userId: string | null, customerId: string | null, body = 'Hello', customer = a.customer.id) =>
      exec(sql`insert into dispute_messages (dispute_id, customer_id, kind, author_user_id, author_customer_id, body)
        values (${id}, ${customer}, ${kind}::dispute_message_kind, ${userId}, ${customerId}, ${body})`);
    await msg('customer_message', null, a.customer.id);
    await msg('public_reply', user, null);
    await msg('internal_note', user, null);
    await msg('activity', null, null, 'Status changed');
    expect(await refusedBy(msg('customer_message', null, b.customer.id))).toBe('dispute_messages_author_consistent');
    expect(await refusedBy(msg('public_reply', null, null))).toBe('dispute_messages_author_consistent');
    expect(await refusedBy(msg('internal_note', user, null, '   '))).toBe('dispute_messages_body_length');
    expect(await refusedBy(msg('internal_note', user, null, 'x'.repeat(4001)))).toBe('dispute_messages_body_length');
    expect(await refusedBy(msg('internal_note', UNKNOWN, null))).toBe('dispute_messages_author_user_fk');
    expect(await refusedBy(msg('activity', null, a.customer.id))).toBe('dispute_messages_author_consistent');
    expect(await refusedBy(msg('customer_message', null, b.customer.id, 'Hi', b.customer.id))).toBe('dispute_messages_dispute_fk');
    // An author that is no customer at all: the dispute's key would refuse it first, so without it:
    expect(
      await refusedInRollback(async (tx) => {
        await exec(sql`alter table dispute_messages drop constraint dispute_messages_dispute_fk`, tx);
        await exec(
          sql`insert into dispute_messages (dispute_id, customer_id, kind, author_customer_id, body) values (${id}, ${UNKNOWN}, 'customer_message', ${UNKNOWN}, 'Who?')`,
          tx,
        );
      }),
    ).toBe('dispute_messages_author_customer_fk');
  });

  test("a refund resolves only its own customer's dispute", async () => {
    const id = await open();
    const paymentB = await insertPayment(db(), b.customer.id, 10000);
    expect(
      await refusedBy(
        exec(sql`insert into refunds (payment_id, customer_id, amount_paise, reason, destination, requested_by, dispute_id)
          values (${paymentB}, ${b.customer.id}, 1000, 'goodwill', 'source', ${user}, ${id})`),
      ),
    ).toBe('refunds_dispute_fk');
  });
});

describe('SLA: the pause, business hours and policies as data', () => {
  test('the resolution clock is paused exactly while awaiting the customer', async () => {
    const id = await open();
    expect(await refusedBy(exec(sql`update disputes set status = 'awaiting_customer' where id = ${id}`))).toBe('disputes_pause_consistent');
    expect(await refusedBy(exec(sql`update disputes set paused_since = now() where id = ${id}`))).toBe('disputes_pause_consistent');
    await move(id, 'awaiting_customer');
    expect(await refusedBy(exec(sql`update disputes set resolution_due_at = now() where id = ${id}`))).toBe('disputes_pause_consistent');
    expect(await refusedBy(exec(sql`update disputes set status = 'awaiting_support' where id = ${id}`))).toBe('disputes_pause_consistent');
    expect(await refusedBy(exec(sql`update disputes set paused_minutes = -1, status = 'awaiting_support', paused_since = null where id = ${id}`))).toBe('disputes_pause_consistent');
  });

  test("windows are a weekday's, open before they close, and never overlap; holidays are named; policies are bounded", async () => {
    const window = (weekday: number, opens: string, closes: string) => exec(sql`insert into business_hours (weekday, opens, closes) values (${weekday}, ${opens}::time, ${closes}::time)`);
    expect(await refusedBy(window(8, '06:00', '07:00'))).toBe('business_hours_weekday_range');
    expect(await refusedBy(window(7, '09:00', '09:00'))).toBe('business_hours_window_valid');
    // Monday has 06:00-12:00 and 16:00-20:00 (the defaults).
    expect(await refusedBy(window(1, '11:30', '13:00'))).toBe('business_hours_no_overlap');
    expect(await refusedBy(window(1, '05:00', '21:00'))).toBe('business_hours_no_overlap');
    await window(1, '12:00', '13:00');
    expect(await refusedBy(exec(sql`update business_hours set closes = '16:30' where weekday = 1 and opens = '12:00'`))).toBe('business_hours_no_overlap');
    await exec(sql`delete from business_hours where weekday = 1 and opens = '12:00'`);
    expect(await refusedBy(exec(sql`insert into business_holidays (day, name) values ('2026-10-20', '  ')`))).toBe('business_holidays_name_length');
    expect(await refusedBy(exec(sql`update sla_policies set first_response_minutes = 0 where priority = 'low'`))).toBe('sla_policies_minutes_range');
    expect(await refusedBy(exec(sql`update sla_policies set resolution_minutes = 10 where priority = 'low'`))).toBe('sla_policies_resolution_after_response');
  });
});

describe('follow-ups', () => {
  test("a dispute follows another of the same customer's, never itself", async () => {
    const first = await open();
    const second = await open();
    const theirs = await open(b);
    await exec(sql`update disputes set follows_id = ${first} where id = ${second}`);
    expect(await refusedBy(exec(sql`update disputes set follows_id = ${theirs} where id = ${second}`))).toBe('disputes_follows_fk');
    expect(await refusedBy(exec(sql`update disputes set follows_id = ${second} where id = ${second}`))).toBe('disputes_follows_other');
  });
});

