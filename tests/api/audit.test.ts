import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { audit } from '../../api/lib/audit.js';
import { transaction, type Ctx } from '../../api/lib/context.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { auditRowsOf, countOf, createRequest, createZone, expectJson, expectProblem, nextPhone, refusedBy, rows } from './support.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

const auditCount = () => countOf(t.database.db, sql`select count(*) as n from audit_logs`);

describe('every mutation writes one audit row', () => {
  test('create, update and delete of a zone: who, what, which record, before and after', async () => {
    const created = await t.call('manager', 'POST', '/api/zones', { name: 'Audit Zone' });
    const zone = await expectJson(created, 201);
    const updated = await t.call('admin', 'PATCH', `/api/zones/${zone.id}`, { name: 'Audit Zone Renamed' });
    await expectJson(updated, 200);
    const deleted = await t.call('admin', 'DELETE', `/api/zones/${zone.id}`);
    await expectJson(deleted, 200);

    const log = await auditRowsOf(t.database.db, zone.id);
    expect(log.map((a) => [a.action, a.table_name, a.user_id, a.record_id])).toEqual([
      ['create', 'zones', t.userIds.manager, zone.id],
      ['update', 'zones', t.userIds.admin, zone.id],
      ['delete', 'zones', t.userIds.admin, zone.id],
    ]);
    const [c, u, d] = log;
    expect(c.before).toBeNull();
    expect(c.after).toMatchObject({ id: zone.id, name: 'Audit Zone' });
    expect(u.before).toMatchObject({ name: 'Audit Zone' });
    expect(u.after).toMatchObject({ name: 'Audit Zone Renamed' });
    expect(d.before).toMatchObject({ id: zone.id, name: 'Audit Zone Renamed' });
    expect(d.after).toBeNull();
    // Each row carries the id of the request that made it, the same one the response announced.
    expect(log.map((a) => a.request_id)).toEqual([created, updated, deleted].map((r) => r.headers.get('x-request-id')));
  });

  test('a customer update records exactly what changed', async () => {
    const zone = await createZone(t);
    const phone = nextPhone();
    const customer = await expectJson(await t.call('support', 'POST', '/api/customers', { name: 'Audit Customer', phone, zone_id: zone.id }), 201);
    await expectJson(await t.call('support', 'PATCH', `/api/customers/${customer.id}`, { status: 'paused', notes: 'Travelling' }), 200);
    const [, update] = await auditRowsOf(t.database.db, customer.id);
    expect(update).toMatchObject({ action: 'update', table_name: 'customers', user_id: t.userIds.support });
    expect([update.before.status, update.after.status, update.before.notes, update.after.notes, update.after.phone]).toEqual([
      'active',
      'paused',
      '',
      'Travelling',
      phone,
    ]);
  });

  test('approve and reject each write one row on the request (plus one for the new product)', async () => {
    const r1 = await createRequest(t);
    const r2 = await createRequest(t);
    const before = await auditCount();
    const approved = await expectJson(await t.call('admin', 'POST', `/api/product-requests/${r1.id}/approve`, {}), 200);
    await expectJson(await t.call('admin', 'POST', `/api/product-requests/${r2.id}/reject`, { reason: 'Not for now' }), 200);
    expect(await auditCount()).toBe(before + 3);
    const decisions = await rows(
      t.database.db,
      sql`select action, table_name, record_id, user_id from audit_logs where action in ('approve', 'reject') and record_id in (${r1.id}, ${r2.id}) order by action`,
    );
    expect(decisions).toEqual([
      { action: 'approve', table_name: 'product-requests', record_id: r1.id, user_id: t.userIds.admin },
      { action: 'reject', table_name: 'product-requests', record_id: r2.id, user_id: t.userIds.admin },
    ]);
    expect((await auditRowsOf(t.database.db, approved.product_id)).map((a) => [a.action, a.table_name])).toEqual([['create', 'products']]);
  });

  test('a refused or failed change writes no audit row', async () => {
    await createZone(t, 'Audit Unique');
    const before = await auditCount();
    await expectProblem(await t.call('admin', 'POST', '/api/zones', { name: 'audit unique' }), 409, 'zone_name_taken');
    await expectProblem(await t.call('admin', 'PATCH', '/api/zones/00000000-0000-4000-8000-000000000000', { name: 'Nope' }), 404);
    await expectProblem(await t.call('support', 'POST', '/api/zones', { name: 'Forbidden Zone' }), 403);
    await expectProblem(await t.call('admin', 'POST', '/api/zones', { name: '' }), 400);
    expect(await auditCount()).toBe(before);
  });

  test('an update that changes nothing writes nothing', async () => {
    const zone = await createZone(t);
    const before = await auditCount();
    await expectJson(await t.call('admin', 'PATCH', `/api/zones/${zone.id}`, {}), 200);
    expect(await auditCount()).toBe(before);
  });
});

describe('secrets never reach the audit log', () => {
  test('no audit row holds a password hash, TOTP secret or token hash', async () => {
    expect(await auditCount()).toBeGreaterThan(5);
    const leaks = await countOf(
      t.database.db,
      sql`select count(*) as n from audit_logs
          where coalesce(before::text, '') || coalesce(after::text, '') ~* '(password|totp_secret|token_hash|argon2)'`,
    );
    expect(leaks).toBe(0);
  });

  test('audit() drops secret fields even when a caller passes a whole users row', async () => {
    const ctx: Ctx = { db: t.database.db, inTx: false, actor: null, requestId: 'audit-scrub-test', log: pino({ level: 'silent' }) };
    const userRow = { id: t.userIds.finance, email: 'finance@milkrun.test', password_hash: '$argon2id$v=19$secret', totp_secret: 'JBSWY3DPEHPK3PXP' };
    await transaction(ctx, (tx) => audit(tx, { action: 'update', table: 'users', recordId: t.userIds.finance, before: userRow, after: { ...userRow, email: 'f2@milkrun.test' } }));
    const [row] = await rows<{ before: Record<string, unknown>; after: Record<string, unknown> }>(
      t.database.db,
      sql`select before, after from audit_logs where request_id = 'audit-scrub-test'`,
    );
    expect(row.before).toEqual({ id: t.userIds.finance, email: 'finance@milkrun.test' });
    expect(row.after).toEqual({ id: t.userIds.finance, email: 'f2@milkrun.test' });
  });

  test('audit() refuses to run outside the transaction of the change', async () => {
    const ctx: Ctx = { db: t.database.db, inTx: false, actor: null, requestId: 'outside', log: pino({ level: 'silent' }) };
    await expect(audit(ctx, { action: 'create', table: 'zones' })).rejects.toThrow(/inside the transaction/);
    expect(await countOf(t.database.db, sql`select count(*) as n from audit_logs where request_id = 'outside'`)).toBe(0);
  });
});

describe('the audit log is append-only', () => {
  test('raw SQL cannot UPDATE an audit row: the trigger raises and the row is unchanged', async () => {
    const zone = await createZone(t, 'Immutable History');
    const [entry] = await auditRowsOf(t.database.db, zone.id);
    const refused = await refusedBy(t.database.db.execute(sql`update audit_logs set action = 'tampered', user_id = null where record_id = ${zone.id}`));
    expect(refused).toEqual({ constraint: 'audit_logs_append_only', code: '42501' });
    expect(await auditRowsOf(t.database.db, zone.id)).toEqual([entry]);
  });

  test('raw SQL cannot DELETE audit rows, not one and not all', async () => {
    const before = await auditCount();
    expect((await refusedBy(t.database.db.execute(sql`delete from audit_logs where action = 'create'`))).constraint).toBe('audit_logs_append_only');
    expect((await refusedBy(t.database.db.execute(sql`delete from audit_logs`))).constraint).toBe('audit_logs_append_only');
    expect(await auditCount()).toBe(before);
  });

  test('the API maps the trigger to a clear 409 should a service ever try', async () => {
    const { toAppError } = await import('../../api/lib/errors.js');
    const err = await t.database.db.execute(sql`delete from audit_logs`).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(toAppError(err)).toMatchObject({ status: 409, code: 'audit_append_only', message: 'The audit log cannot be changed.' });
  });

  test('the audit-logs API is read-only: no POST, PATCH or DELETE route', async () => {
    const [entry] = await rows<{ id: string; action: string }>(t.database.db, sql`select id, action from audit_logs limit 1`);
    const before = await auditCount();
    const post = await expectProblem(await t.call('admin', 'POST', '/api/audit-logs', { action: 'create', table_name: 'zones' }), 404, 'not_found');
    expect(post.message).toBe('No route for POST /api/audit-logs.');
    await expectProblem(await t.call('admin', 'PATCH', `/api/audit-logs/${entry.id}`, { action: 'tampered' }), 404, 'not_found');
    await expectProblem(await t.call('admin', 'PUT', `/api/audit-logs/${entry.id}`, { action: 'tampered' }), 404, 'not_found');
    await expectProblem(await t.call('admin', 'DELETE', `/api/audit-logs/${entry.id}`), 404, 'not_found');
    expect(await auditCount()).toBe(before);
    const [after] = await rows<{ action: string }>(t.database.db, sql`select action from audit_logs where id = ${entry.id}`);
    expect(after.action).toBe(entry.action);
  });
});

describe('reading the audit log', () => {
  test('filters by table and record, newest first, with the user\'s email', async () => {
    const zone = await createZone(t, 'Audit Reader');
    await expectJson(await t.call('manager', 'PATCH', `/api/zones/${zone.id}`, { name: 'Audit Reader 2' }), 200);
    const res = await t.call('finance', 'GET', `/api/audit-logs?table_name=zones&record_id=${zone.id}`);
    const list = await expectJson<any[]>(res, 200);
    expect(res.headers.get('x-total-count')).toBe('2');
    expect(list.map((a) => [a.action, a.user_email])).toEqual([
      ['update', 'manager@milkrun.test'],
      ['create', 'admin@milkrun.test'],
    ]);
    const byUser = await expectJson<any[]>(await t.call('finance', 'GET', `/api/audit-logs?user_id=${t.userIds.manager}&action=update&table_name=zones`), 200);
    expect(byUser.map((a) => a.record_id)).toContain(zone.id);
    expect(byUser.every((a) => a.user_email === 'manager@milkrun.test' && a.action === 'update')).toBe(true);
    const searched = await expectJson<any[]>(await t.call('finance', 'GET', `/api/audit-logs?q=manager@milkrun&record_id=${zone.id}`), 200);
    expect(searched.map((a) => a.action)).toEqual(['update']);
  });
});
