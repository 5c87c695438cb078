import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { describeConstraint } from '../../api/lib/constraints.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { expectProblem, UNKNOWN_ID } from './support.js';

describe('the constraint table', () => {
  test("holds every module's entries without any routes file being imported first", () => {
    // invoices.routes.ts used to patch them in as a side effect of being imported.
    expect(describeConstraint('invoices_void_consistent')?.code).toBe('bad_void');
    expect(describeConstraint('document_series_next_positive')?.code).toBe('bad_series');
    expect(describeConstraint('orders_customer_id_fk')?.code).toBe('unknown_customer');
  });
});

describe('optional JSON bodies (order cancel, subscription resume) are read one way', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  test('a body that breaks the schema is a 400 naming the field; a body that is not JSON is refused', async () => {
    for (const path of [`/api/orders/${UNKNOWN_ID}/cancel`, `/api/subscriptions/${UNKNOWN_ID}/resume`]) {
      const field = path.endsWith('cancel') ? 'reason' : 'date';
      const body = await expectProblem(await t.call('admin', 'POST', path, { [field]: 5 }), 400, 'validation_failed');
      expect(body.message).toContain(field);
      const res = await t.app.request(path, { method: 'POST', headers: { cookie: await t.cookie('admin'), 'content-type': 'text/plain' }, body: 'x' });
      expect(res.status).toBe(415);
      // A bare POST reads as {} and reaches the service, which finds no such record.
      await expectProblem(await t.call('admin', 'POST', path), 404, 'not_found');
    }
  });
});

describe('shared/ (line amounts, mobile numbers: one module for the API and the admin)', () => {
  test('imports nothing outside itself, so bundling it into the admin brings no server code along', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const dir = new URL('../../shared/', import.meta.url);
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const specifiers = [...readFileSync(new URL(file, dir), 'utf8').matchAll(/(?:import|export)[^'"]*from\s+['"]([^'"]+)['"]/g)].map((m) => m[1]);
      expect(specifiers.filter((s) => !s.startsWith('./')), file).toEqual([]);
    }
  });
});

describe('the admin takes types from the API, never code', () => {
  test('every import of api/ in admin/src is type-only (erased by the bundler), so no server module reaches the browser', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const root = new URL('../../admin/src/', import.meta.url);
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => /\.tsx?$/.test(f));
    const fromApi: string[] = [];
    const runtime: string[] = [];
    for (const file of files) {
      const text = readFileSync(new URL(file, root), 'utf8');
      for (const m of text.matchAll(/^(import|export)\b[^;]*?from\s+'((?:\.\.\/)+api\/[^']+)'/gms)) {
        fromApi.push(`${file}: ${m[2]}`);
        if (!/^(import|export) type\b/.test(m[0])) runtime.push(`${file}: ${m[0].split('\n')[0]}`);
      }
    }
    expect(fromApi.length).toBeGreaterThan(5);
    expect(runtime).toEqual([]);
  });
});

describe('the admin builds each kind of form once', () => {
  test('assigning something to a customer (gateway payments, WhatsApp messages) is one component, not a copy per page', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const root = new URL('../../admin/src/', import.meta.url);
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => /\.tsx?$/.test(f));
    const pickers = files.filter((f) => readFileSync(new URL(f, root), 'utf8').includes('data-testid="assign-customer"'));
    expect(pickers).toEqual(['components/AssignToCustomer.tsx']);
    const users = files.filter((f) => /<AssignToCustomer\b/.test(readFileSync(new URL(f, root), 'utf8'))).sort();
    expect(users).toEqual(['pages/gateway-payments/shared.tsx', 'pages/notifications/inbox.tsx']);
  });
});
