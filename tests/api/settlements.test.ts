import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_WEBHOOK_SECRET } from '../../api/lib/env.js';
import { signBody } from '../../api/modules/gateway/signature.js';
import { parseSettlementCsv, rupeesToPaise } from '../../api/modules/settlements/settlements.csv.js';
import type { Db } from '../../db/client.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { makeCustomer, sqlRows, type CustomerFixture } from '../helpers/chain-fixtures.js';
import { auditRowsOf, expectJson, expectProblem } from './support.js';

// Settlement reconciliation (issue 12, item 5): finance uploads the gateway's settlement CSV; a dry run previews it;
// applied, each line matches a captured payment (which then shows its UTR) or goes to the exceptions queue with the
// payments still not settled three days after capture; the same file twice changes nothing.

let t: TestApp;
let db: Db;
let c: CustomerFixture;
const one = async <T = Record<string, any>>(q: ReturnType<typeof sql>) => (await sqlRows<T>(db, q))[0];
const count = async (q: ReturnType<typeof sql>) => Number((await one<{ n: number }>(q)).n);

beforeAll(async () => {
  t = await createTestApp();
  db = t.database.db;
  c = await makeCustomer(db);
  for (const role of ['admin', 'finance', 'support', 'manager'] as const) await t.cookie(role);
});
afterAll(() => t?.close());

let seq = 0;
const payId = () => `pay_S${Date.now().toString(36)}${++seq}`;

/** A payment captured through the webhook, `daysAgo` days ago. */
async function captured(amount: number, daysAgo = 1, customerId: string | null = c.customer.id): Promise<string> {
  const id = payId();
  const createdAt = Math.floor(Date.now() / 1000) - daysAgo * 86400;
  const raw = JSON.stringify({
    event: 'payment.captured',
    payload: { payment: { entity: { id, amount, currency: 'INR', method: 'upi', notes: customerId ? { customer_id: customerId } : {}, created_at: createdAt } } },
    created_at: createdAt,
  });
  const res = await t.app.request('/api/webhooks/razorpay', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-razorpay-event-id': `evt_${randomUUID()}`, 'x-razorpay-signature': signBody(raw, DEMO_WEBHOOK_SECRET) },
    body: raw,
  });
  expect(res.status).toBe(200);
  return id;
}

const csv = (rows: string[][]) => ['settlement_id,utr,payment_id,amount,fee,tax,settled_at', ...rows.map((r) => r.join(','))].join('\r\n') + '\r\n';
const upload = (content: string, dry_run: boolean, role: 'finance' | 'admin' | 'support' | 'manager' = 'finance', file_name = 'settlement.csv') =>
  t.call(role, 'POST', '/api/settlements', { file_name, content, dry_run });

describe('the file', () => {
  test('rupees to paise, quoted fields, a BOM, IST when no offset; unreadable lines named', () => {
    expect(rupeesToPaise('1250.5')).toBe(125050);
    expect(rupeesToPaise('"1,250.50"'.replace(/"/g, ''))).toBe(125050);
    expect(rupeesToPaise('12.345')).toBeNull();
    const { lines, problems } = parseSettlementCsv(
      '\uFEFFUTR,Settlement_ID,payment_id,amount,fee,tax,settled_at,extra\n' +
        'UTR1,setl_1,pay_1,"1,000.00",2.36,0.42,2026-12-05 10:30:00,x\n' +
        'UTR2,setl_1,pay_2,abc,0,0,2026-12-05T10:30:00+05:30\n' +
        'UTR3,setl_1,pay_1,5,0,0,2026-12-05\n' +
        'UTR4,setl_1,pay_4,5,4,2,yesterday\n',
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ utr: 'UTR1', settlement_id: 'setl_1', payment_ref: 'pay_1', amount_paise: 100000, fee_paise: 236, tax_paise: 42 });
    expect(lines[0].settled_at.toISOString()).toBe('2026-12-05T05:00:00.000Z');
    expect(problems.map((p) => p.line_no)).toEqual([3, 4, 5]);
    expect(problems[1].message).toMatch(/on line 2 already/);
    expect(problems[2].message).toMatch(/fee and tax come to more than the amount/);
    expect(parseSettlementCsv('settlement_id,utr\nx,y\n').problems[0].message).toMatch(/lacks payment_id, amount, fee, tax, settled_at/);
  });
});

describe('upload', () => {
  test('dry run previews and stores nothing; applied, lines match captured payments, which show their UTR; exceptions for the rest; audited', async () => {
    const a = await captured(50000);
    const b = await captured(20000);
    const short = await captured(30000);
    const authorizedOnly = payId();
    const content = csv([
      ['setl_A1', 'UTR0000001', a, '500.00', '10.00', '1.80', '2026-12-05 10:30:00'],
      ['setl_A1', 'UTR0000001', b, '200', '4', '0.72', '2026-12-05 10:30:00'],
      ['setl_A1', 'UTR0000001', short, '290.00', '5.80', '1.04', '2026-12-05 10:30:00'],
      ['setl_A1', 'UTR0000001', 'pay_NobodyKnows1', '75.00', '1.50', '0.27', '2026-12-05 10:30:00'],
    ]);
    void authorizedOnly;
    const before = await count(sql`select count(*) as n from settlement_lines`);
    const preview = await expectJson(await upload(content, true), 200);
    expect(preview).toMatchObject({ dry_run: true, upload_id: null, already_uploaded: null, totals: { lines: 4, matched: 2, exceptions: 2, skipped: 0, amount_paise: 106500 } });
    expect(preview.lines.map((l: any) => l.verdict)).toEqual(['matched', 'matched', 'amount_mismatch', 'unknown_payment']);
    expect(preview.lines[2]).toMatchObject({ expected_paise: 30000, amount_paise: 29000 });
    expect(await count(sql`select count(*) as n from settlement_lines`)).toBe(before);
    expect(await count(sql`select count(*) as n from settlement_uploads`)).toBe(0);

    // Support may not upload; managers read but may not upload either.
    await expectProblem(await upload(content, true, 'support'), 403, 'forbidden');
    await expectProblem(await upload(content, false, 'manager'), 403, 'forbidden');

    const applied = await expectJson(await upload(content, false), 200);
    expect(applied).toMatchObject({ dry_run: false, already_uploaded: null, totals: { matched: 2, exceptions: 2 } });
    expect(applied.upload_id).toEqual(expect.any(String));
    const file = await expectJson(await t.call('finance', 'GET', `/api/settlements/${applied.upload_id}`), 200);
    expect(file).toMatchObject({ line_count: 4, matched_count: 2, exception_count: 2, skipped_count: 0, amount_paise: 106500, fee_paise: 2130, tax_paise: 383, uploaded_by: t.userIds.finance });
    expect((await auditRowsOf(db, applied.upload_id)).map((r) => r.action)).toEqual(['upload']);

    // The matched payment shows its UTR.
    const [gp] = await expectJson<any[]>(await t.call('finance', 'GET', `/api/gateway-payments?q=${a}`), 200);
    expect(gp).toMatchObject({ gateway_payment_id: a, utr: 'UTR0000001', settlement_id: 'setl_A1' });
    expect(gp.settled_at).toBe('2026-12-05T05:00:00.000Z');

    const lines = await expectJson<any[]>(await t.call('manager', 'GET', `/api/settlements/lines?upload_id=${applied.upload_id}&_sort=line_no&_order=asc`), 200);
    expect(lines.map((l) => l.status)).toEqual(['matched', 'matched', 'amount_mismatch', 'unknown_payment']);
    expect(lines[0]).toMatchObject({ customer_id: c.customer.id, customer_name: c.customer.name });

    const exceptions = await expectJson<any[]>(await t.call('finance', 'GET', `/api/settlements/exceptions?upload_id=${applied.upload_id}&_sort=created_at&_order=asc`), 200);
    expect(exceptions.map((e) => e.kind).sort()).toEqual(['amount_mismatch', 'unknown_payment']);
    const mismatch = exceptions.find((e) => e.kind === 'amount_mismatch');
    expect(mismatch).toMatchObject({ status: 'open', expected_paise: 30000, actual_paise: 29000, payment_ref: short, utr: 'UTR0000001', customer_name: c.customer.name });
    const unknown = exceptions.find((e) => e.kind === 'unknown_payment');
    expect(unknown).toMatchObject({ payment_ref: 'pay_NobodyKnows1', gateway_payment_id: null });
  });

  test('the same file twice changes nothing; a second file naming settled payments records only the new lines', async () => {
    const a = await captured(11100);
    const b = await captured(22200);
    const first = csv([['setl_B1', 'UTRB1', a, '111', '0', '0', '2026-12-06 09:00:00']]);
    const applied = await expectJson(await upload(first, false, 'finance', 'b1.csv'), 200);
    const counts = async () => ({
      uploads: await count(sql`select count(*) as n from settlement_uploads`),
      lines: await count(sql`select count(*) as n from settlement_lines`),
      exceptions: await count(sql`select count(*) as n from settlement_exceptions`),
      audit: await count(sql`select count(*) as n from audit_logs where table_name = 'settlements'`),
    });
    const before = await counts();
    const again = await expectJson(await upload(first, false, 'finance', 'b1-again.csv'), 200);
    expect(again).toMatchObject({ already_uploaded: applied.upload_id, upload_id: applied.upload_id, totals: { lines: 1, matched: 0, skipped: 1 } });
    expect(again.lines[0].verdict).toBe('already_recorded');
    expect(await counts()).toEqual(before);
    // Its dry run says so too.
    expect((await expectJson(await upload(first, true), 200)).already_uploaded).toBe(applied.upload_id);

    // Another file (other bytes) with the settled line again and a new one: the new one only.
    const second = csv([
      ['setl_B1', 'UTRB1', a, '111', '0', '0', '2026-12-06 09:00:00'],
      ['setl_B2', 'UTRB2', b, '222', '0', '0', '2026-12-07 09:00:00'],
    ]);
    const more = await expectJson(await upload(second, false, 'finance', 'b2.csv'), 200);
    expect(more.totals).toMatchObject({ lines: 2, matched: 1, skipped: 1, exceptions: 0 });
    expect(await count(sql`select count(*) as n from settlement_lines where payment_ref = ${a}`)).toBe(1);
    expect((await one(sql`select skipped_count, matched_count from settlement_uploads where id = ${more.upload_id}`))).toMatchObject({ skipped_count: 1, matched_count: 1 });
  });

  test('a file with unreadable lines is refused when applied (422), its dry run lists the problems; garbage is a 4xx', async () => {
    const bad = csv([['setl_C', 'UTRC', payId(), 'lots', '0', '0', '2026-12-06']]);
    expect((await expectProblem(await upload(bad, false), 422, 'bad_settlement_file')).message).toMatch(/line 2/);
    const dry = await expectJson(await upload(bad, true), 200);
    expect(dry.problems).toEqual([{ line_no: 2, message: expect.stringMatching(/amount "lots"/) }]);
    await expectProblem(await upload('', true), 400);
    await expectProblem(await t.call('finance', 'POST', '/api/settlements', { file_name: 'x.csv', content: 'a,b\n', dry_run: 'yes' }), 400);
    expect((await expectJson(await upload('just one line', true), 200)).problems[0].message).toMatch(/lacks/);
  });

  test('an upload larger than the 1 MB other requests take is accepted (up to 10 MB), beyond it 413', async () => {
    const filler = Array.from({ length: 12_000 }, (_, i) => ['setl_big', `UTRBIG${i}`, `pay_Big${i}_${'x'.repeat(40)}`, '10', '0', '0', '2026-12-06 09:00:00']);
    const content = csv(filler);
    expect(content.length).toBeGreaterThan(1024 * 1024);
    const res = await upload(content, true);
    const preview = await expectJson(res, 200);
    expect(preview.totals).toMatchObject({ lines: 12_000, exceptions: 12_000 });
    expect(preview.lines).toHaveLength(500);
    const huge = 'x'.repeat(10 * 1024 * 1024 + 10);
    await expectProblem(await upload(huge, true), 413, 'payload_too_large');
    // Other routes keep their 1 MB.
    await expectProblem(await t.call('finance', 'POST', '/api/settlements/exceptions/scan', { pad: 'x'.repeat(1024 * 1024 + 10) }), 413, 'payload_too_large');
  });
});

describe('exceptions', () => {
  test('captured but not settled after three days: the scan (as of a date) opens one exception, once; a later settlement closes it', async () => {
    const late = await captured(40000, 4);
    const fresh = await captured(40000, 1);
    const asOf = new Date().toISOString();
    const first = await expectJson(await t.call('finance', 'POST', '/api/settlements/exceptions/scan', { as_of: asOf }), 200);
    expect(first.opened).toBeGreaterThanOrEqual(1);
    const open = await expectJson<any[]>(await t.call('finance', 'GET', '/api/settlements/exceptions?kind=not_settled&status=open'), 200);
    expect(open.map((e) => e.payment_ref)).toContain(late);
    expect(open.map((e) => e.payment_ref)).not.toContain(fresh);
    // Again: nothing new.
    expect(await expectJson(await t.call('finance', 'POST', '/api/settlements/exceptions/scan', { as_of: asOf }), 200)).toMatchObject({ opened: 0 });
    // Three days on, the fresh one is late too (a date parameter instead of waiting).
    const ahead = new Date(Date.now() + 3 * 86_400_000).toISOString();
    await expectJson(await t.call('finance', 'POST', '/api/settlements/exceptions/scan', { as_of: ahead }), 200);
    expect(await count(sql`select count(*) as n from settlement_exceptions e join gateway_payments g on g.id = e.gateway_payment_id where g.gateway_payment_id in (${late}, ${fresh}) and e.kind = 'not_settled'`)).toBe(2);

    // The settlement arrives: the upload's scan resolves the exception.
    await expectJson(await upload(csv([['setl_L', 'UTRLATE', late, '400', '0', '0', '2026-12-06 09:00:00']]), false, 'finance', 'late.csv'), 200);
    const closed = await one(sql`select e.status, e.resolution from settlement_exceptions e join gateway_payments g on g.id = e.gateway_payment_id where g.gateway_payment_id = ${late}`);
    expect(closed.status).toBe('resolved');
    expect(closed.resolution).toMatch(/UTRLATE/);
  });

  test('finance resolves an open exception with a note (audited); twice is a 409; managers may not', async () => {
    const content = csv([['setl_R', 'UTRR', 'pay_StrangerR1', '10', '0', '0', '2026-12-06 09:00:00']]);
    const applied = await expectJson(await upload(content, false, 'finance', 'r.csv'), 200);
    const [exception] = await expectJson<any[]>(await t.call('finance', 'GET', `/api/settlements/exceptions?upload_id=${applied.upload_id}`), 200);
    await expectProblem(await t.call('manager', 'POST', `/api/settlements/exceptions/${exception.id}/resolve`, { resolution: 'Seen' }), 403, 'forbidden');
    await expectProblem(await t.call('finance', 'POST', `/api/settlements/exceptions/${exception.id}/resolve`, { resolution: '' }), 400);
    const resolved = await expectJson(await t.call('finance', 'POST', `/api/settlements/exceptions/${exception.id}/resolve`, { resolution: 'Razorpay says it is a test payment; no money of ours.' }), 200);
    expect(resolved).toMatchObject({ status: 'resolved', resolved_by: t.userIds.finance, resolved_by_name: expect.any(String) });
    await expectProblem(await t.call('finance', 'POST', `/api/settlements/exceptions/${exception.id}/resolve`, { resolution: 'Again' }), 409, 'exception_resolved');
    expect((await auditRowsOf(db, exception.id)).map((r) => r.action)).toEqual(['resolve']);
    const list = await t.call('finance', 'GET', '/api/settlements/exceptions?status=resolved&kind=unknown_payment');
    expect((await expectJson<any[]>(list, 200)).map((e) => e.id)).toContain(exception.id);
  });
});

describe('two uploads at once', { tags: ['race'] }, () => {
  test('two files naming one payment, applied at once: it is settled once, and the counts say so', async () => {
    const p = await captured(5000);
    const f1 = csv([['setl_X1', 'UTRX1', p, '50', '0', '0', '2026-12-06 09:00:00']]);
    const f2 = csv([['setl_X2', 'UTRX2', p, '50', '0', '0', '2026-12-06 09:00:01']]);
    const [r1, r2] = await Promise.all([upload(f1, false, 'finance', 'x1.csv'), upload(f2, false, 'admin', 'x2.csv')]);
    const [a, b] = [await expectJson(r1, 200), await expectJson(r2, 200)];
    expect([a.totals.matched, b.totals.matched].sort()).toEqual([0, 1]);
    expect([a.totals.skipped, b.totals.skipped].sort()).toEqual([0, 1]);
    expect(await count(sql`select count(*) as n from settlement_lines where payment_ref = ${p}`)).toBe(1);
  });

  test('the same file twice at once: one upload', async () => {
    const p = await captured(6000);
    const f = csv([['setl_Y', 'UTRY', p, '60', '0', '0', '2026-12-06 09:00:00']]);
    const answers = await Promise.all([upload(f, false), upload(f, false, 'admin')]);
    const bodies = await Promise.all(answers.map((r) => expectJson(r, 200)));
    expect(bodies.filter((x) => x.already_uploaded === null)).toHaveLength(1);
    expect(await count(sql`select count(*) as n from settlement_uploads where file_name = 'settlement.csv' and line_count = 1 and amount_paise = 6000`)).toBe(1);
  });
});
