import { mkdirSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createDispute } from '../../api/modules/disputes/disputes.service.js';
import { receiveWhatsapp } from '../../api/modules/notifications/inbound.service.js';
import { fakeProvider, fakeProviders, SendError } from '../../api/modules/notifications/provider.js';
import { deliverDue } from '../../api/modules/notifications/worker.js';
import { ensureDemoUsers } from '../../seeds/users.js';
import { makeCustomer, sqlRows } from '../helpers/chain-fixtures.js';
import { type AdminHarness, hasChromium, openFromMenu, startAdmin } from './harness.js';

// Issue 13's notifications in a browser: support finds a dead letter on the Notifications page and replays it (asked
// first), and assigns a WhatsApp message from an unknown phone to its customer from the WhatsApp inbox. Screenshots of
// both pages at 1440 and 390 px go to /tmp/shots/notify for a person to look at.

let h: AdminHarness;
let deadId = '';
let customerId = '';
const SHOTS = '/tmp/shots/notify';
const log = pino({ level: 'silent' });

describe.skipIf(!hasChromium)('notifications and the WhatsApp inbox in a browser', () => {
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    h = await startAdmin(async (db) => {
      await ensureDemoUsers(db);
      const ctx = { db, inTx: false, actor: null, requestId: 'e2e-seed', log };
      const good = await makeCustomer(db, { name: 'Anil Kumar' });
      const lost = await makeCustomer(db, { name: 'Sunita Rao' });
      customerId = lost.customer.id;
      // Each dispute writes its "opened" message; support's reply another.
      await createDispute(ctx, { customer_id: good.customer.id, category: 'late_delivery', subject: 'Milk after 8 am', body: 'Late all week.', priority: 'normal' });
      await createDispute(ctx, { customer_id: lost.customer.id, category: 'spoilt_product', subject: 'Curd was sour', body: 'Sour curd today.', priority: 'high' });
      // Sunita's number is not on WhatsApp: her message dies at once; Anil's goes out.
      const fake = fakeProvider({ fail: (m) => (m.recipient === lost.customer.phone ? new SendError('WhatsApp API 400: Recipient phone number not a WhatsApp user (131026)', true) : undefined) });
      await deliverDue(db, fakeProviders(fake), log);
      [{ id: deadId }] = await sqlRows<{ id: string }>(db, sql`select id from notifications where status = 'dead'`);
      // A message written after the worker ran: still pending.
      await db.execute(sql`insert into notifications (channel, recipient, template, payload, customer_id) values ('whatsapp', ${good.customer.phone}, 'payment.received',
        '{"customer_name": "Anil Kumar", "amount": "₹1,240.00", "method": "UPI", "received_on": "06 Dec 2026"}', ${good.customer.id})`);
      await receiveWhatsapp(ctx, {
        entry: [{ changes: [{ value: { contacts: [{ wa_id: '919845099999', profile: { name: 'Ravi' } }], messages: [{ from: '919845099999', id: 'wamid.e2e.1', timestamp: '1796536800', type: 'text', text: { body: 'This is Sunita, writing from my son’s phone: the curd is still sour.' } }] } }] }],
      });
    });
  }, 900_000);

  afterAll(async () => {
    await h?.close();
  });

  test('a dead letter replayed from the Notifications page (asked first), and the pages at 1440 px and 390 px', async () => {
    const db = h.database.db;
    const errors: string[] = [];
    const support = await h.loggedIn('support', errors);
    await openFromMenu(support, 'Notifications');
    await support.waitForURL(/\/notifications/);
    const row = support.locator('.ant-table-row', { hasText: 'not a WhatsApp user' });
    await row.waitFor();
    await support.locator('.ant-table-row', { hasText: 'payment.received' }).getByText('pending').waitFor();
    await support.screenshot({ path: `${SHOTS}/notifications-1440.png`, fullPage: true });
    await row.getByRole('button', { name: 'Replay' }).click();
    // Asked first: nothing changes before the confirmation.
    await support.locator('.ant-popover').getByText('Send this message again?').waitFor();
    expect((await sqlRows(db, sql`select status::text as s from notifications where id = ${deadId}`))[0].s).toBe('dead');
    await support.locator('.ant-popover').getByRole('button', { name: 'Yes, replay' }).click();
    await support.locator('.ant-notification').getByText('Replayed').waitFor();
    const [after] = await sqlRows(db, sql`select status::text as s, attempts from notifications where id = ${deadId}`);
    expect(after).toEqual({ s: 'pending', attempts: 0 });
    const audits = await sqlRows(db, sql`select action from audit_logs where record_id = ${deadId}`);
    expect(audits.map((a) => a.action)).toEqual(['replay']);
    // The row shows it pending, without its Replay button.
    await row.getByText('pending').waitFor();
    expect(await row.getByRole('button', { name: 'Replay' }).count()).toBe(0);
    await support.setViewportSize({ width: 390, height: 844 });
    await support.waitForTimeout(300);
    await support.screenshot({ path: `${SHOTS}/notifications-390.png`, fullPage: true });
    expect(errors).toEqual([]);
  }, 180_000);

  test('an unmatched WhatsApp message assigned to its customer from the inbox', async () => {
    const db = h.database.db;
    const errors: string[] = [];
    const support = await h.loggedIn('support', errors);
    await openFromMenu(support, 'WhatsApp inbox');
    await support.waitForURL(/\/inbound-messages/);
    const row = support.locator('.ant-table-row', { hasText: '+919845099999' });
    await row.waitFor();
    await support.screenshot({ path: `${SHOTS}/inbox-1440.png`, fullPage: true });
    await row.getByRole('button', { name: 'Assign' }).click();
    const modal = support.locator('.ant-modal');
    await modal.locator('[data-testid=assign-customer]').click();
    await support.keyboard.type('Sunita');
    await support.locator('.ant-select-item-option', { hasText: 'Sunita Rao' }).click();
    await modal.getByRole('button', { name: /Assign…/ }).click();
    await modal.locator('.ant-alert').waitFor();
    await support.screenshot({ path: `${SHOTS}/inbox-assign-1440.png` });
    expect((await sqlRows(db, sql`select status::text as s from inbound_messages where provider_message_id = 'wamid.e2e.1'`))[0].s).toBe('unmatched');
    await modal.getByRole('button', { name: /Yes, assign to Sunita Rao/ }).click();
    await support.locator('.ant-table-row', { hasText: '+919845099999' }).waitFor({ state: 'detached' });
    const [m] = await sqlRows(db, sql`select status::text as s, customer_id, dispute_id from inbound_messages where provider_message_id = 'wamid.e2e.1'`);
    expect(m).toMatchObject({ s: 'assigned', customer_id: customerId });
    const thread = await sqlRows(db, sql`select body from dispute_messages where dispute_id = ${m.dispute_id} and kind = 'customer_message' order by created_at`);
    expect(thread.map((r) => r.body)).toEqual(['Sour curd today.', 'This is Sunita, writing from my son’s phone: the curd is still sour.']);
    // The inbox with everything (the assigned one linked to its dispute), at phone width.
    await support.goto(`${h.base}/inbound-messages`);
    await support.locator('[data-testid=inbound-status-filter]').waitFor();
    await support.setViewportSize({ width: 390, height: 844 });
    await support.waitForTimeout(300);
    await support.screenshot({ path: `${SHOTS}/inbox-390.png`, fullPage: true });
    expect(errors).toEqual([]);
  }, 180_000);
});
