import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createDispute, resolveDispute } from '../../api/modules/disputes/disputes.service.js';
import { disputeChecks } from '../../api/modules/disputes/disputes.health.js';
import { dataHealth, type DataHealth } from '../../api/modules/health/health.service.js';
import type { Ctx } from '../../api/lib/context.js';
import type { Db } from '../../db/client.js';
import { freshDatabase } from '../helpers/app.js';
import { makeCustomer, makeOrder, makeProduct, sqlRows, type CustomerFixture, type OrderFixture } from '../helpers/chain-fixtures.js';

// Data health of disputes (disputes.health.ts): rows written with the rules bypassed (triggers and foreign keys off
// through session_replication_role, or an UPDATE the services never make) are each found by their check, and a
// healthy set of disputes made through the services is not.

let database: Awaited<ReturnType<typeof freshDatabase>>;
const db = () => database.db;
let a: CustomerFixture;
let b: CustomerFixture;
let orderA: OrderFixture;
let orderB: OrderFixture;
const ctx = (): Ctx => ({ db: db(), inTx: false, actor: null, requestId: 'health-test', log: pino({ level: 'silent' }) });
const open = (c: CustomerFixture, extra: Record<string, unknown> = {}) =>
  createDispute(ctx(), { customer_id: c.customer.id, category: 'other', subject: 'Health check', body: 'Hello', priority: 'normal', ...extra });

beforeAll(async () => {
  database = await freshDatabase();
  const product = await makeProduct(db());
  a = await makeCustomer(db());
  b = await makeCustomer(db());
  orderA = await makeOrder(db(), { customer: a, items: [{ product, quantity: 1 }] });
  orderB = await makeOrder(db(), { customer: b, items: [{ product, quantity: 1 }] });
});
afterAll(() => database?.drop());

const flagged = async (tx: Db, name: string) => (await sqlRows<{ id: string }>(tx, sql`select id from (${disputeChecks.find((c) => c.name === name)!.broken}) x`)).map((r) => r.id);

test('disputes made through the services are healthy; each bypass is found by its check', async () => {
  const healthy = await open(a, { delivery_id: orderA.delivery.id, order_id: orderA.order.id });
  const resolved = await resolveDispute(ctx(), (await open(a)).id as string, { outcome: 'explanation', note: 'Explained.' });
  const other = await open(b);
  const before = (await dataHealth(db())).checks.filter((c) => disputeChecks.some((d) => d.name === c.name));
  expect(before.map((c) => [c.name, c.count])).toEqual(disputeChecks.map((c) => [c.name, 0]));

  const broken: Record<string, string> = {};
  let health: DataHealth | undefined;
  const hits: Record<string, string[]> = {};
  await db()
    .transaction(async (t) => {
      const tx = t as unknown as Db;
      await tx.execute(sql`set local session_replication_role = replica`);
      // A status moved by hand: the resolved dispute back to open, without its transition or audit row.
      await tx.execute(sql`update disputes set status = 'open', outcome = null, resolved_at = null where id = ${resolved.id as string}`);
      broken.disputes_status_unexplained = resolved.id as string;
      // Customer A's dispute pointed at customer B's order (the composite key is off).
      await tx.execute(sql`update disputes set order_id = ${orderB.order.id} where id = ${healthy.id as string}`);
      broken.disputes_links_other_customer = healthy.id as string;
      // B's dispute merged into A's.
      await tx.execute(sql`update disputes set status = 'closed', closed_at = now(), outcome = 'merged', merged_into_id = ${healthy.id as string} where id = ${other.id as string}`);
      broken.disputes_merge_inconsistent = other.id as string;
      // A thread message rebound to customer B.
      const [m] = await sqlRows<{ id: string }>(tx, sql`update dispute_messages set customer_id = ${b.customer.id}, author_customer_id = ${b.customer.id}
        where id = (select id from dispute_messages where dispute_id = ${healthy.id as string} and kind = 'customer_message' limit 1) returning id`);
      broken.dispute_threads_other_customer = m.id;
      // A WhatsApp message said to match customer A though another phone sent it.
      const [im] = await sqlRows<{ id: string }>(tx, sql`insert into inbound_messages (provider_message_id, from_phone, body, sent_at, status, customer_id, dispute_id)
        values ('wamid.health', '+919999900000', 'not from A', now(), 'matched', ${a.customer.id}, ${healthy.id as string}) returning id`);
      broken.inbound_messages_misplaced = im.id;
      health = await dataHealth(tx);
      for (const c of disputeChecks) hits[c.name] = await flagged(tx, c.name);
      t.rollback();
    })
    .catch((err: unknown) => {
      if (!(err instanceof Error && /rollback/i.test(err.message + err.name))) throw err;
    });
  expect(Object.keys(broken).sort()).toEqual(disputeChecks.map((c) => c.name).sort());
  for (const [name, id] of Object.entries(broken)) {
    expect(hits[name], name).toContain(id);
    expect(health!.checks.find((c) => c.name === name)!.count, name).toBeGreaterThan(0);
  }
  expect(health!.ok).toBe(false);
  // A move the table never allowed, told by the audit trail (closed back to open).
  await db().transaction(async (t) => {
    const tx = t as unknown as Db;
    await tx.execute(sql`insert into audit_logs (action, table_name, record_id, before, after) values ('transition', 'disputes', ${other.id as string}, '{"status": "closed"}', '{"status": "open"}')`);
    expect(await flagged(tx, 'disputes_status_unexplained')).toContain(other.id);
    t.rollback();
  }).catch((err: unknown) => {
    if (!(err instanceof Error && /rollback/i.test(err.message + err.name))) throw err;
  });
  // Rolled back: healthy again.
  const after = (await dataHealth(db())).checks.filter((c) => disputeChecks.some((d) => d.name === c.name) && c.count > 0);
  expect(after).toEqual([]);
});

test('an unmatched message from a phone a customer has is found too', async () => {
  await db().execute(sql`insert into inbound_messages (provider_message_id, from_phone, body, sent_at, status) values ('wamid.lost', ${a.customer.phone}, 'me again', now(), 'unmatched')`);
  const [row] = await sqlRows<{ id: string }>(db(), sql`select id from inbound_messages where provider_message_id = 'wamid.lost'`);
  expect(await flagged(db(), 'inbound_messages_misplaced')).toEqual([row.id]);
});
