import { sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { enqueueNotifications } from '../../api/modules/notifications/outbox.js';
import { freshDatabase } from '../helpers/app.js';
import { makeCustomer, makeZone, sqlRows } from '../helpers/chain-fixtures.js';
import { refusedBy } from '../helpers/refused.js';

// Depots and the notifications outbox written around the API with raw SQL: each rule refuses the write, by name.

let database: Awaited<ReturnType<typeof freshDatabase>>;
const db = () => database.db;
const one = async <T = Record<string, any>>(q: SQL) => (await sqlRows<T>(db(), q))[0];

const depot = (name: string, lat = 12.97, lng = 77.59, city = 'Bengaluru') =>
  db().execute(sql`insert into depots (name, city, lat, lng) values (${name}, ${city}, ${lat}, ${lng}) returning id`);

beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(() => database?.drop());

test('a depot has a unique name, a city, and a position in India', async () => {
  await depot('Koramangala depot');
  expect(await refusedBy(depot('KORAMANGALA depot'))).toBe('depots_name_key');
  expect(await refusedBy(depot('  '))).toBe('depots_name_not_blank');
  expect(await refusedBy(depot('Nowhere', 12.9, 77.5, ''))).toBe('depots_name_not_blank');
  expect(await refusedBy(depot('London', 51.5, -0.12))).toBe('depots_in_india');
  expect(await refusedBy(depot('Null island', 0, 0))).toBe('depots_in_india');
});

test('a zone points at a real depot, and a depot serving a zone cannot be deleted', async () => {
  const zone = await makeZone(db());
  const d = await one<{ id: string }>(sql`insert into depots (name, city, lat, lng) values ('HSR depot', 'Bengaluru', 12.91, 77.64) returning id`);
  expect(await refusedBy(db().execute(sql`update zones set depot_id = '00000000-0000-4000-8000-000000000000' where id = ${zone.id}`))).toBe('zones_depot_id_fk');
  await db().execute(sql`update zones set depot_id = ${d.id} where id = ${zone.id}`);
  expect(await refusedBy(db().execute(sql`delete from depots where id = ${d.id}`))).toBe('zones_depot_id_fk');
});

const notify = (cols: SQL) => db().execute(sql`insert into notifications (channel, recipient, template, status, attempts, sent_at, last_error, user_id, customer_id) ${cols}`);

test('the outbox refuses malformed and inconsistent messages', async () => {
  const ok = sql`values ('email', 'ops@milkrun.test', 'alert.fired', 'pending', 0, null, null, null, null)`;
  await notify(ok);
  expect(await refusedBy(notify(sql`values ('email', 'x', 'alert.fired', 'pending', 0, null, null, null, null)`))).toBe('notifications_recipient_valid');
  expect(await refusedBy(notify(sql`values ('email', 'ops@milkrun.test', 'Alert Fired!', 'pending', 0, null, null, null, null)`))).toBe('notifications_template_valid');
  expect(await refusedBy(notify(sql`values ('email', 'ops@milkrun.test', 'alert.fired', 'pending', -1, null, null, null, null)`))).toBe('notifications_attempts_nonnegative');
  expect(await refusedBy(notify(sql`values ('email', 'ops@milkrun.test', 'alert.fired', 'sent', 1, null, null, null, null)`))).toBe('notifications_sent_consistent');
  expect(await refusedBy(notify(sql`values ('email', 'ops@milkrun.test', 'alert.fired', 'pending', 1, now(), null, null, null)`))).toBe('notifications_sent_consistent');
  expect(await refusedBy(notify(sql`values ('email', 'ops@milkrun.test', 'alert.fired', 'dead', 5, null, null, null, null)`))).toBe('notifications_dead_has_error');
  const nobody = '00000000-0000-4000-8000-000000000000';
  expect(await refusedBy(notify(sql`values ('email', 'ops@milkrun.test', 'alert.fired', 'pending', 0, null, null, ${nobody}, null)`))).toBe('notifications_user_id_fk');
  expect(await refusedBy(notify(sql`values ('email', 'ops@milkrun.test', 'alert.fired', 'pending', 0, null, null, null, ${nobody})`))).toBe('notifications_customer_id_fk');
});

test('a dedupe key writes one message however often it is enqueued', async () => {
  const c = await makeCustomer(db());
  const message = { channel: 'whatsapp' as const, recipient: c.customer.phone, template: 'dispute.opened', dedupeKey: `dispute-opened-${c.customer.id}`, customerId: c.customer.id };
  expect(await enqueueNotifications(db(), [message])).toHaveLength(1);
  expect(await enqueueNotifications(db(), [message])).toHaveLength(0);
  const rows = await sqlRows(db(), sql`select status, attempts from notifications where dedupe_key = ${message.dedupeKey}`);
  expect(rows).toEqual([{ status: 'pending', attempts: 0 }]);
  expect(await refusedBy(db().execute(sql`insert into notifications (channel, recipient, template, dedupe_key) values ('sms', '+919800000000', 'x.y', ${message.dedupeKey})`))).toBe('notifications_dedupe_key');
});
