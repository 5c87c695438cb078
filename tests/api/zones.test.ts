import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { auditRowsOf, countOf, createCustomer, createZone, expectJson, expectProblem, rows } from './support.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

const zonesNamed = (name: string) => countOf(t.database.db, sql`select count(*) as n from zones where lower(name) = lower(${name})`);

describe('zone names', () => {
  test('a zone is created with its trimmed name and an audit row', async () => {
    const zone = await expectJson(await t.call('manager', 'POST', '/api/zones', { name: '  Koramangala ' }), 201);
    expect(zone).toMatchObject({ name: 'Koramangala', customer_count: 0 });
    expect(await zonesNamed('Koramangala')).toBe(1);
    const audit = await auditRowsOf(t.database.db, zone.id);
    expect(audit.map((a) => [a.action, a.table_name, a.user_id])).toEqual([['create', 'zones', t.userIds.manager]]);
  });

  test('a duplicate name, in any case, is a 409 and the zone is not created twice', async () => {
    await createZone(t, 'Indiranagar');
    const body = await expectProblem(await t.call('admin', 'POST', '/api/zones', { name: 'INDIRANAGAR' }), 409, 'zone_name_taken');
    expect(body.message).toBe('A zone with this name already exists.');
    expect(body.constraint).toBe('zones_name_key');
    expect(await zonesNamed('indiranagar')).toBe(1);
    await expectProblem(await t.call('admin', 'POST', '/api/zones', { name: ' indiranagar ' }), 409, 'zone_name_taken');
    expect(await zonesNamed('indiranagar')).toBe(1);
  });

  test('renaming onto another zone\'s name is a 409 and keeps the old name', async () => {
    await createZone(t, 'HSR Layout');
    const btm = await createZone(t, 'BTM Layout');
    await expectProblem(await t.call('admin', 'PATCH', `/api/zones/${btm.id}`, { name: 'hsr layout' }), 409, 'zone_name_taken');
    const [row] = await rows<{ name: string }>(t.database.db, sql`select name from zones where id = ${btm.id}`);
    expect(row.name).toBe('BTM Layout');
    // Changing only the case of its own name is fine.
    expect((await expectJson(await t.call('admin', 'PATCH', `/api/zones/${btm.id}`, { name: 'BTM layout' }), 200)).name).toBe('BTM layout');
  });

  test.each([
    ['blank', { name: '   ' }, 'name'],
    ['missing', {}, 'name'],
    ['too long', { name: 'x'.repeat(81) }, 'name'],
  ])('a %s name is a 400 naming the field', async (_what, body, field) => {
    const problem = await expectProblem(await t.call('admin', 'POST', '/api/zones', body), 400, 'validation_failed');
    expect(problem.message).toContain(field);
  });
});

describe('deleting a zone', () => {
  test('is refused with 409 zone_has_customers while a customer is in it, and allowed once they move', async () => {
    const whitefield = await createZone(t, 'Whitefield');
    const marathahalli = await createZone(t, 'Marathahalli');
    const customer = await createCustomer(t, { zone_id: whitefield.id });

    const body = await expectProblem(await t.call('admin', 'DELETE', `/api/zones/${whitefield.id}`), 409, 'zone_has_customers');
    expect(body.message).toMatch(/still has customers/);
    expect(await zonesNamed('Whitefield')).toBe(1);
    expect((await auditRowsOf(t.database.db, whitefield.id)).map((a) => a.action)).toEqual(['create']);

    await expectJson(await t.call('admin', 'PATCH', `/api/customers/${customer.id}`, { zone_id: marathahalli.id }), 200);
    const deleted = await expectJson(await t.call('admin', 'DELETE', `/api/zones/${whitefield.id}`), 200);
    expect(deleted).toMatchObject({ id: whitefield.id, name: 'Whitefield', customer_count: 0 });
    expect(await zonesNamed('Whitefield')).toBe(0);
    expect((await auditRowsOf(t.database.db, whitefield.id)).map((a) => a.action)).toEqual(['create', 'delete']);
  });

  test('an empty zone is deleted straight away', async () => {
    const zone = await createZone(t, 'Empty Zone');
    expect((await t.call('manager', 'DELETE', `/api/zones/${zone.id}`)).status).toBe(200);
    expect(await zonesNamed('Empty Zone')).toBe(0);
  });

  test('a deleted zone\'s name can be used again', async () => {
    const zone = await createZone(t, 'Phoenix');
    expect((await t.call('admin', 'DELETE', `/api/zones/${zone.id}`)).status).toBe(200);
    expect((await t.call('admin', 'POST', '/api/zones', { name: 'phoenix' })).status).toBe(201);
  });
});

describe('customer_count', () => {
  test('each zone shows how many customers it has, and can be sorted by it', async () => {
    const big = await createZone(t, 'Count Big');
    const small = await createZone(t, 'Count Small');
    for (let i = 0; i < 3; i++) await createCustomer(t, { zone_id: big.id });
    await createCustomer(t, { zone_id: small.id });

    expect((await expectJson(await t.call('admin', 'GET', `/api/zones/${big.id}`), 200)).customer_count).toBe(3);
    const listed = await expectJson<any[]>(await t.call('admin', 'GET', `/api/zones?id=${big.id}&id=${small.id}&_sort=customer_count&_order=desc`), 200);
    expect(listed.map((z) => [z.name, z.customer_count])).toEqual([
      ['Count Big', 3],
      ['Count Small', 1],
    ]);
    const asc = await expectJson<any[]>(await t.call('admin', 'GET', `/api/zones?id=${big.id}&id=${small.id}&_sort=customer_count&_order=asc`), 200);
    expect(asc.map((z) => z.name)).toEqual(['Count Small', 'Count Big']);
  });

  test('q finds zones by part of their name', async () => {
    await createZone(t, 'Jayanagar 4th Block');
    const found = await expectJson<any[]>(await t.call('support', 'GET', '/api/zones?q=4TH'), 200);
    expect(found.map((z) => z.name)).toEqual(['Jayanagar 4th Block']);
  });
});
