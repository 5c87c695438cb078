import { sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;

async function json<T = any>(res: Response, status: number): Promise<T> {
  const text = await res.text();
  expect(res.status, `expected ${status}, got ${res.status}: ${text}`).toBe(status);
  return JSON.parse(text) as T;
}
async function problem(res: Response, status: number, code?: string): Promise<{ message: string; code: string; constraint?: string }> {
  const body = await json(res, status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  if (code) expect(body.code, body.message).toBe(code);
  return body;
}
async function rows<T = Record<string, any>>(query: SQL): Promise<T[]> {
  const result = (await t.database.db.execute(query)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}
const staffCount = async () => Number((await rows<{ n: number }>(sql`select count(*)::int as n from staff`))[0].n);

let north: any;
let south: any;
beforeAll(async () => {
  t = await createTestApp();
  north = await json(await t.call('admin', 'POST', '/api/zones', { name: 'Staff North' }), 201);
  south = await json(await t.call('admin', 'POST', '/api/zones', { name: 'Staff South' }), 201);
});
afterAll(() => t?.close());

describe('staff', () => {
  test('a manager adds a staff member; the phone is normalised; the zone name comes along; one audit row', async () => {
    const s = await json(await t.call('manager', 'POST', '/api/staff', { name: 'Ravi Kumar', phone: '098450 12345', zone_id: north.id }), 201);
    expect(s).toMatchObject({ name: 'Ravi Kumar', phone: '+919845012345', zone_id: north.id, zone_name: 'Staff North', user_id: null, is_active: true });
    const [row] = await rows(sql`select phone, zone_id, is_active from staff where id = ${s.id}`);
    expect(row).toEqual({ phone: '+919845012345', zone_id: north.id, is_active: true });
    const audits = await rows(sql`select action from audit_logs where table_name = 'staff' and record_id = ${s.id}`);
    expect(audits.map((a) => a.action)).toEqual(['create']);
  });

  test('bad input: a phone that is not an Indian mobile (400), the same phone twice (409), an unknown zone (422)', async () => {
    const before = await staffCount();
    expect((await problem(await t.call('manager', 'POST', '/api/staff', { name: 'X', phone: '12345' }), 400, 'validation_failed')).message).toContain('phone: Enter a 10-digit Indian mobile number');
    expect((await problem(await t.call('manager', 'POST', '/api/staff', { name: '  ', phone: '9845012399' }), 400, 'validation_failed')).message).toContain('name');
    await json(await t.call('manager', 'POST', '/api/staff', { name: 'Meena', phone: '9845000001' }), 201);
    const dup = await problem(await t.call('manager', 'POST', '/api/staff', { name: 'Meena Again', phone: '+91 98450 00001' }), 409, 'phone_taken');
    expect(dup.message).toBe('Another staff member already has this mobile number.');
    const zoneless = await problem(await t.call('manager', 'POST', '/api/staff', { name: 'Lost', phone: '9845000002', zone_id: '00000000-0000-4000-8000-000000000000' }), 422, 'unknown_zone');
    expect(zoneless.message).toBe('That zone does not exist.');
    expect(await staffCount()).toBe(before + 1);
  });

  test('deactivate with PATCH is_active; there is no delete', async () => {
    const s = await json(await t.call('manager', 'POST', '/api/staff', { name: 'Suresh', phone: '9845000003', zone_id: south.id }), 201);
    const off = await json(await t.call('manager', 'PATCH', `/api/staff/${s.id}`, { is_active: false, zone_id: north.id }), 200);
    expect(off).toMatchObject({ is_active: false, zone_id: north.id, zone_name: 'Staff North' });
    const [row] = await rows(sql`select is_active from staff where id = ${s.id}`);
    expect(row.is_active).toBe(false);
    await problem(await t.call('manager', 'DELETE', `/api/staff/${s.id}`), 404);
    expect((await rows(sql`select action from audit_logs where table_name = 'staff' and record_id = ${s.id} order by created_at`)).map((a) => a.action)).toEqual(['create', 'update']);
  });

  test('list: filters by zone and activity, q on name and phone, sorts, total', async () => {
    const a = await json(await t.call('manager', 'POST', '/api/staff', { name: 'Anil Listed', phone: '9000000011', zone_id: south.id }), 201);
    const b = await json(await t.call('manager', 'POST', '/api/staff', { name: 'Bhavna Listed', phone: '9000000012', zone_id: south.id, is_active: false }), 201);
    let res = await t.call('finance', 'GET', `/api/staff?zone_id=${south.id}&_sort=name&_order=desc`);
    const all = await json(res, 200);
    expect(all.map((s: any) => s.id)).toEqual([b.id, a.id]);
    expect(res.headers.get('x-total-count')).toBe('2');
    res = await t.call('support', 'GET', `/api/staff?zone_id=${south.id}&is_active=true`);
    expect((await json(res, 200)).map((s: any) => s.id)).toEqual([a.id]);
    expect((await json(await t.call('support', 'GET', '/api/staff?q=bhavna'), 200)).map((s: any) => s.id)).toEqual([b.id]);
    expect((await json(await t.call('support', 'GET', '/api/staff?q=9000000011'), 200)).map((s: any) => s.id)).toEqual([a.id]);
    await problem(await t.call('support', 'GET', '/api/staff?salary=1'), 400, 'unknown_filter');
    await problem(await t.call('support', 'GET', '/api/staff?is_active=maybe'), 400, 'bad_filter');
  });

  test('only managers and admins change staff', async () => {
    const before = await staffCount();
    await problem(await t.call('support', 'POST', '/api/staff', { name: 'Nope', phone: '9845000099' }), 403, 'forbidden');
    await problem(await t.call('finance', 'POST', '/api/staff', { name: 'Nope', phone: '9845000099' }), 403, 'forbidden');
    const s = await json(await t.call('admin', 'POST', '/api/staff', { name: 'By Admin', phone: '9845000098' }), 201);
    await problem(await t.call('support', 'PATCH', `/api/staff/${s.id}`, { is_active: false }), 403, 'forbidden');
    expect(await staffCount()).toBe(before + 1);
  });
});
