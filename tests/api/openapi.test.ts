import type { z } from '@hono/zod-openapi';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { seedDemo } from '../../seeds/demo.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { expectJson } from './support.js';

// The OpenAPI document describes every answer precisely enough to generate a client, and the answers match it.
let t: TestApp;
let text: string;
let doc: any;
const methods = ['get', 'post', 'patch', 'put', 'delete'] as const;

beforeAll(async () => {
  t = await createTestApp();
  await seedDemo(t.database.db, { scale: 0.05, seed: 5, historyDays: 40 });
  // The demo has no one-day change: add one, so its routes have a row to answer with.
  const [sub] = await expectJson<{ id: string }[]>(await t.call('admin', 'GET', '/api/subscriptions?status=active&_end=1'), 200);
  const inAWeek = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
  await expectJson(await t.call('admin', 'POST', '/api/subscription-overrides', { subscription_id: sub.id, date: inAWeek, quantity: 0 }), 201);
  const res = await t.app.request('/api/openapi.json');
  expect(res.status).toBe(200);
  text = await res.text();
}, 120_000);
afterAll(() => t?.close());

const operations = () =>
  Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, item]) =>
    methods.filter((m) => item[m]).map((method) => ({ path, method, op: item[method] })),
  );

/** A schema with its $ref followed. */
const resolve = (schema: any): any => (schema?.$ref ? doc.components.schemas[schema.$ref.replace('#/components/schemas/', '')] : schema);

/** True when a schema says nothing about its value: {} or an object of anything (the old untyped `Row`). */
function untyped(schema: any): boolean {
  const s = resolve(schema);
  if (!s || Object.keys(s).length === 0) return true;
  if (s.type === 'array') return untyped(s.items);
  if (s.type === 'object' && !s.properties) return true;
  return false;
}

describe('the OpenAPI document', () => {
  test('is valid JSON and lists every API route of the router', () => {
    doc = JSON.parse(text);
    expect(doc.openapi).toMatch(/^3\.1/);
    const documented = new Set(operations().map(({ path, method }) => `${method.toUpperCase()} ${path}`));
    const documentedPaths = new Set(Object.keys(doc.paths));
    const missing = t.app.routes
      .filter((r) => r.path.startsWith('/api/') && r.method !== 'ALL')
      .map((r) => ({ method: r.method, path: r.path.replace(/:(\w+)/g, '{$1}') }))
      // Health, the document itself and its explorer page are the only routes left out.
      .filter((r) => !['/api/health', '/api/openapi.json'].includes(r.path) && !r.path.startsWith('/api/docs') && !documented.has(`${r.method} ${r.path}`))
      .map((r) => `${r.method} ${r.path} (${documentedPaths.has(r.path) ? 'method' : 'path'} missing)`);
    expect(missing).toEqual([]);
    expect(operations().length).toBeGreaterThan(60);
  });

  test('every 2xx answer has a typed schema: no untyped Row object left', () => {
    expect(doc.components?.schemas?.Row).toBeUndefined();
    const untypedAnswers: string[] = [];
    for (const { path, method, op } of operations()) {
      const answers = Object.entries(op.responses ?? {}).filter(([status]) => /^2/.test(status));
      if (answers.length === 0) untypedAnswers.push(`${method} ${path}: no 2xx answer`);
      for (const [status, answer] of answers as [string, any][]) {
        const [type, media] = Object.entries(answer.content ?? {})[0] ?? [];
        if (!type) untypedAnswers.push(`${method} ${path} ${status}: no content`);
        else if (type === 'application/json' && untyped((media as any).schema)) untypedAnswers.push(`${method} ${path} ${status}: untyped`);
      }
    }
    expect(untypedAnswers).toEqual([]);
  });

  test('what the API answers matches the schema it documents (every GET route, on the demo business)', async () => {
    const routes = (t.app.openAPIRegistry.definitions as any[]).filter((d) => d.type === 'route' && d.route.method === 'get').map((d) => d.route);
    const firstId = new Map<string, string>();
    const idFor = async (listPath: string) => {
      if (!firstId.has(listPath)) {
        const rows = await expectJson<{ id: string }[]>(await t.call('admin', 'GET', `${listPath}?_end=1${await narrowing(listPath)}`), 200);
        firstId.set(listPath, rows[0]?.id);
      }
      return firstId.get(listPath);
    };
    // Order items are listed an order at a time (the whole table is millions of rows at scale).
    const narrowing = async (listPath: string) => (listPath === '/api/order-items' ? `&order_id=${await idFor('/api/orders')}` : '');
    const today = new Date().toISOString().slice(0, 10);
    const checked: string[] = [];
    const skipped: string[] = [];
    for (const route of routes) {
      const schema = route.responses[200]?.content?.['application/json']?.schema as z.ZodType | undefined;
      if (!schema) continue;
      let path: string = route.path;
      if (path.includes('{id}')) {
        // Background exports are not a simple-rest list: one is queued for the admin to read.
        const id =
          path === '/api/exports/{id}'
            ? (await expectJson<{ id: string }>(await t.call('admin', 'POST', '/api/exports', { resource: 'customers', format: 'csv' }), 202)).id
            : await idFor(path.slice(0, path.indexOf('/{id}')));
        if (!id) {
          skipped.push(`${path}: no row to read`);
          continue;
        }
        path = path.replace('{id}', id);
      }
      if (path === '/api/run-sheets') path += `?date=${today}`;
      if (path === '/api/reports/gst') path += `?month=${today.slice(0, 7)}`;
      if (route.path === '/api/staff/{id}/earnings-summary') path += `?month=${today.slice(0, 7)}`;
      if (path === '/api/reports/sales-register' || path === '/api/reports/collections') path += `?from=${today.slice(0, 8)}01&to=${today}`;
      if (path.startsWith('/api/analytics/')) path += `?from=${today.slice(0, 8)}01&to=${today}`;
      if (path === '/api/reports/revenue') path += `?from=${today.slice(0, 7)}&to=${today.slice(0, 7)}&by=zone`;
      if (path === '/api/order-items') path += `?${(await narrowing(path)).slice(1)}`;
      // Exports answer CSV unless asked: their JSON is the list's rows (times in IST) plus names.
      if (path.endsWith('/export')) path += `?format=json${await narrowing(path.slice(0, -'/export'.length))}`;
      const res = await t.call('admin', 'GET', path);
      if (res.status === 404) {
        skipped.push(`${path}: 404`);
        continue;
      }
      const body = await expectJson(res, 200);
      const parsed = schema.safeParse(body);
      expect(parsed.success, `${route.path}: ${parsed.error?.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`).toBe(true);
      if (Array.isArray(body) && body.length === 0) skipped.push(`${path}: no rows`);
      else checked.push(route.path);
    }
    // Only the legacy import's routes may have nothing to show: the demo runs no import.
    expect(skipped.filter((s) => !s.startsWith('/api/import')), skipped.join(', ')).toEqual([]);
    expect(checked.length).toBeGreaterThan(30);
  });
});
