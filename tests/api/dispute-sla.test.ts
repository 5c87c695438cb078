import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Ctx } from '../../api/lib/context.js';
import { addMessage, closeStaleResolved, createDispute, escalateBreaches, getDispute, resolveDispute, transitionDispute } from '../../api/modules/disputes/disputes.service.js';
import { addBusinessMinutes, businessMinutesBetween, type Calendar } from '../../api/modules/disputes/sla.js';
import type { Db } from '../../db/client.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { makeCustomer, sqlRows, type CustomerFixture } from '../helpers/chain-fixtures.js';
import { serviceCtx } from '../helpers/money-fixtures.js';
import { expectJson, expectProblem } from './support.js';

// SLA on business hours (issue 13, item 5), with an injected clock: business hours are data (default Monday to
// Saturday 06:00-12:00 and 16:00-20:00 Asia/Kolkata, Sunday closed) and holidays; targets are business minutes per
// priority (normal: first response 120, resolution 1200); waiting on the customer pauses the resolution clock.

let t: TestApp;
let db: Db;
let customer: CustomerFixture;
const ist = (local: string) => new Date(`${local}+05:30`);
/** A service context whose clock reads `at` (moved by the test). */
let clock = ist('2026-01-03T19:30:00');
let ctx: Ctx;

beforeAll(async () => {
  t = await createTestApp();
  db = t.database.db;
  customer = await makeCustomer(db);
  ctx = { ...serviceCtx(db, t.userIds.support), now: () => clock };
});
afterAll(() => t?.close());

const open = (priority: 'low' | 'normal' | 'high' | 'urgent' = 'normal') =>
  createDispute(ctx, { customer_id: customer.customer.id, category: 'short_quantity', subject: 'Short today', body: 'One packet short.', priority });
const iso = (v: unknown) => new Date(v as string).toISOString();

describe('due times on business hours', () => {
  test('opened on a Saturday at 19:30 IST with a 2-business-hour first response: due Monday 07:30 IST', async () => {
    clock = ist('2026-01-03T19:30:00'); // a Saturday
    const d = await open('normal');
    expect(iso(d.created_at)).toBe(ist('2026-01-03T19:30:00').toISOString());
    expect(iso(d.first_response_due_at)).toBe(ist('2026-01-05T07:30:00').toISOString());
    // 1200 business minutes: 30 on Saturday, Sunday closed, 600 on Monday, 570 on Tuesday (06:00-12:00, 16:00-19:30).
    expect(iso(d.resolution_due_at)).toBe(ist('2026-01-06T19:30:00').toISOString());
  });

  test('across the midday gap: opened Monday 11:00, due 17:00', async () => {
    clock = ist('2026-01-05T11:00:00');
    const d = await open('normal');
    expect(iso(d.first_response_due_at)).toBe(ist('2026-01-05T17:00:00').toISOString());
  });

  test('opened during a holiday: the clock starts on the next business day', async () => {
    const hours = await expectJson(await t.call('support', 'GET', '/api/business-hours'), 200);
    expect(hours.windows).toHaveLength(12);
    expect(hours.windows[0]).toEqual({ weekday: 1, opens: '06:00', closes: '12:00' });
    await expectProblem(await t.call('support', 'PUT', '/api/business-hours', { windows: hours.windows, holidays: [] }), 403);
    // Republic Day, a Monday: closed.
    await expectJson(await t.call('admin', 'PUT', '/api/business-hours', { windows: hours.windows, holidays: [{ day: '2026-01-26', name: 'Republic Day' }] }), 200);
    clock = ist('2026-01-26T09:00:00');
    const d = await open('normal');
    expect(iso(d.first_response_due_at)).toBe(ist('2026-01-27T08:00:00').toISOString());
    // Overlapping windows are refused by the database, whatever the client checked; nothing changes.
    const res = await t.call('admin', 'PUT', '/api/business-hours', { windows: [...hours.windows, { weekday: 1, opens: '11:00', closes: '13:00' }], holidays: [] });
    await expectProblem(res, 409, 'windows_overlap');
    expect((await expectJson(await t.call('finance', 'GET', '/api/business-hours'), 200)).holidays).toEqual([{ day: '2026-01-26', name: 'Republic Day' }]);
  });

  test('waiting on the customer pauses the resolution clock', async () => {
    clock = ist('2026-01-12T06:00:00'); // Monday: resolution due Tuesday 20:00 (600 + 600)
    const d = await open('normal');
    expect(iso(d.resolution_due_at)).toBe(ist('2026-01-13T20:00:00').toISOString());
    clock = ist('2026-01-12T07:00:00');
    await addMessage(ctx, d.id as string, { body: 'Could you send a photo?', internal: false });
    const waiting = await getDispute(ctx, d.id as string);
    expect(waiting).toMatchObject({ status: 'awaiting_customer', resolution_due_at: null });
    expect(iso(waiting.first_response_at)).toBe(clock.toISOString());
    expect(waiting.first_response_breached).toBe(false);
    // The customer answers at 17:00: 07:00-12:00 and 16:00-17:00 were paused (360 business minutes).
    clock = ist('2026-01-12T17:00:00');
    const back = await transitionDispute(ctx, d.id as string, { to: 'awaiting_support', version: Number(waiting.version) });
    expect(back).toMatchObject({ paused_since: null, paused_minutes: 360 });
    expect(iso(back.resolution_due_at)).toBe(ist('2026-01-14T12:00:00').toISOString());
  });

  test('the calendar functions: minutes between, and nothing open at all is refused', () => {
    const cal: Calendar = { windows: new Map([[1, [{ from: 360, to: 720 }, { from: 960, to: 1200 }]]]), holidays: new Set() };
    expect(businessMinutesBetween(cal, ist('2026-01-05T11:00:00'), ist('2026-01-05T17:00:00'))).toBe(120);
    expect(businessMinutesBetween(cal, ist('2026-01-05T17:00:00'), ist('2026-01-05T11:00:00'))).toBe(0);
    expect(addBusinessMinutes(cal, ist('2026-01-05T20:00:00'), 1).toISOString()).toBe(ist('2026-01-12T06:01:00').toISOString());
    expect(() => addBusinessMinutes({ windows: new Map(), holidays: new Set() }, ist('2026-01-05T06:00:00'), 10)).toThrow(/no open window/);
  });
});

describe('policies, the breach queue and escalation', () => {
  test('SLA policies are data: read by support, replaced by an admin (one per priority, bounded)', async () => {
    const policies = await expectJson<any[]>(await t.call('support', 'GET', '/api/sla-policies'), 200);
    expect(policies.find((p) => p.priority === 'normal')).toEqual({ priority: 'normal', first_response_minutes: 120, resolution_minutes: 1200 });
    await expectProblem(await t.call('admin', 'PUT', '/api/sla-policies', policies.slice(1)), 400, 'validation_failed');
    await expectProblem(await t.call('admin', 'PUT', '/api/sla-policies', [...policies.slice(1), policies[1]]), 422, 'policy_per_priority');
    await expectProblem(await t.call('admin', 'PUT', '/api/sla-policies', policies.map((p) => ({ ...p, resolution_minutes: 1 }))), 400, 'validation_failed');
    const urgent = policies.map((p) => (p.priority === 'urgent' ? { ...p, first_response_minutes: 15 } : p));
    const saved = await expectJson<any[]>(await t.call('admin', 'PUT', '/api/sla-policies', urgent), 200);
    expect(saved.find((p) => p.priority === 'urgent').first_response_minutes).toBe(15);
  });

  test('a breach is in the queue, escalates once (priority up one step, activity entry), and shows as breached', async () => {
    clock = ist('2026-02-02T06:00:00'); // a Monday, long past: its first response was due 08:00 that day
    const d = await open('normal');
    const fresh = await expectJson<any[]>(await t.call('support', 'GET', `/api/disputes?sla_attention=true&customer_id=${customer.customer.id}`), 200);
    expect(fresh.map((r) => r.id)).toContain(d.id);
    const row = fresh.find((r) => r.id === d.id);
    expect(row).toMatchObject({ first_response_breached: true, resolution_breached: true, sla_attention: true });
    clock = ist('2026-02-02T09:00:00');
    const before = await sqlRows<{ n: number }>(db, sql`select count(*)::int as n from disputes where escalated_at is not null`);
    const first = await escalateBreaches(ctx);
    expect(first.escalated).toBeGreaterThanOrEqual(1);
    const after = await getDispute(ctx, d.id as string);
    expect(after).toMatchObject({ priority: 'high' });
    expect(iso(after.escalated_at)).toBe(clock.toISOString());
    const entries = await sqlRows<{ body: string }>(db, sql`select body from dispute_messages where dispute_id = ${d.id} and kind = 'activity' order by created_at, seq`);
    expect(entries.at(-1)!.body).toMatch(/^SLA breached \(first response was due .*\): escalated to high priority\.$/);
    expect((await escalateBreaches(ctx)).escalated).toBe(0);
    const [{ n }] = await sqlRows<{ n: number }>(db, sql`select count(*)::int as n from disputes where escalated_at is not null`);
    expect(n).toBe(before[0].n + first.escalated);
  });

  test('a resolved dispute closes by itself 7 days later, once; a newer one stays resolved', async () => {
    clock = ist('2026-03-02T10:00:00');
    const old = await open('low');
    await resolveDispute(ctx, old.id as string, { outcome: 'explanation', note: 'Explained on the phone.' } as never);
    clock = ist('2026-03-08T10:00:00');
    const recent = await open('low');
    await resolveDispute(ctx, recent.id as string, { outcome: 'explanation', note: 'Explained on the phone.' } as never);
    clock = ist('2026-03-09T10:00:01');
    expect((await closeStaleResolved(ctx)).closed).toBeGreaterThanOrEqual(1);
    expect(await getDispute(ctx, old.id as string)).toMatchObject({ status: 'closed', outcome: 'explanation' });
    expect((await getDispute(ctx, recent.id as string)).status).toBe('resolved');
    expect((await closeStaleResolved(ctx)).closed).toBe(0);
    const [last] = await sqlRows<{ body: string }>(db, sql`select body from dispute_messages where dispute_id = ${old.id} order by created_at desc, seq desc limit 1`);
    expect(last.body).toMatch(/^Closed automatically: 7 days since it was resolved/);
  });
});

