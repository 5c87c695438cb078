import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { publicPaths } from '../../api/app.js';
import { findPermission } from '../../api/lib/access.js';
import type { Permission } from '../../api/lib/context.js';
import { createUser, DEMO_PASSWORD } from '../../seeds/users.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { expectJson, expectProblem } from './support.js';

// Every route of the app, read from the router and the OpenAPI document (no hand-kept list): a caller without the
// route's permission is refused (401/403) before its input is validated, so the 400 never tells it the schema.
let t: TestApp;
let doc: any;
const cookies: Record<string, string> = {};
const grants: Record<string, Permission[]> = {};
const methods = ['get', 'post', 'patch', 'put', 'delete'] as const;

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
  await createUser(t.database.db, { email: 'runner@milkrun.test', name: 'Run Ner', password: DEMO_PASSWORD, roles: ['delivery_staff'] });
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
      expect(rule === 'public' || rule === 'session' || (typeof rule?.resource === 'string' && rule.actions.length > 0), `${method} ${path} says who may call it`).toBe(true);
    }
  });

  test('without a session every non-public route answers 401, whatever the input', async () => {
    for (const { path, method, op } of operations()) {
      if (op['x-permission'] === 'public') continue;
      const res = await badRequest(path, method);
      expect(res.status, `${method} ${path}`).toBe(401);
    }
  });

  test('a role lacking the permission gets 403, never the 400 that would describe the input', async () => {
    let refused = 0;
    for (const { path, method, op } of operations()) {
      const rule = op['x-permission'];
      if (typeof rule !== 'object') continue;
      for (const [role, permissions] of Object.entries(grants)) {
        const granted = rule.actions.some((a: string) => findPermission(permissions, rule.resource, a));
        if (granted) continue;
        const res = await badRequest(path, method, cookies[role]);
        await expectProblem(res, 403, 'forbidden');
        refused += 1;
      }
    }
    // The role without permissions alone is refused on every guarded route; the real roles add their own gaps.
    expect(refused).toBeGreaterThan(operations().filter(({ op }) => typeof op['x-permission'] === 'object').length);
  });

  test('the same wrong input from a role that holds the permission is a 400: the requests above were really invalid', async () => {
    for (const { path, method, op } of operations()) {
      if (typeof op['x-permission'] !== 'object' || (!op.parameters?.length && !op.requestBody)) continue;
      const res = await badRequest(path, method, cookies.admin);
      expect(res.status, `${method} ${path} as admin`).toBe(400);
    }
  });
});
