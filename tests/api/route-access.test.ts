import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { publicPaths } from '../../api/app.js';
import { findPermission } from '../../api/lib/access.js';
import type { Permission } from '../../api/lib/context.js';
import { createUser, DEMO_PASSWORD } from '../../seeds/users.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { expectJson } from './support.js';

// Every route of the app, read from the router and the OpenAPI document, answers each built-in role and no session
// as the declared ACCESS table says: a caller without the route's permission is refused (401/403) before its input is
// validated, so the 400 never tells it the schema, and a route added without a row here fails the suite.
let t: TestApp;
let doc: any;
const cookies: Record<string, string> = {};
const grants: Record<string, Permission[]> = {};
const methods = ['get', 'post', 'patch', 'put', 'delete'] as const;
const roles = ['admin', 'finance', 'support', 'manager', 'delivery_staff'] as const;
/** The built-in roles, a role without any permission, and no session at all. */
const callers = [...roles, 'nobody', 'none'] as const;

/**
 * Who may call each route of the OpenAPI document: the built-in roles that may ('public': anyone, even without a
 * session; 'session': anyone signed in). Every other built-in role gets 403 and no session 401. A new route needs a
 * row here, so it cannot ship without a deliberate permission check; a changed grant shows up as a changed row.
 * 'signature': no session needed, a signature instead (the payment gateway's webhook): unsigned, everyone gets 401.
 */
const ACCESS: Record<string, string> = {
  'POST /api/auth/login': 'public',
  'POST /api/auth/logout': 'public',
  'GET /api/auth/me': 'session',
  'POST /api/auth/set-password': 'public',
  'POST /api/auth/totp/enroll': 'session',
  'POST /api/auth/totp/confirm': 'session',
  'DELETE /api/auth/totp': 'session',
  'GET /api/sessions': 'session',
  'DELETE /api/sessions/{id}': 'session',
  'GET /api/gst-rates': 'session',
  'GET /api/dashboard': 'admin finance support manager',
  'GET /api/alert-rules': 'admin',
  'GET /api/alert-rules/{id}': 'admin',
  'POST /api/alert-rules': 'admin',
  'PATCH /api/alert-rules/{id}': 'admin',
  'GET /api/alerts': 'admin',
  'GET /api/alerts/{id}': 'admin',
  'GET /api/reports/gst': 'admin finance',
  'GET /api/reports/revenue': 'admin finance',
  'GET /api/reports/sales-register': 'admin finance',
  'POST /api/exports': 'session',
  'GET /api/exports': 'session',
  'GET /api/exports/{id}': 'session',
  'GET /api/exports/{id}/file': 'session',
  'GET /api/reports/collections': 'admin finance',
  'GET /api/analytics/revenue-by-day': 'admin finance manager',
  'GET /api/analytics/product-shift': 'admin finance manager',
  'GET /api/analytics/delivery-outcomes': 'admin finance manager',
  'GET /api/analytics/failure-reasons': 'admin finance manager',
  'GET /api/analytics/subscriptions': 'admin finance manager',
  'GET /api/analytics/new-customers': 'admin finance manager',
  'GET /api/analytics/top-products': 'admin finance manager',
  'GET /api/analytics/zone-comparison': 'admin finance manager',
  'GET /api/analytics/staff-performance': 'admin finance manager',
  'GET /api/analytics/receivables-ageing': 'admin finance manager',
  'GET /api/analytics/collections': 'admin finance manager',

  'GET /api/zones': 'admin finance support manager',
  'GET /api/zones/{id}': 'admin finance support manager',
  'POST /api/zones': 'admin manager',
  'PATCH /api/zones/{id}': 'admin manager',
  'DELETE /api/zones/{id}': 'admin manager',
  'GET /api/settings': 'admin',
  'PATCH /api/settings': 'admin',

  'GET /api/customers': 'admin finance support manager',
  'GET /api/customers/export': 'admin finance',
  'GET /api/customers/{id}': 'admin finance support manager',
  'POST /api/customers': 'admin support manager',
  'PATCH /api/customers/{id}': 'admin support manager',
  'GET /api/customers/{id}/calendar': 'admin finance support manager',
  'GET /api/addresses': 'admin finance support manager',
  'GET /api/addresses/{id}': 'admin finance support manager',
  'POST /api/addresses': 'admin support manager',
  'PATCH /api/addresses/{id}': 'admin support manager',
  'DELETE /api/addresses/{id}': 'admin support manager',

  'GET /api/products': 'admin finance support manager',
  'GET /api/products/{id}': 'admin finance support manager',
  'POST /api/products': 'admin manager',
  'PATCH /api/products/{id}': 'admin manager',
  'GET /api/product-requests': 'admin finance support manager',
  'GET /api/product-requests/{id}': 'admin finance support manager',
  'POST /api/product-requests': 'admin support manager',
  'POST /api/product-requests/decide': 'admin manager',
  'POST /api/product-requests/{id}/approve': 'admin manager',
  'POST /api/product-requests/{id}/reject': 'admin manager',

  'GET /api/imports/latest': 'admin finance',
  'GET /api/imports': 'admin finance',
  'GET /api/imports/{id}': 'admin finance',
  'GET /api/import-anomalies': 'admin finance',
  'GET /api/import-anomalies/{id}': 'admin finance',

  'GET /api/staff': 'admin finance support manager',
  'GET /api/staff/{id}': 'admin finance support manager',
  'POST /api/staff': 'admin manager',
  'PATCH /api/staff/{id}': 'admin manager',

  'GET /api/subscriptions': 'admin finance support manager',
  'GET /api/subscriptions/export': 'admin finance support manager',
  'GET /api/subscriptions/{id}': 'admin finance support manager',
  'POST /api/subscriptions': 'admin support manager',
  'PATCH /api/subscriptions/{id}': 'admin support manager',
  'POST /api/subscriptions/{id}/cancel': 'admin support manager',
  'POST /api/subscriptions/{id}/pause': 'admin support manager',
  'POST /api/subscriptions/{id}/resume': 'admin support manager',
  'GET /api/subscription-pauses': 'admin finance support manager',
  'GET /api/subscription-pauses/{id}': 'admin finance support manager',
  'POST /api/subscription-pauses': 'admin support manager',
  'DELETE /api/subscription-pauses/{id}': 'admin support manager',
  'GET /api/subscription-overrides': 'admin finance support manager',
  'GET /api/subscription-overrides/{id}': 'admin finance support manager',
  'POST /api/subscription-overrides': 'admin support manager',
  'PATCH /api/subscription-overrides/{id}': 'admin support manager',
  'DELETE /api/subscription-overrides/{id}': 'admin support manager',

  'GET /api/orders': 'admin finance support manager',
  'GET /api/orders/export': 'admin finance manager',
  'GET /api/orders/{id}': 'admin finance support manager',
  'POST /api/orders': 'admin support manager',
  'POST /api/orders/generate': 'admin manager',
  'POST /api/orders/{id}/cancel': 'admin manager',
  'GET /api/order-items': 'admin finance support manager',
  'GET /api/order-items/export': 'admin finance',
  'GET /api/order-items/{id}': 'admin finance support manager',

  'GET /api/deliveries': 'admin finance support manager delivery_staff',
  'GET /api/deliveries/export': 'admin finance manager',
  'GET /api/deliveries/{id}': 'admin finance support manager delivery_staff',
  'PATCH /api/deliveries/{id}': 'admin manager',
  'POST /api/deliveries/{id}/confirm': 'admin manager delivery_staff',
  'POST /api/deliveries/{id}/fail': 'admin manager delivery_staff',
  'GET /api/run-sheets': 'admin manager delivery_staff',
  // Field operations (issue 15): staff post their own positions; managers see the map and order runs.
  'POST /api/staff/me/positions': 'admin delivery_staff',
  'GET /api/map': 'admin manager',
  'GET /api/events': 'admin manager',
  'POST /api/run-sheets/optimise': 'admin manager',
  'POST /api/run-sheets/order': 'admin manager',
  'GET /api/rate-cards': 'admin finance manager',
  'POST /api/rate-cards': 'admin manager',
  'GET /api/rate-cards/{id}': 'admin finance manager',
  'PATCH /api/rate-cards/{id}': 'admin manager',
  'GET /api/earnings': 'admin finance manager delivery_staff',
  'POST /api/earnings': 'admin manager',
  'GET /api/earnings/{id}': 'admin finance manager delivery_staff',
  'GET /api/staff/{id}/earnings-summary': 'admin finance manager delivery_staff',
  'GET /api/staff/{id}/statement.pdf': 'admin finance manager delivery_staff',
  'GET /api/failure-reasons': 'admin finance support manager delivery_staff',
  'GET /api/payout-batches': 'admin finance manager',
  'POST /api/payout-batches': 'admin finance manager',
  'GET /api/payout-batches/{id}': 'admin finance manager',
  'GET /api/payout-batches/{id}/items': 'admin finance manager',
  'POST /api/payout-batches/{id}/approve': 'admin finance manager',
  'GET /api/payout-batches/{id}/bank-file': 'admin finance manager',
  'POST /api/payout-batches/{id}/mark-paid': 'admin finance manager',
  'POST /api/payout-batches/{id}/mark-failed': 'admin finance manager',
  'POST /api/payout-batches/{id}/mark-reversed': 'admin finance manager',

  'GET /api/billing-records': 'admin finance support manager',
  'GET /api/billing-records/export': 'admin finance',
  'GET /api/billing-records/{id}': 'admin finance support manager',
  'GET /api/invoices': 'admin finance support manager',
  'GET /api/invoices/export': 'admin finance',
  'GET /api/invoices/{id}': 'admin finance support manager',
  'GET /api/invoices/{id}/lines': 'admin finance support manager',
  'GET /api/invoices/{id}/pdf': 'admin finance support manager',
  'POST /api/invoices/{id}/void': 'admin finance',
  'POST /api/invoices/{id}/reissue': 'admin finance',
  'GET /api/invoice-lines': 'admin finance support manager',
  'GET /api/invoice-lines/export': 'admin finance',
  'GET /api/invoice-lines/{id}': 'admin finance support manager',
  'GET /api/invoice-runs': 'admin finance',
  'GET /api/invoice-runs/{id}': 'admin finance',
  'POST /api/invoice-runs': 'admin finance',
  'GET /api/payments': 'admin finance support manager delivery_staff',
  'GET /api/payments/export': 'admin finance',
  'GET /api/payments/{id}': 'admin finance support manager delivery_staff',
  'POST /api/payments': 'admin finance support delivery_staff',
  'POST /api/payments/{id}/deposit': 'admin finance',
  'POST /api/payments/{id}/clear': 'admin finance',
  'POST /api/payments/{id}/bounce': 'admin finance',
  'GET /api/payment-allocations': 'admin finance support manager delivery_staff',
  'GET /api/customers/{id}/wallet': 'admin finance support manager',
  'GET /api/wallet-transactions': 'admin finance support manager',
  'POST /api/customers/{id}/wallet/top-up': 'admin finance',
  'POST /api/customers/{id}/wallet/promo': 'admin finance',
  'POST /api/invoices/{id}/apply-credit': 'admin finance',
  'POST /api/wallets/expire': 'admin finance',
  'GET /api/customers/{id}/statement': 'admin finance support manager',
  'GET /api/customers/{id}/statement/pdf': 'admin finance support manager',
  'GET /api/receivables': 'admin finance support manager',
  'GET /api/receivables/zones': 'admin finance support manager',
  'GET /api/receivables/export': 'admin finance',
  'GET /api/refunds': 'admin finance support',
  'GET /api/refunds/{id}': 'admin finance support',
  'GET /api/refunds/export': 'admin finance',
  'POST /api/refunds': 'admin finance support',
  'POST /api/refunds/{id}/approve': 'admin finance',
  'POST /api/refunds/{id}/reject': 'admin finance',
  'POST /api/refunds/{id}/pay': 'admin finance',
  'POST /api/refunds/{id}/send': 'admin finance',
  'GET /api/credit-notes': 'admin finance support',
  'GET /api/credit-notes/{id}': 'admin finance support',
  'GET /api/credit-notes/export': 'admin finance',
  'GET /api/credit-notes/{id}/lines': 'admin finance support',
  'GET /api/credit-notes/{id}/pdf': 'admin finance support',
  'POST /api/credit-notes': 'admin finance',
  'POST /api/webhooks/razorpay': 'signature',
  'GET /api/gateway-payments': 'admin finance support manager',
  'GET /api/gateway-payments/{id}': 'admin finance support manager',
  'POST /api/gateway-payments/{id}/assign': 'admin finance',
  'GET /api/settlements': 'admin finance manager',
  'POST /api/settlements': 'admin finance',
  'GET /api/settlements/{id}': 'admin finance manager',
  'GET /api/settlements/lines': 'admin finance manager',
  'GET /api/settlements/exceptions': 'admin finance manager',
  'GET /api/settlements/exceptions/{id}': 'admin finance manager',
  'POST /api/settlements/exceptions/{id}/resolve': 'admin finance',
  'POST /api/settlements/exceptions/scan': 'admin finance',

  // Disputes (issue 13): support works them, finance and admin see them, managers and delivery staff never.
  'GET /api/depots': 'admin manager',
  'POST /api/depots': 'admin manager',
  'GET /api/depots/{id}': 'admin manager',
  'PATCH /api/depots/{id}': 'admin manager',
  'GET /api/suppliers': 'admin finance manager',
  'POST /api/suppliers': 'admin manager',
  'GET /api/suppliers/{id}': 'admin finance manager',
  'PATCH /api/suppliers/{id}': 'admin manager',
  'GET /api/stock': 'admin manager',
  'GET /api/stock-movements': 'admin manager',
  'POST /api/stock-movements': 'admin manager',
  'GET /api/stock-movements/{id}': 'admin manager',
  'GET /api/forecast': 'admin manager',
  'GET /api/reorder-proposals': 'admin manager',
  'GET /api/purchase-orders': 'admin finance manager',
  'POST /api/purchase-orders': 'admin manager',
  'GET /api/purchase-orders/{id}': 'admin finance manager',
  'POST /api/purchase-orders/{id}/approve': 'admin manager',
  'POST /api/purchase-orders/{id}/send': 'admin manager',
  'POST /api/purchase-orders/{id}/cancel': 'admin manager',
  'POST /api/purchase-orders/{id}/receive': 'admin manager',
  'GET /api/purchase-orders/{id}/pdf': 'admin finance manager',
  'GET /api/disputes': 'admin finance support',
  'GET /api/disputes/export': 'admin finance support',
  'GET /api/disputes/{id}': 'admin finance support',
  'POST /api/disputes': 'admin support',
  'PATCH /api/disputes/{id}': 'admin support',
  'GET /api/disputes/{id}/messages': 'admin finance support',
  'POST /api/disputes/{id}/messages': 'admin support',
  'POST /api/disputes/{id}/customer-messages': 'admin support',
  'POST /api/disputes/{id}/transition': 'admin support',
  'POST /api/disputes/{id}/merge': 'admin support',
  'POST /api/disputes/{id}/resolve': 'admin support',
  'POST /api/disputes/{id}/goodwill-credit': 'admin support',
  // The outbox and the WhatsApp inbox (issue 13 items 7, 8): support works them, finance reads the outbox.
  'GET /api/notifications': 'admin finance support',
  'GET /api/notifications/{id}': 'admin finance support',
  'POST /api/notifications/{id}/replay': 'admin support',
  'GET /api/inbound-messages': 'admin support',
  'GET /api/inbound-messages/{id}': 'admin support',
  'POST /api/inbound-messages/{id}/assign': 'admin support',
  'GET /api/webhooks/whatsapp': 'signature',
  'POST /api/webhooks/whatsapp': 'signature',
  'GET /api/business-hours': 'admin finance support',
  'PUT /api/business-hours': 'admin',
  'GET /api/sla-policies': 'admin finance support',
  'PUT /api/sla-policies': 'admin',
  'GET /api/data-health': 'admin finance manager',
  'POST /api/data-health/run': 'admin finance manager',

  'GET /api/audit-logs': 'admin finance manager',
  'GET /api/audit-logs/export': 'admin finance',
  'GET /api/audit-logs/{id}': 'admin finance manager',
  'GET /api/users': 'admin',
  'GET /api/users/{id}': 'admin',
  'POST /api/users': 'admin',
  'PATCH /api/users/{id}': 'admin',
  'POST /api/users/{id}/reset-password': 'admin',
  'POST /api/users/{id}/reset-two-factor': 'admin',
  'POST /api/users/{id}/end-sessions': 'admin',
  'GET /api/roles': 'admin',
  'GET /api/roles/{id}': 'admin',
  'POST /api/roles': 'admin',
  'PATCH /api/roles/{id}': 'admin',
  'DELETE /api/roles/{id}': 'admin',
  'GET /api/permissions/catalog': 'admin',
};

async function login(email: string): Promise<string> {
  const res = await t.app.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: DEMO_PASSWORD }) });
  expect(res.status, `login as ${email}`).toBe(200);
  return res.headers.get('set-cookie')!.split(';')[0];
}

/** The operation's request with every input wrong: a path id that is no UUID, junk in the query, an array for a body. */
function badRequest(path: string, method: string, cookie?: string): Promise<Response> {
  const url = path.replace(/\{[^}]+\}/g, 'not-a-uuid') + '?_start=x&_sort=nope&month=x&date=x&wait=x&shift=x&staff_id=x';
  // X-Requested-With as the admin sends it, so a bodiless DELETE meets the access check, not the edge's 415.
  const headers: Record<string, string> = { 'x-requested-with': 'XMLHttpRequest', ...(cookie ? { cookie } : {}) };
  const hasBody = method !== 'get' && method !== 'delete';
  if (hasBody) headers['content-type'] = 'application/json';
  return Promise.resolve(t.app.request(url, { method: method.toUpperCase(), headers, body: hasBody ? '[]' : undefined }));
}

const operations = () =>
  Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, item]) =>
    methods.filter((m) => item[m]).map((method) => ({ path, method, op: item[method] })),
  );

beforeAll(async () => {
  t = await createTestApp();
  // A role with no permission at all, and delivery staff (the narrowest real role), next to the demo roles.
  await t.database.db.execute(sql`insert into roles (name, description) values ('nobody', 'no permissions')`);
  await createUser(t.database.db, { email: 'nobody@milkrun.test', name: 'No Body', password: DEMO_PASSWORD, roles: ['nobody'] });
  // Delivery staff as they really are: a login linked to a staff member ("own" grants narrow to it).
  const runner = await createUser(t.database.db, { email: 'runner@milkrun.test', name: 'Run Ner', password: DEMO_PASSWORD, roles: ['delivery_staff'] });
  await t.database.db.execute(sql`insert into staff (name, phone, user_id) values ('Run Ner', '+919811100001', ${runner})`);
  for (const role of ['admin', 'finance', 'support', 'manager']) cookies[role] = await t.cookie(role as 'admin');
  cookies.nobody = await login('nobody@milkrun.test');
  cookies.delivery_staff = await login('runner@milkrun.test');
  for (const [role, cookie] of Object.entries(cookies)) {
    grants[role] = (await expectJson(await t.app.request('/api/auth/me', { headers: { cookie } }), 200)).permissions;
  }
  doc = await expectJson(await t.app.request('/api/openapi.json'), 200);
});
afterAll(() => t?.close());

describe('permission before validation, on every route', () => {
  test('the OpenAPI document lists every API route of the router, and each says who may call it', () => {
    const documented = new Set(operations().map(({ path, method }) => `${method.toUpperCase()} ${path}`));
    const documentedPaths = new Set(Object.keys(doc.paths));
    // Only public paths (health, the document itself, its explorer) may stay out of the document.
    const routed = t.app.routes
      .filter((r) => r.path.startsWith('/api/') && r.method !== 'ALL')
      .map((r) => ({ method: r.method, path: r.path.replace(/:(\w+)/g, '{$1}') }))
      .filter((r) => !(publicPaths.has(r.path) && !documentedPaths.has(r.path)))
      .map((r) => `${r.method} ${r.path}`);
    expect(routed.length).toBeGreaterThan(50);
    expect([...new Set(routed)].filter((r) => !documented.has(r))).toEqual([]);
    for (const { path, method, op } of operations()) {
      const rule = op['x-permission'];
      expect(rule === 'public' || rule === 'session' || rule === 'signature' || (typeof rule?.resource === 'string' && rule.actions.length > 0), `${method} ${path} says who may call it`).toBe(true);
    }
  });

  // Seven callers on every route (140 routes and more): past the default 30 s on a loaded machine.
  test('every route answers each built-in role, and no session, as the access table above says', { timeout: 120_000 }, async () => {
    const seen = new Set<string>();
    const wrong: string[] = [];
    for (const { path, method } of operations()) {
      const route = `${method.toUpperCase()} ${path}`;
      seen.add(route);
      const rule = ACCESS[route];
      if (rule === undefined) {
        wrong.push(`${route}: no row in ACCESS (tests/api/route-access.test.ts); say who may call it`);
        continue;
      }
      for (const caller of callers) {
        // Logging out with a caller's cookie would end the session the rest of this file uses.
        if (route === 'POST /api/auth/logout' && caller !== 'none') continue;
        const expected = rule === 'signature' ? 401 : rule === 'public' ? 'allowed' : caller === 'none' ? 401 : rule === 'session' || rule.split(' ').includes(caller) ? 'allowed' : 403;
        const res = await badRequest(path, method, caller === 'none' ? undefined : cookies[caller]);
        const got = res.status === 401 || res.status === 403 ? res.status : res.status >= 500 ? res.status : 'allowed';
        if (got !== expected) wrong.push(`${route} as ${caller}: expected ${expected}, got ${res.status} ${await res.text()}`);
        else if (got === 403) expect((await res.json()).code, `${route} as ${caller}`).toBe('forbidden');
      }
    }
    expect(wrong).toEqual([]);
    expect(Object.keys(ACCESS).filter((r) => !seen.has(r)), 'rows of ACCESS for routes that no longer exist').toEqual([]);
  });

  test('the table agrees with the grants /api/auth/me reports (the admin hides what the API refuses by those)', () => {
    for (const { path, method, op } of operations()) {
      const rule = op['x-permission'];
      if (typeof rule !== 'object') continue;
      const allowedRoles = roles.filter((role) => rule.actions.some((a: string) => findPermission(grants[role], rule.resource, a)));
      expect(allowedRoles.join(' '), `${method.toUpperCase()} ${path}`).toBe(ACCESS[`${method.toUpperCase()} ${path}`]);
    }
  });

  test('the same wrong input from a role that holds the permission is a 400: the requests above were really invalid', async () => {
    for (const { path, method, op } of operations()) {
      if (typeof op['x-permission'] !== 'object' || (!op.parameters?.length && !op.requestBody)) continue;
      const res = await badRequest(path, method, cookies.admin);
      expect(res.status, `${method} ${path} as admin`).toBe(400);
    }
  });
});
