import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Ctx } from '../../api/lib/context.js';
import { assertWithinAmount, conditionTables } from '../../api/lib/permission-catalog.js';
import { confirmDelivery } from '../../api/modules/deliveries/deliveries.service.js';
import { runInvoices } from '../../api/modules/invoices/invoice-runs.service.js';
import { createUser, DEMO_PASSWORD } from '../../seeds/users.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { callAs, loginCookie, makeCustomer, makeOrder, makeProduct, makeZone } from '../helpers/chain-fixtures.js';
import { countOf, expectJson, expectProblem, rows, uniqueName } from './support.js';

// Roles and their permissions as data: created, edited and deleted in the admin, validated against the resources and
// actions the routes really check, enforced on the very next request.

interface Grant {
  resource: string;
  action: string;
  conditions: Record<string, unknown> | null;
}
interface CatalogEntry {
  resource: string;
  actions: { action: string; conditions: string[] }[];
}

let t: TestApp;
let catalog: CatalogEntry[];
beforeAll(async () => {
  t = await createTestApp();
  catalog = await expectJson(await t.call('admin', 'GET', '/api/permissions/catalog'), 200);
});
afterAll(() => t?.close());

const roleName = () => uniqueName('role').replace(/[^a-z0-9]+/g, '_');
const createRole = async (body: Record<string, unknown>) => expectJson(await t.call('admin', 'POST', '/api/roles', body), 201);
const auditOf = (id: string) => rows<{ action: string; before: any; after: any }>(t.database.db, sql`select action, before, after from audit_logs where table_name = 'roles' and record_id = ${id} order by created_at, id`);
const grantsOf = async (roleId: string) =>
  (await rows<Grant>(t.database.db, sql`select resource, action, conditions from permissions where role_id = ${roleId} order by resource, action`)).map((g) => `${g.resource} ${g.action}${g.conditions ? ` ${JSON.stringify(g.conditions)}` : ''}`);

/** A user holding `roles`, logged in: the cookie. */
async function userWith(...roles: string[]) {
  const email = `${roleName()}@milkrun.test`;
  const id = await createUser(t.database.db, { email, name: 'Role Test', password: DEMO_PASSWORD, roles });
  return { id, cookie: await loginCookie(t.app, email, DEMO_PASSWORD) };
}

describe('the permission catalog', () => {
  test('is exactly the resources and actions the routes check (x-permission of every operation)', async () => {
    const doc = await expectJson(await t.app.request('/api/openapi.json'), 200);
    const used = new Set<string>();
    for (const item of Object.values<Record<string, any>>(doc.paths)) {
      for (const op of Object.values<any>(item)) {
        const rule = op?.['x-permission'];
        if (typeof rule === 'object') for (const a of rule.actions) used.add(`${rule.resource} ${a}`);
      }
    }
    const listed = catalog.flatMap((e) => e.actions.map((a) => `${e.resource} ${a.action}`));
    expect(new Set(listed).size).toBe(listed.length);
    expect([...listed].sort()).toEqual([...used].sort());
    expect(catalog.find((e) => e.resource === 'customers')!.actions.map((a) => a.action).slice(0, 4)).toEqual(['list', 'show', 'create', 'edit']);
  });

  test('offers each condition only where a service enforces it', () => {
    const cell = (resource: string, action: string) => catalog.find((e) => e.resource === resource)!.actions.find((a) => a.action === action)!.conditions;
    expect(cell('deliveries', 'confirm')).toEqual(expect.arrayContaining(['own', 'step_up']));
    expect(cell('deliveries', 'list')).toContain('own');
    expect(cell('deliveries', 'list')).not.toContain('step_up');
    expect(cell('invoices', 'void')).toEqual(expect.arrayContaining(['max_amount_paise', 'step_up']));
    expect(cell('customers', 'edit')).not.toContain('own');
    expect(cell('customers', 'edit')).not.toContain('max_amount_paise');
    // Every pair a condition table names is a real route's: a renamed action cannot leave a dead entry behind.
    for (const [condition, table] of Object.entries(conditionTables)) {
      for (const [resource, actions] of Object.entries(table)) for (const action of actions) expect(cell(resource, action), `${condition} on ${resource} ${action}`).toContain(condition);
    }
  });

  test('only those who may read roles see it', async () => {
    await expectProblem(await t.call('support', 'GET', '/api/permissions/catalog'), 403, 'forbidden');
    await expectProblem(await t.call(null, 'GET', '/api/permissions/catalog'), 401, 'unauthorized');
  });
});

describe('creating, editing and deleting roles', () => {
  test('create with permissions; audited with what was created', async () => {
    const name = roleName();
    const role = await createRole({ name, description: 'Reads customers', permissions: [{ resource: 'customers', action: 'list' }, { resource: 'customers', action: 'show', conditions: {} }] });
    expect(role).toMatchObject({ name, description: 'Reads customers', requires_totp: false, member_count: 0 });
    expect(role.permissions).toEqual([
      { resource: 'customers', action: 'list', conditions: null },
      { resource: 'customers', action: 'show', conditions: null },
    ]);
    const [entry] = await auditOf(role.id);
    expect(entry).toMatchObject({ action: 'create', before: null, after: { name, permissions: role.permissions } });
    expect((await t.call('admin', 'GET', `/api/roles/${role.id}`)).status).toBe(200);
  });

  test('an unknown resource, action or misplaced condition is a 400 naming it; nothing is written', async () => {
    const name = roleName();
    const bad = async (permissions: unknown[], code: string, text: RegExp) => {
      const body = await expectProblem(await t.call('admin', 'POST', '/api/roles', { name, permissions }), 400, code);
      expect(body.message).toMatch(text);
    };
    await bad([{ resource: 'customers', action: 'list' }, { resource: 'spaceships', action: 'list' }], 'unknown_resource', /"spaceships"/);
    await bad([{ resource: 'customers', action: 'launch' }], 'unknown_action', /"launch" on customers: its actions are list, show, create, edit/);
    await bad([{ resource: '*', action: 'launch' }], 'unknown_action', /"launch"/);
    await bad([{ resource: 'customers', action: 'edit', conditions: { own: true } }], 'condition_not_applicable', /own does not apply to edit on customers/);
    await bad([{ resource: 'customers', action: 'list', conditions: { max_amount_paise: 100 } }], 'condition_not_applicable', /max_amount_paise/);
    await bad([{ resource: 'deliveries', action: '*', conditions: { own: true } }], 'condition_not_applicable', /takes no conditions/);
    await bad([{ resource: 'customers', action: 'list' }, { resource: 'customers', action: 'list' }], 'duplicate_permission', /listed twice/);
    await expectProblem(await t.call('admin', 'POST', '/api/roles', { name, permissions: [{ resource: 'invoices', action: 'void', conditions: { max_amount_paise: -1 } }] }), 400, 'validation_failed');
    await expectProblem(await t.call('admin', 'POST', '/api/roles', { name, permissions: [{ resource: 'invoices', action: 'void', conditions: { region: 'north' } }] }), 400, 'validation_failed');
    await expectProblem(await t.call('admin', 'POST', '/api/roles', { name: 'Senior Support' }), 400, 'validation_failed');
    expect(await countOf(t.database.db, sql`select count(*) as n from roles where name = ${name}`)).toBe(0);
    // A name taken is a 409 from the unique index.
    await expectProblem(await t.call('admin', 'POST', '/api/roles', { name: 'finance' }), 409, 'role_exists');
  });

  test('PATCH renames, describes, requires a second factor, and replaces the permissions as a whole', async () => {
    const role = await createRole({ name: roleName(), permissions: [{ resource: 'customers', action: 'list' }, { resource: 'deliveries', action: 'list', conditions: { own: true } }, { resource: 'zones', action: 'list' }] });
    const renamed = roleName();
    const after = await expectJson(
      await t.call('admin', 'PATCH', `/api/roles/${role.id}`, {
        name: renamed,
        description: 'Second line',
        requires_totp: true,
        permissions: [
          { resource: 'customers', action: 'list' },
          { resource: 'deliveries', action: 'list' },
          { resource: 'deliveries', action: 'confirm', conditions: { own: true, step_up: true } },
          { resource: 'invoices', action: 'void', conditions: { max_amount_paise: 50000 } },
        ],
      }),
      200,
    );
    expect(after).toMatchObject({ name: renamed, description: 'Second line', requires_totp: true });
    expect(await grantsOf(role.id)).toEqual([
      'customers list',
      'deliveries confirm {"own":true,"step_up":true}',
      'deliveries list',
      'invoices void {"max_amount_paise":50000}',
    ]);
    const [, update] = await auditOf(role.id);
    expect(update.action).toBe('update');
    expect(update.before.permissions).toContainEqual({ resource: 'zones', action: 'list', conditions: null });
    expect(update.after.permissions).not.toContainEqual(expect.objectContaining({ resource: 'zones' }));
    expect(update.after).toMatchObject({ name: renamed, requires_totp: true });
    // The same body again changes nothing and writes no audit row.
    await expectJson(await t.call('admin', 'PATCH', `/api/roles/${role.id}`, { requires_totp: true }), 200);
    expect(await auditOf(role.id)).toHaveLength(2);
    // Emptied: a role may hold nothing.
    expect((await expectJson(await t.call('admin', 'PATCH', `/api/roles/${role.id}`, { permissions: [] }), 200)).permissions).toEqual([]);
  });

  test('only admins manage roles', async () => {
    const role = await createRole({ name: roleName() });
    await expectProblem(await t.call('manager', 'POST', '/api/roles', { name: roleName() }), 403, 'forbidden');
    await expectProblem(await t.call('finance', 'PATCH', `/api/roles/${role.id}`, { description: 'x' }), 403, 'forbidden');
    await expectProblem(await t.call('support', 'DELETE', `/api/roles/${role.id}`), 403, 'forbidden');
  });

  test('a role still held by a user cannot be deleted (409 saying why); an unheld one goes with its permissions', async () => {
    const role = await createRole({ name: roleName(), permissions: [{ resource: 'zones', action: 'list' }] });
    const user = await userWith(role.name);
    const body = await expectProblem(await t.call('admin', 'DELETE', `/api/roles/${role.id}`), 409, 'role_in_use');
    expect(body.message).toBe(`The role ${role.name} is held by 1 user; take it from them (Users) before deleting it.`);
    expect(await countOf(t.database.db, sql`select count(*) as n from roles where id = ${role.id}`)).toBe(1);
    await t.database.db.execute(sql`delete from user_roles where user_id = ${user.id}`);
    const deleted = await expectJson(await t.call('admin', 'DELETE', `/api/roles/${role.id}`), 200);
    expect(deleted.name).toBe(role.name);
    expect(await countOf(t.database.db, sql`select count(*) as n from permissions where role_id = ${role.id}`)).toBe(0);
    expect((await auditOf(role.id)).map((a) => a.action)).toEqual(['create', 'delete']);
    await expectProblem(await t.call('admin', 'DELETE', `/api/roles/${role.id}`), 404, 'not_found');
  });

  test('built-in roles are editable; admin keeps its name and * on *, by the API and in SQL', async () => {
    const list = await expectJson<any[]>(await t.call('admin', 'GET', '/api/roles?_sort=name'), 200);
    const admin = list.find((r) => r.name === 'admin');
    const support = list.find((r) => r.name === 'support');
    const body = await expectProblem(await t.call('admin', 'PATCH', `/api/roles/${admin.id}`, { permissions: [{ resource: 'customers', action: 'list' }] }), 422, 'admin_keeps_all');
    expect(body.message).toMatch(/keeps every permission/);
    await expectProblem(await t.call('admin', 'PATCH', `/api/roles/${admin.id}`, { permissions: [{ resource: '*', action: '*', conditions: { step_up: true } }] }), 400, 'condition_not_applicable');
    await expectProblem(await t.call('admin', 'PATCH', `/api/roles/${admin.id}`, { name: 'root' }), 422, 'admin_role_fixed');
    await expectProblem(await t.call('admin', 'DELETE', `/api/roles/${admin.id}`), 422, 'admin_role_fixed');
    expect(await grantsOf(admin.id)).toEqual(['* *']);
    // Its description, second-factor rule and extra grants may change.
    const edited = await expectJson(await t.call('admin', 'PATCH', `/api/roles/${admin.id}`, { description: 'Owners', permissions: [{ resource: '*', action: '*' }] }), 200);
    expect(edited).toMatchObject({ name: 'admin', description: 'Owners' });
    // A built-in role's grants are edited like any other's (and put back).
    const grants = support.permissions as Grant[];
    await expectJson(await t.call('admin', 'PATCH', `/api/roles/${support.id}`, { permissions: grants.filter((g) => g.resource !== 'zones') }), 200);
    await expectProblem(await t.call('support', 'GET', '/api/zones'), 403, 'forbidden');
    await expectJson(await t.call('admin', 'PATCH', `/api/roles/${support.id}`, { permissions: grants }), 200);
    expect((await t.call('support', 'GET', '/api/zones')).status).toBe(200);
  });
});

describe('a new read-only auditor role, end to end', () => {
  test('reads every list and record the API has, changes nothing, and loses a right on its next request', async () => {
    const reads = catalog.flatMap((e) => e.actions.filter((a) => a.action === 'list' || a.action === 'show').map((a) => ({ resource: e.resource, action: a.action })));
    const auditor = await createRole({ name: roleName(), description: 'Reads everything, changes nothing', permissions: reads });
    const { cookie } = await userWith(auditor.name);
    const me = await expectJson(await callAs(t.app, cookie, 'GET', '/api/auth/me'), 200);
    expect(me.permissions).toHaveLength(reads.length);
    for (const path of ['/api/customers', '/api/invoices', '/api/audit-logs', '/api/users', '/api/roles', '/api/deliveries', '/api/billing-records']) {
      expect((await callAs(t.app, cookie, 'GET', path)).status, path).toBe(200);
    }
    const zone = await makeZone(t.database.db);
    await expectProblem(await callAs(t.app, cookie, 'POST', '/api/customers', { name: 'Nope', phone: '+919800000001', zone_id: zone.id }), 403, 'forbidden');
    await expectProblem(await callAs(t.app, cookie, 'PATCH', `/api/zones/${zone.id}`, { name: 'Nope' }), 403, 'forbidden');
    await expectProblem(await callAs(t.app, cookie, 'POST', '/api/roles', { name: roleName() }), 403, 'forbidden');
    await expectProblem(await callAs(t.app, cookie, 'POST', '/api/orders/generate', { from: '2026-01-01', to: '2026-01-01' }), 403, 'forbidden');
    // Taking customers away takes effect on the same session's next request.
    await expectJson(await t.call('admin', 'PATCH', `/api/roles/${auditor.id}`, { permissions: reads.filter((g) => g.resource !== 'customers') }), 200);
    await expectProblem(await callAs(t.app, cookie, 'GET', '/api/customers'), 403, 'forbidden');
    expect((await callAs(t.app, cookie, 'GET', '/api/invoices')).status).toBe(200);
  });

  test('a grant changed in SQL, not through the API, also applies on the next request (the process keeps no stale set)', async () => {
    const role = await createRole({ name: roleName(), permissions: [{ resource: 'customers', action: 'list' }] });
    const { cookie } = await userWith(role.name);
    const customersList = () => callAs(t.app, cookie, 'GET', '/api/customers');
    // Twice: the second request is answered from the set this process keeps.
    expect((await customersList()).status).toBe(200);
    expect((await customersList()).status).toBe(200);
    await t.database.db.execute(sql`delete from permissions where role_id = ${role.id}`);
    await expectProblem(await customersList(), 403, 'forbidden');
    await t.database.db.execute(sql`insert into permissions (role_id, resource, action) values (${role.id}, 'customers', 'list')`);
    expect((await customersList()).status).toBe(200);
    // Another user of the same role shares the kept set, and sees the same change.
    const second = await userWith(role.name);
    expect((await callAs(t.app, second.cookie, 'GET', '/api/customers')).status).toBe(200);
    await t.database.db.execute(sql`update permissions set conditions = '{"zones": true}' where role_id = ${role.id}`);
    const me = await expectJson(await callAs(t.app, second.cookie, 'GET', '/api/auth/me'), 200);
    expect(me.permissions).toEqual([{ resource: 'customers', action: 'list', conditions: { zones: true } }]);
  });
});

describe('an amount limit on a money verb', () => {
  test('assertWithinAmount refuses above the limit, naming it; no condition means no limit', () => {
    const grant = { resource: 'refunds', action: 'approve', conditions: { max_amount_paise: 50000 } };
    expect(() => assertWithinAmount(grant, 50000)).not.toThrow();
    expect(() => assertWithinAmount(grant, 50001n)).toThrow(/approve refunds up to ₹500\.00/);
    expect(() => assertWithinAmount({ ...grant, conditions: null }, 10 ** 12)).not.toThrow();
  });

  test('a role may void invoices up to its limit, and no further', async () => {
    const db = t.database.db;
    const ctx: Ctx = { db, inTx: false, actor: { id: t.userIds.finance, email: 'f@milkrun.test', name: 'F', roles: ['admin'], permissions: [{ resource: '*', action: '*', conditions: null }] }, requestId: 'roles-test', log: pino({ level: 'silent' }) };
    const zone = await makeZone(db);
    const ghee = await makeProduct(db, { price_paise: 36000, hsn_code: '0405', gst_rate_bp: 500, unit: 'bottle' });
    const milk = await makeProduct(db, { price_paise: 2700 });
    const [y, m] = new Date().toISOString().slice(0, 7).split('-').map(Number);
    const month = new Date(Date.UTC(y, m - 3, 1)).toISOString().slice(0, 7);
    for (const product of [ghee, milk]) {
      const customer = await makeCustomer(db, { zone_id: zone.id });
      const o = await makeOrder(db, { customer, delivery_date: `${month}-05`, items: [{ product, quantity: 1 }] });
      await confirmDelivery(ctx, o.delivery.id, { delivered_at: new Date(`${month}-05T07:00:00+05:30`) });
    }
    await runInvoices(ctx, { month });
    const invoices = await rows<{ id: string; total_paise: number }>(db, sql`select id, total_paise from invoices where period_start = ${`${month}-01`}::date order by total_paise`);
    expect(invoices.map((i) => Number(i.total_paise))).toEqual([2700, 37800]);
    const junior = await createRole({ name: roleName(), permissions: [{ resource: 'invoices', action: 'void', conditions: { max_amount_paise: 10000 } }] });
    const { cookie } = await userWith(junior.name);
    const refused = await expectProblem(await callAs(t.app, cookie, 'POST', `/api/invoices/${invoices[1].id}/void`, { reason: 'Wrong rate' }), 403, 'amount_over_limit');
    expect(refused.message).toBe('Your role may void invoices up to ₹100.00 (limit 10000 paise); this is ₹378.00.');
    const [still] = await rows(db, sql`select status from invoices where id = ${invoices[1].id}`);
    expect(still.status).toBe('issued');
    expect((await expectJson(await callAs(t.app, cookie, 'POST', `/api/invoices/${invoices[0].id}/void`, { reason: 'Wrong rate' }), 200)).status).toBe('void');
  });
});

describe('a role limited to its zones (conditions {zones: true}, the user’s zone_ids)', () => {
  type Place = { zone: { id: string }; customer: Awaited<ReturnType<typeof makeCustomer>>; subscription: any; order: Awaited<ReturnType<typeof makeOrder>>; pause: any };
  const places: Record<'a' | 'b' | 'c', Place> = {} as never;
  let cookie: string;
  let userId: string;
  let roleId: string;
  const ZONED = {
    customers: ['list', 'show', 'create', 'edit'],
    addresses: ['list', 'show', 'create', 'edit', 'delete'],
    subscriptions: ['list', 'show', 'create', 'edit', 'cancel', 'pause', 'resume'],
    orders: ['list', 'show', 'create', 'cancel'],
    'order-items': ['list', 'show'],
    deliveries: ['list', 'show', 'edit', 'confirm', 'fail'],
  };
  const as = (method: string, path: string, body?: unknown) => callAs(t.app, cookie, method, path, body);
  const ids = async (path: string) => (await expectJson<{ id: string }[]>(await as('GET', path), 200)).map((r) => r.id).sort();
  const tomorrow = new Date(Date.now() + 5.5 * 3600_000 + 86400_000).toISOString().slice(0, 10);

  beforeAll(async () => {
    const db = t.database.db;
    const milk = await makeProduct(db, { price_paise: 2800 });
    for (const key of ['a', 'b', 'c'] as const) {
      const zone = await makeZone(db);
      const customer = await makeCustomer(db, { zone_id: zone.id });
      const subscription = await expectJson(
        await t.call('admin', 'POST', '/api/subscriptions', { customer_id: customer.customer.id, address_id: customer.address.id, product_id: milk.id, quantity: 1, schedule: 'daily', start_date: tomorrow }),
        201,
      );
      const pause = await expectJson(await t.call('admin', 'POST', `/api/subscriptions/${subscription.id}/pause`, { from_date: tomorrow, to_date: tomorrow }), 201);
      const order = await makeOrder(db, { customer, items: [{ product: milk, quantity: 2 }] });
      places[key] = { zone, customer, subscription, order, pause };
    }
    const permissions = [
      ...Object.entries(ZONED).flatMap(([resource, actions]) => actions.map((action) => ({ resource, action, conditions: { zones: true } }))),
      { resource: 'zones', action: 'list' },
      { resource: 'products', action: 'list' },
    ];
    const role = await createRole({ name: roleName(), description: 'Runs two zones', permissions });
    roleId = role.id;
    const user = await userWith(role.name);
    ({ cookie } = user);
    userId = user.id;
    const zoned = await expectJson(await t.call('admin', 'PATCH', `/api/users/${userId}`, { zone_ids: [places.a.zone.id, places.b.zone.id] }), 200);
    expect(zoned.zone_ids).toEqual([places.a.zone.id, places.b.zone.id].sort());
  });

  test('lists show only rows of its zones; /api/auth/me and the user say which', async () => {
    const { a, b, c } = places;
    const me = await expectJson(await as('GET', '/api/auth/me'), 200);
    expect(me.zone_ids).toEqual([a.zone.id, b.zone.id].sort());
    const user = await expectJson(await t.call('admin', 'GET', `/api/users/${userId}`), 200);
    expect(user.zone_ids).toEqual([a.zone.id, b.zone.id].sort());
    const res = await as('GET', '/api/customers');
    expect(res.headers.get('x-total-count')).toBe('2');
    expect((await expectJson<{ id: string }[]>(res, 200)).map((r) => r.id).sort()).toEqual([a.customer.customer.id, b.customer.customer.id].sort());
    expect(await ids(`/api/customers?zone_id=${c.zone.id}`)).toEqual([]);
    expect(await ids('/api/addresses')).toEqual([a.customer.address.id, b.customer.address.id].sort());
    expect(await ids('/api/subscriptions')).toEqual([a.subscription.id, b.subscription.id].sort());
    expect(await ids('/api/subscription-pauses')).toEqual([a.pause.id, b.pause.id].sort());
    expect(await ids('/api/orders')).toEqual([a.order.order.id, b.order.order.id].sort());
    expect(await ids(`/api/order-items?order_id=${c.order.order.id}`)).toEqual([]);
    expect(await ids(`/api/order-items?order_id=${a.order.order.id}`)).toEqual(a.order.items.map((i) => i.id));
    const deliveries = await as('GET', '/api/deliveries');
    expect(deliveries.headers.get('x-total-count')).toBe('2');
    expect((await expectJson<{ id: string }[]>(deliveries, 200)).map((r) => r.id).sort()).toEqual([a.order.delivery.id, b.order.delivery.id].sort());
    // The same lists as an unlimited manager: every zone.
    expect((await expectJson<any[]>(await t.call('manager', 'GET', `/api/deliveries?customer_id=${c.customer.customer.id}`), 200)).length).toBe(1);
  });

  test('a user is created with their zones (POST /api/users zone_ids)', async () => {
    const body = { name: 'Zone Two', email: `${roleName()}@milkrun.test`, roles: ['manager'], zone_ids: [places.b.zone.id], password: 'a long zone password' };
    const created = await expectJson(await t.call('admin', 'POST', '/api/users', body), 201);
    expect(created.zone_ids).toEqual([places.b.zone.id]);
  });

  test('a row of another zone is a 404 on show and on every change, and changes nothing', async () => {
    const { c } = places;
    const gone = [
      ['GET', `/api/customers/${c.customer.customer.id}`],
      ['PATCH', `/api/customers/${c.customer.customer.id}`, { name: 'Taken over' }],
      ['GET', `/api/customers/${c.customer.customer.id}/calendar`],
      ['GET', `/api/addresses/${c.customer.address.id}`],
      ['PATCH', `/api/addresses/${c.customer.address.id}`, { landmark: 'Moved' }],
      ['DELETE', `/api/addresses/${c.customer.address.id}`],
      ['GET', `/api/subscriptions/${c.subscription.id}`],
      ['PATCH', `/api/subscriptions/${c.subscription.id}`, { quantity: 3 }],
      ['POST', `/api/subscriptions/${c.subscription.id}/pause`, { from_date: tomorrow, to_date: tomorrow }],
      ['POST', `/api/subscriptions/${c.subscription.id}/resume`, {}],
      ['POST', `/api/subscriptions/${c.subscription.id}/cancel`],
      ['GET', `/api/subscription-pauses/${c.pause.id}`],
      ['DELETE', `/api/subscription-pauses/${c.pause.id}`],
      ['GET', `/api/orders/${c.order.order.id}`],
      ['POST', `/api/orders/${c.order.order.id}/cancel`, {}],
      ['GET', `/api/order-items/${c.order.items[0].id}`],
      ['GET', `/api/deliveries/${c.order.delivery.id}`],
      ['PATCH', `/api/deliveries/${c.order.delivery.id}`, { staff_id: null }],
      ['POST', `/api/deliveries/${c.order.delivery.id}/confirm`, {}],
      ['POST', `/api/deliveries/${c.order.delivery.id}/fail`, { reason: 'Locked' }],
    ] as const;
    const audits = await countOf(t.database.db, sql`select count(*) as n from audit_logs`);
    for (const [method, path, body] of gone) await expectProblem(await as(method, path, body), 404, 'not_found');
    expect(await countOf(t.database.db, sql`select count(*) as n from audit_logs`)).toBe(audits);
    const [row] = await rows(
      t.database.db,
      sql`select c.name, s.status as sub, s.quantity, o.status as ord, d.status as del
          from customers c join subscriptions s on s.customer_id = c.id join orders o on o.customer_id = c.id join deliveries d on d.order_id = o.id where c.id = ${c.customer.customer.id}`,
    );
    expect(row).toEqual({ name: c.customer.customer.name, sub: 'active', quantity: 1, ord: 'pending', del: 'pending' });
  });

  test('it creates only in its zones: another zone’s customer is one that does not exist', async () => {
    const { a, c } = places;
    const body = await expectProblem(await as('POST', '/api/customers', { name: 'Elsewhere', phone: '+919822200001', zone_id: c.zone.id }), 403, 'forbidden');
    expect(body.message).toMatch(/own zones/);
    await expectProblem(await as('PATCH', `/api/customers/${a.customer.customer.id}`, { zone_id: c.zone.id }), 403, 'forbidden');
    await expectProblem(await as('POST', '/api/addresses', { customer_id: c.customer.customer.id, line1: '1 Elsewhere', pin_code: '560001' }), 422, 'unknown_customer');
    const milk = await makeProduct(t.database.db);
    await expectProblem(
      await as('POST', '/api/subscriptions', { customer_id: c.customer.customer.id, address_id: c.customer.address.id, product_id: milk.id, quantity: 1, schedule: 'daily', start_date: tomorrow }),
      422,
      'unknown_customer',
    );
    await expectProblem(
      await as('POST', '/api/orders', { customer_id: c.customer.customer.id, address_id: c.customer.address.id, delivery_date: tomorrow, items: [{ product_id: milk.id, quantity: 1 }] }),
      422,
      'unknown_customer',
    );
    // In its own zones, the same verbs work.
    const made = await expectJson(await as('POST', '/api/customers', { name: 'Next door', phone: '+919822200002', zone_id: a.zone.id }), 201);
    await expectJson(await as('POST', '/api/addresses', { customer_id: made.id, line1: '2 Next Door', pin_code: '560001' }), 201);
    await expectJson(await as('PATCH', `/api/customers/${made.id}`, { name: 'Next Door Two' }), 200);
    const order = await expectJson(await as('POST', '/api/orders', { customer_id: a.customer.customer.id, address_id: a.customer.address.id, delivery_date: tomorrow, items: [{ product_id: milk.id, quantity: 1 }] }), 201);
    await expectJson(await as('POST', `/api/orders/${order.id}/cancel`, {}), 200);
    await expectJson(await as('POST', `/api/deliveries/${a.order.delivery.id}/confirm`, {}), 200);
    expect(await ids('/api/customers')).toContain(made.id);
  });

  test('a change of zones or of the role applies on the next request; no zones at all reach nothing', async () => {
    const { a, b, c } = places;
    await expectJson(await t.call('admin', 'PATCH', `/api/users/${userId}`, { zone_ids: [a.zone.id, c.zone.id] }), 200);
    expect(await ids(`/api/deliveries?customer_id=${b.customer.customer.id}`)).toEqual([]);
    expect((await expectJson(await as('GET', `/api/customers/${c.customer.customer.id}`), 200)).id).toBe(c.customer.customer.id);
    const [change] = await rows<{ before: any; after: any }>(t.database.db, sql`select before, after from audit_logs where table_name = 'users' and record_id = ${userId} order by created_at desc, id desc limit 1`);
    expect([change.before.zone_ids, change.after.zone_ids]).toEqual([[a.zone.id, b.zone.id].sort(), [a.zone.id, c.zone.id].sort()]);
    await expectProblem(await t.call('admin', 'PATCH', `/api/users/${userId}`, { zone_ids: ['00000000-0000-4000-8000-000000000000'] }), 422, 'unknown_zone');
    await expectProblem(await t.call('admin', 'PATCH', `/api/users/${userId}`, { zone_ids: ['north'] }), 400, 'validation_failed');
    await expectJson(await t.call('admin', 'PATCH', `/api/users/${userId}`, { zone_ids: [] }), 200);
    expect(await ids('/api/customers')).toEqual([]);
    expect(await ids('/api/deliveries')).toEqual([]);
    await expectProblem(await as('GET', `/api/customers/${a.customer.customer.id}`), 404, 'not_found');
    // Without the condition, the same user sees every zone again.
    const role = await expectJson(await t.call('admin', 'GET', `/api/roles/${roleId}`), 200);
    const unlimited = (role.permissions as Grant[]).map((g) => ({ ...g, conditions: g.resource === 'customers' ? null : g.conditions }));
    await expectJson(await t.call('admin', 'PATCH', `/api/roles/${roleId}`, { permissions: unlimited }), 200);
    expect(await ids('/api/customers')).toEqual(expect.arrayContaining([a.customer.customer.id, b.customer.customer.id, c.customer.customer.id]));
    expect(await ids('/api/deliveries')).toEqual([]);
  });
});
