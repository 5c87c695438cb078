import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { auditRowsOf, countOf, createRequest, expectJson, expectProblem, milkRequest, rows, UNKNOWN_ID } from './support.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  // Log every role in up front, so that concurrent calls below race on the decision and not on the login.
  for (const role of ['admin', 'finance', 'support', 'manager'] as const) await t.cookie(role);
});
afterAll(() => t?.close());

interface RequestRow {
  status: string;
  product_id: string | null;
  decided_by: string | null;
  decided_at: Date | null;
  reject_reason: string | null;
}
const requestRow = async (id: string) =>
  (await rows<RequestRow>(t.database.db, sql`select status, product_id, decided_by, decided_at, reject_reason from product_requests where id = ${id}`))[0];
const productsNamed = (name: string) =>
  rows<{ id: string; name: string; sku: string; unit: string; unit_size: string; price_paise: number; hsn_code: string; gst_rate_bp: number; category: string; is_active: boolean }>(
    t.database.db,
    sql`select id, name, sku, unit, unit_size, price_paise, hsn_code, gst_rate_bp, category, is_active from products where lower(name) = lower(${name})`,
  );
const approve = (id: string, role: 'admin' | 'manager' = 'admin', body: unknown = {}) => t.call(role, 'POST', `/api/product-requests/${id}/approve`, body);
const reject = (id: string, reason: unknown, role: 'admin' | 'manager' = 'admin') => t.call(role, 'POST', `/api/product-requests/${id}/reject`, { reason });

describe('asking for a product', () => {
  test('support files a request: pending, requested by them, with an audit row', async () => {
    const r = await createRequest(t, { name: 'A2 Cow Milk 1 L', unit: 'litre', price_paise: 9000 });
    expect(r).toMatchObject({ name: 'A2 Cow Milk 1 L', status: 'pending', requested_by: t.userIds.support, requested_by_name: 'Sunita Support', product_id: null, decided_by: null });
    const audit = await auditRowsOf(t.database.db, r.id);
    expect(audit.map((a) => [a.action, a.table_name, a.user_id])).toEqual([['create', 'product-requests', t.userIds.support]]);
  });

  test('a request is validated like a product', async () => {
    const body = await expectProblem(await t.call('support', 'POST', '/api/product-requests', milkRequest({ hsn_code: '12', gst_rate_bp: 5.5 })), 400, 'validation_failed');
    expect(body.message).toContain('hsn_code');
    expect(body.message).toContain('gst_rate_bp');
    // Which rates exist is data (gst_rates): a rate not in use is the service's 422, naming the ones in use.
    const rate = await expectProblem(await t.call('support', 'POST', '/api/product-requests', milkRequest({ gst_rate_bp: 700 })), 422, 'bad_gst_rate');
    expect(rate.message).toContain('0%, 5%, 18%, 40%');
  });

  test('the request list filters by status and who asked', async () => {
    const listed = await expectJson<any[]>(await t.call('finance', 'GET', `/api/product-requests?status=pending&requested_by=${t.userIds.support}`), 200);
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.every((r) => r.status === 'pending' && r.requested_by === t.userIds.support)).toBe(true);
  });
});

describe('approving', () => {
  test('creates exactly one product from the request and links it', async () => {
    const r = await createRequest(t, { name: 'Buffalo Milk 500 ml', unit: 'packet', unit_size: '500 ml', price_paise: 3600, hsn_code: '04011000', gst_rate_bp: 500, category: 'milk' });
    const approved = await expectJson(await approve(r.id), 200);
    expect(approved).toMatchObject({ id: r.id, status: 'approved', decided_by: t.userIds.admin, decided_by_name: 'Asha Admin', reject_reason: null });

    const products = await productsNamed('Buffalo Milk 500 ml');
    expect(products).toHaveLength(1);
    const [product] = products;
    expect(product).toMatchObject({ unit: 'packet', unit_size: '500 ml', price_paise: 3600, hsn_code: '04011000', gst_rate_bp: 500, category: 'milk', is_active: true });
    expect(product.sku).toBe(`BUFFALO-MILK-500-ML-${r.id.slice(0, 4).toUpperCase()}`);

    const row = await requestRow(r.id);
    expect(row).toMatchObject({ status: 'approved', product_id: product.id, decided_by: t.userIds.admin, reject_reason: null });
    expect(row.decided_at).not.toBeNull();
    expect(approved.product_id).toBe(product.id);

    const requestAudit = await auditRowsOf(t.database.db, r.id);
    expect(requestAudit.map((a) => [a.action, a.table_name, a.user_id])).toEqual([
      ['create', 'product-requests', t.userIds.support],
      ['approve', 'product-requests', t.userIds.admin],
    ]);
    const decision = requestAudit[1];
    expect([decision.before.status, decision.after.status, decision.after.product_id]).toEqual(['pending', 'approved', product.id]);
    const productAudit = await auditRowsOf(t.database.db, product.id);
    expect(productAudit.map((a) => [a.action, a.table_name, a.user_id])).toEqual([['create', 'products', t.userIds.admin]]);
  });

  test('an approver may choose the SKU; a bad SKU is a 400 and nothing is created', async () => {
    const r = await createRequest(t, { name: 'Lassi 200 ml' });
    const bad = await expectProblem(await approve(r.id, 'admin', { sku: 'lassi 200' }), 400, 'validation_failed');
    expect(bad.message).toContain('sku');
    expect((await requestRow(r.id)).status).toBe('pending');
    await expectJson(await approve(r.id, 'manager', { sku: 'LASSI-200' }), 200);
    expect((await productsNamed('Lassi 200 ml')).map((p) => p.sku)).toEqual(['LASSI-200']);
    expect((await requestRow(r.id)).decided_by).toBe(t.userIds.manager);
  });

  test('approving twice is a 409 saying who decided, and no second product', async () => {
    const r = await createRequest(t, { name: 'Masala Chaas' });
    await expectJson(await approve(r.id, 'manager'), 200);
    const body = await expectProblem(await approve(r.id, 'admin'), 409, 'already_decided');
    expect(body.message).toBe('This request was already approved by Manoj Manager.');
    expect(await productsNamed('Masala Chaas')).toHaveLength(1);
    expect((await requestRow(r.id)).decided_by).toBe(t.userIds.manager);
  });

  test('a request for a name the catalogue already has is a 409 and stays pending', async () => {
    await expectJson(await t.call('admin', 'POST', '/api/products', { name: 'Plain Curd 1 kg', sku: 'CURD-1KG', unit: 'kg', price_paise: 9000, hsn_code: '0403' }), 201);
    const r = await createRequest(t, { name: 'PLAIN CURD 1 KG' });
    const audits = await countOf(t.database.db, sql`select count(*) as n from audit_logs`);
    const body = await expectProblem(await approve(r.id), 409, 'product_name_taken');
    expect(body.message).toBe('A product with this name already exists.');
    expect(await requestRow(r.id)).toMatchObject({ status: 'pending', product_id: null, decided_by: null, decided_at: null });
    expect(await productsNamed('Plain Curd 1 kg')).toHaveLength(1);
    expect(await countOf(t.database.db, sql`select count(*) as n from audit_logs`)).toBe(audits);
  });

  test('an unknown request is a 404', async () => {
    const body = await expectProblem(await approve(UNKNOWN_ID), 404, 'not_found');
    expect(body.message).toBe('Product request was not found.');
  });
});

describe('rejecting', () => {
  test.each([
    ['no reason', undefined],
    ['a blank reason', '   '],
    ['a two-letter reason', 'no'],
  ])('%s is a 400 naming the reason, and the request stays pending', async (_what, reason) => {
    const r = await createRequest(t);
    const body = await expectProblem(await reject(r.id, reason), 400, 'validation_failed');
    expect(body.message).toContain('reason');
    expect(await requestRow(r.id)).toMatchObject({ status: 'pending', reject_reason: null, decided_by: null });
  });

  test('a reason rejects it: no product, the reason and decider stored, one audit row', async () => {
    const r = await createRequest(t, { name: 'Camel Milk' });
    const rejected = await expectJson(await reject(r.id, '  Not available from our dairy  ', 'manager'), 200);
    expect(rejected).toMatchObject({ status: 'rejected', reject_reason: 'Not available from our dairy', decided_by: t.userIds.manager, product_id: null });
    const row = await requestRow(r.id);
    expect(row).toMatchObject({ status: 'rejected', reject_reason: 'Not available from our dairy', decided_by: t.userIds.manager, product_id: null });
    expect(row.decided_at).not.toBeNull();
    expect(await productsNamed('Camel Milk')).toHaveLength(0);
    const audit = await auditRowsOf(t.database.db, r.id);
    expect(audit.map((a) => [a.action, a.user_id, a.before?.status, a.after?.status])).toEqual([
      ['create', t.userIds.support, undefined, 'pending'],
      ['reject', t.userIds.manager, 'pending', 'rejected'],
    ]);
  });

  test('a rejected request cannot then be approved, nor an approved one rejected', async () => {
    const r1 = await createRequest(t);
    await expectJson(await reject(r1.id, 'Duplicate of an existing item'), 200);
    const body = await expectProblem(await approve(r1.id), 409, 'already_decided');
    expect(body.message).toMatch(/already rejected by Asha Admin/);
    expect(await requestRow(r1.id)).toMatchObject({ status: 'rejected', product_id: null });

    const r2 = await createRequest(t);
    await expectJson(await approve(r2.id), 200);
    await expectProblem(await reject(r2.id, 'Changed my mind'), 409, 'already_decided');
    expect(await requestRow(r2.id)).toMatchObject({ status: 'approved', reject_reason: null });
  });
});

describe('bulk decisions', () => {
  test('approving several reports which succeeded and which failed, and why', async () => {
    const a = await createRequest(t, { name: 'Bulk A' });
    const b = await createRequest(t, { name: 'Bulk B' });
    const done = await createRequest(t, { name: 'Bulk Done' });
    await expectJson(await approve(done.id), 200);
    const clash = await createRequest(t, { name: 'bulk a' });

    const result = await expectJson(
      await t.call('manager', 'POST', '/api/product-requests/decide', { ids: [a.id, b.id, done.id, UNKNOWN_ID, clash.id, a.id], action: 'approve' }),
      200,
    );
    expect(result.succeeded).toEqual([a.id, b.id]);
    expect(result.failed).toEqual([
      { id: done.id, message: 'This request was already approved by Asha Admin.' },
      { id: UNKNOWN_ID, message: 'Product request was not found.' },
      { id: clash.id, message: 'A product with this name already exists.' },
    ]);
    expect(await requestRow(a.id)).toMatchObject({ status: 'approved', decided_by: t.userIds.manager });
    expect(await requestRow(b.id)).toMatchObject({ status: 'approved', decided_by: t.userIds.manager });
    expect(await requestRow(clash.id)).toMatchObject({ status: 'pending', product_id: null });
    expect(await productsNamed('Bulk A')).toHaveLength(1);
    expect(await productsNamed('Bulk B')).toHaveLength(1);
    expect(await productsNamed('Bulk Done')).toHaveLength(1);
    // The repeated id was decided once.
    expect(await countOf(t.database.db, sql`select count(*) as n from audit_logs where record_id = ${a.id} and action = 'approve'`)).toBe(1);
  });

  test('rejecting several needs a reason, and without one changes nothing', async () => {
    const a = await createRequest(t);
    const b = await createRequest(t);
    const body = await expectProblem(await t.call('admin', 'POST', '/api/product-requests/decide', { ids: [a.id, b.id], action: 'reject' }), 400, 'validation_failed');
    expect(body.message).toContain('reason');
    expect((await requestRow(a.id)).status).toBe('pending');

    const result = await expectJson(await t.call('admin', 'POST', '/api/product-requests/decide', { ids: [a.id, b.id], action: 'reject', reason: 'Seasonal only' }), 200);
    expect(result).toEqual({ succeeded: [a.id, b.id], failed: [] });
    expect(await requestRow(a.id)).toMatchObject({ status: 'rejected', reject_reason: 'Seasonal only' });
    expect(await requestRow(b.id)).toMatchObject({ status: 'rejected', reject_reason: 'Seasonal only' });
  });

  test.each([
    ['no ids', { ids: [], action: 'approve' }, 'ids'],
    ['a bad id', { ids: ['nope'], action: 'approve' }, 'ids'],
    ['an unknown action', { ids: [UNKNOWN_ID], action: 'archive' }, 'action'],
  ])('%s is a 400', async (_what, body, field) => {
    const problem = await expectProblem(await t.call('admin', 'POST', '/api/product-requests/decide', body), 400, 'validation_failed');
    expect(problem.message).toContain(field);
  });
});

describe('the race: two people approve the same request at the same moment', { tags: ['race'] }, () => {
  // Run several rounds: the database must settle every one of them, not just a lucky first.
  test.each([1, 2, 3, 4, 5])('round %i: exactly one 200, one 409, one product and one approve audit row', async (round) => {
    const name = `Race Milk ${round}`;
    const r = await createRequest(t, { name });
    const [first, second] = await Promise.all([approve(r.id, 'admin'), approve(r.id, 'manager')]);
    const answers = [
      { role: 'admin', status: first.status, body: await first.json() },
      { role: 'manager', status: second.status, body: await second.json() },
    ];
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    const winner = answers.find((a) => a.status === 200)!;
    const loser = answers.find((a) => a.status === 409)!;
    expect(loser.body.code).toBe('already_decided');
    expect(loser.body.message).toMatch(/^This request was already approved by /);

    const products = await productsNamed(name);
    expect(products).toHaveLength(1);
    const row = await requestRow(r.id);
    expect(row).toMatchObject({ status: 'approved', product_id: products[0].id, decided_by: t.userIds[winner.role] });
    expect(winner.body.product_id).toBe(products[0].id);
    expect(await countOf(t.database.db, sql`select count(*) as n from audit_logs where record_id = ${r.id} and action = 'approve'`)).toBe(1);
    expect(await countOf(t.database.db, sql`select count(*) as n from audit_logs where table_name = 'products' and record_id = ${products[0].id}`)).toBe(1);
  });

  test('an approval racing a rejection: exactly one wins and the row is consistent', async () => {
    const r = await createRequest(t, { name: 'Race Approve Reject' });
    const [a, b] = await Promise.all([approve(r.id, 'admin'), reject(r.id, 'Too expensive', 'manager')]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const row = await requestRow(r.id);
    const products = await productsNamed('Race Approve Reject');
    if (a.status === 200) {
      expect(row).toMatchObject({ status: 'approved', reject_reason: null, decided_by: t.userIds.admin });
      expect(products).toHaveLength(1);
    } else {
      expect(row).toMatchObject({ status: 'rejected', product_id: null, decided_by: t.userIds.manager });
      expect(products).toHaveLength(0);
    }
    expect(await countOf(t.database.db, sql`select count(*) as n from audit_logs where record_id = ${r.id} and action in ('approve', 'reject')`)).toBe(1);
  });

  test('five approvals at once: one product', async () => {
    const r = await createRequest(t, { name: 'Race Five' });
    const answers = await Promise.all([1, 2, 3, 4, 5].map((i) => approve(r.id, i % 2 ? 'admin' : 'manager')));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409, 409, 409]);
    const codes = await Promise.all(answers.filter((a) => a.status === 409).map(async (a) => (await a.json()).code));
    expect(codes).toEqual(['already_decided', 'already_decided', 'already_decided', 'already_decided']);
    expect(await productsNamed('Race Five')).toHaveLength(1);
    expect(await countOf(t.database.db, sql`select count(*) as n from audit_logs where record_id = ${r.id} and action = 'approve'`)).toBe(1);
  });
});
