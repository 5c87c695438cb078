import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { countOf, createRequest, createZone, expectJson, expectProblem, milkRequest, nextPhone, rows } from './support.js';

// Who may do what: every refusal is a 403 problem and leaves the database as it was.
let t: TestApp;
let zone: { id: string; name: string };
beforeAll(async () => {
  t = await createTestApp();
  zone = await createZone(t, 'Access Zone');
});
afterAll(() => t?.close());

const auditCount = () => countOf(t.database.db, sql`select count(*) as n from audit_logs`);

describe('product request decisions', () => {
  test('support cannot approve a product request, and nothing changes', async () => {
    const request = await createRequest(t);
    const audits = await auditCount();
    const body = await expectProblem(await t.call('support', 'POST', `/api/product-requests/${request.id}/approve`, {}), 403, 'forbidden');
    expect(body.message).toBe('Your role may not approve product requests.');
    const [row] = await rows(t.database.db, sql`select status, product_id, decided_by, decided_at from product_requests where id = ${request.id}`);
    expect(row).toEqual({ status: 'pending', product_id: null, decided_by: null, decided_at: null });
    expect(await countOf(t.database.db, sql`select count(*) as n from products`)).toBe(0);
    expect(await auditCount()).toBe(audits);
  });

  test('support and finance cannot reject or bulk-decide either', async () => {
    const request = await createRequest(t);
    await expectProblem(await t.call('support', 'POST', `/api/product-requests/${request.id}/reject`, { reason: 'Not stocked' }), 403, 'forbidden');
    await expectProblem(await t.call('finance', 'POST', `/api/product-requests/${request.id}/approve`, {}), 403, 'forbidden');
    const bulk = await expectProblem(await t.call('support', 'POST', '/api/product-requests/decide', { ids: [request.id], action: 'approve' }), 403, 'forbidden');
    expect(bulk.message).toContain('approve');
    await expectProblem(await t.call('finance', 'POST', '/api/product-requests/decide', { ids: [request.id], action: 'reject', reason: 'Not stocked' }), 403);
    const [row] = await rows(t.database.db, sql`select status from product_requests where id = ${request.id}`);
    expect(row.status).toBe('pending');
  });

  test('finance cannot even ask for a product; support can', async () => {
    await expectProblem(await t.call('finance', 'POST', '/api/product-requests', { name: 'Ghee', unit: 'bottle', price_paise: 1, hsn_code: '0405' }), 403, 'forbidden');
    expect(await countOf(t.database.db, sql`select count(*) as n from product_requests where name = 'Ghee'`)).toBe(0);
  });

  test('a manager may approve (resource grant with action *)', async () => {
    const request = await createRequest(t);
    const approved = await expectJson(await t.call('manager', 'POST', `/api/product-requests/${request.id}/approve`, {}), 200);
    expect(approved).toMatchObject({ status: 'approved', decided_by: t.userIds.manager });
  });
});

describe('customers', () => {
  test('finance cannot create a customer, and no row is written', async () => {
    const phone = nextPhone();
    const body = await expectProblem(await t.call('finance', 'POST', '/api/customers', { name: 'Meera Finance', phone, zone_id: zone.id }), 403, 'forbidden');
    expect(body.message).toBe('Your role may not create customers.');
    expect(await countOf(t.database.db, sql`select count(*) as n from customers where phone = ${phone}`)).toBe(0);
  });

  test('finance may read customers but not edit them', async () => {
    const customer = await expectJson(await t.call('support', 'POST', '/api/customers', { name: 'Read Only', phone: nextPhone(), zone_id: zone.id }), 201);
    expect((await t.call('finance', 'GET', '/api/customers')).status).toBe(200);
    expect((await t.call('finance', 'GET', `/api/customers/${customer.id}`)).status).toBe(200);
    await expectProblem(await t.call('finance', 'PATCH', `/api/customers/${customer.id}`, { name: 'Changed' }), 403, 'forbidden');
    const [row] = await rows(t.database.db, sql`select name from customers where id = ${customer.id}`);
    expect(row.name).toBe('Read Only');
  });

  test('support cannot create, rename or delete zones; a manager can create one', async () => {
    await expectProblem(await t.call('support', 'POST', '/api/zones', { name: 'Support Zone' }), 403, 'forbidden');
    await expectProblem(await t.call('support', 'PATCH', `/api/zones/${zone.id}`, { name: 'Renamed' }), 403, 'forbidden');
    await expectProblem(await t.call('finance', 'DELETE', `/api/zones/${zone.id}`), 403, 'forbidden');
    expect(await countOf(t.database.db, sql`select count(*) as n from zones where name = 'Access Zone'`)).toBe(1);
    expect(await countOf(t.database.db, sql`select count(*) as n from zones where name = 'Support Zone'`)).toBe(0);
    expect((await t.call('manager', 'POST', '/api/zones', { name: 'Manager Zone' })).status).toBe(201);
  });

  test('finance cannot create products, and no product row is written', async () => {
    const body = await expectProblem(
      await t.call('finance', 'POST', '/api/products', { name: 'Finance Ghee', sku: 'FIN-GHEE', unit: 'bottle', price_paise: 65000, hsn_code: '0405' }),
      403,
      'forbidden',
    );
    expect(body.message).toBe('Your role may not create products.');
    expect(await countOf(t.database.db, sql`select count(*) as n from products where sku = 'FIN-GHEE'`)).toBe(0);
  });
});

describe('users, roles and the audit log', () => {
  test.each(['finance', 'support', 'manager'] as const)('%s cannot list users or roles', async (role) => {
    const body = await expectProblem(await t.call(role, 'GET', '/api/users'), 403, 'forbidden');
    expect(body.message).toBe('Your role may not list users.');
    await expectProblem(await t.call(role, 'GET', `/api/users/${t.userIds.admin}`), 403, 'forbidden');
    await expectProblem(await t.call(role, 'GET', '/api/roles'), 403, 'forbidden');
  });

  test('admin lists users with their roles and never their secrets', async () => {
    const res = await t.call('admin', 'GET', '/api/users?_sort=email');
    const users = await expectJson<any[]>(res, 200);
    expect(res.headers.get('x-total-count')).toBe('4');
    expect(users.map((u) => [u.email, u.roles])).toEqual([
      ['admin@milkrun.test', ['admin']],
      ['finance@milkrun.test', ['finance']],
      ['manager@milkrun.test', ['manager']],
      ['support@milkrun.test', ['support']],
    ]);
    expect(users[0]).toMatchObject({ is_active: true, totp_enabled: false });
    expect(JSON.stringify(users)).not.toMatch(/password|totp_secret|argon2/i);
    const one = await expectJson(await t.call('admin', 'GET', `/api/users/${t.userIds.support}`), 200);
    expect(one).not.toHaveProperty('password_hash');
  });

  test('admin lists roles with their members and permissions', async () => {
    const roles = await expectJson<any[]>(await t.call('admin', 'GET', '/api/roles?_sort=name'), 200);
    expect(roles.map((r) => r.name)).toEqual(['admin', 'delivery_staff', 'finance', 'manager', 'support']);
    const support = roles.find((r) => r.name === 'support');
    expect(support.member_count).toBe(1);
    expect(support.permissions).toContainEqual({ resource: 'product-requests', action: 'create', conditions: null });
    expect(support.permissions).not.toContainEqual(expect.objectContaining({ resource: 'product-requests', action: 'approve' }));
    expect(roles.find((r) => r.name === 'admin').permissions).toEqual([{ resource: '*', action: '*', conditions: null }]);
  });

  test('users are never deleted (deactivated instead: tests/api/users.test.ts)', async () => {
    await expectProblem(await t.call('admin', 'DELETE', `/api/users/${t.userIds.support}`), 404, 'not_found');
    expect(await countOf(t.database.db, sql`select count(*) as n from users where is_active`)).toBe(4);
  });

  test('support cannot read the audit log; finance and managers can', async () => {
    await expectProblem(await t.call('support', 'GET', '/api/audit-logs'), 403, 'forbidden');
    expect((await t.call('finance', 'GET', '/api/audit-logs')).status).toBe(200);
    expect((await t.call('manager', 'GET', '/api/audit-logs')).status).toBe(200);
  });
});

test('what /api/auth/me grants is what the API allows, for every role and route tried here', async () => {
  // The admin's access-control provider hides buttons from these same permissions.
  let n = 0;
  const probes: [string, string, string, string, () => unknown][] = [
    ['customers', 'create', 'POST', '/api/customers', () => ({ name: `Probe ${n}`, phone: nextPhone(), zone_id: zone.id })],
    ['zones', 'create', 'POST', '/api/zones', () => ({ name: `Probe Zone ${n}` })],
    ['products', 'create', 'POST', '/api/products', () => ({ name: `Probe Product ${n}`, sku: `PROBE-${n}`, unit: 'packet', price_paise: 100, hsn_code: '0401' })],
    ['product-requests', 'create', 'POST', '/api/product-requests', () => milkRequest()],
    ['users', 'list', 'GET', '/api/users', () => undefined],
    ['audit-logs', 'list', 'GET', '/api/audit-logs', () => undefined],
  ];
  for (const role of ['admin', 'finance', 'support', 'manager'] as const) {
    const me = await expectJson(await t.call(role, 'GET', '/api/auth/me'), 200);
    for (const [resource, action, method, path, body] of probes) {
      n += 1;
      const granted = me.permissions.some(
        (p: { resource: string; action: string }) => (p.resource === '*' || p.resource === resource) && (p.action === '*' || p.action === action),
      );
      const res = await t.call(role, method, path, body());
      const expected = !granted ? 403 : method === 'POST' ? 201 : 200;
      expect([role, resource, action, res.status]).toEqual([role, resource, action, expected]);
    }
  }
});
