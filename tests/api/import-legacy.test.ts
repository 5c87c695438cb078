import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataHealth } from '../../api/modules/health/health.service.js';
import { importLegacy, type ImportReport } from '../../api/modules/imports/imports.service.js';
import { runInvoices } from '../../api/modules/invoices/invoice-runs.service.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { brokenLinks, query, rowCounts, SAMPLE_DIR, serviceCtx } from '../import/support.js';

const expected = JSON.parse(readFileSync(join(SAMPLE_DIR, 'expected.json'), 'utf8')) as { anomalies: Record<string, number>; counts: Record<string, number> };

/** Every document read is accounted for exactly once. */
function expectBalanced(report: ImportReport) {
  for (const [c, n] of Object.entries(report.counts)) {
    expect(n.imported + n.already_imported + n.linked_existing + n.skipped + n.rejected, c).toBe(n.read);
  }
}

describe('legacy import of the sample export', () => {
  let t: TestApp;
  let dry: ImportReport;
  let first: ImportReport;
  let afterFirst: Record<string, number>;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('a dry run reports everything and changes nothing', async () => {
    const before = await rowCounts(t.database.db);
    dry = await importLegacy(serviceCtx(t.database.db, t.userIds.admin), { dir: SAMPLE_DIR, dryRun: true });
    expect(dry.dry_run).toBe(true);
    expect(dry.anomalies).toEqual(expected.anomalies);
    expect(dry.backfill.billing_records_created).toBeGreaterThan(0);
    expect(await rowCounts(t.database.db)).toEqual(before);
    const [runs] = await query<{ n: number }>(t.database.db, sql`select count(*)::int as n from import_runs`);
    expect(Number(runs.n)).toBe(0);
  });

  it("imports it: the report's anomalies equal expected.json to the unit", async () => {
    first = await importLegacy(serviceCtx(t.database.db, t.userIds.admin), { dir: SAMPLE_DIR });
    expect(first.anomalies).toEqual(expected.anomalies);
    for (const [c, read] of Object.entries(expected.counts)) expect(first.counts[c]?.read, c).toBe(read);
    expectBalanced(first);
    // The dry run said exactly this.
    expect({ counts: dry.counts, anomalies: dry.anomalies, backfill: dry.backfill, legacy: dry.legacy_billed }).toEqual({
      counts: first.counts,
      anomalies: first.anomalies,
      backfill: first.backfill,
      legacy: first.legacy_billed,
    });
    expect(first.counts.orders).toMatchObject({ read: 635, imported: 633, skipped: 2, rejected: 0 });
    expect(first.counts.customers_v2).toMatchObject({ imported: 30, rejected: 0 });
    expect(first.rejected_total).toBe(0);
    // Backfill = the delivered one-time orders never billed, at the old prices (tax on top for taxed goods).
    expect(first.backfill.orders).toBe(expected.anomalies.unbilled_delivered_one_time_orders);
    expect(first.backfill.amount_paise).toBe(expected.anomalies.unbilled_delivered_one_time_paise);
    expect(first.backfill.total_paise).toBe(first.backfill.amount_paise + first.backfill.tax_paise);
    expect(first.legacy_billed.amount_paise + first.backfill.amount_paise).toBe(expected.anomalies.delivered_value_paise);
    afterFirst = await rowCounts(t.database.db);
    expect(afterFirst).toMatchObject({ customers: 30, addresses: 30, products: 10, staff: 3, subscriptions: 21, orders: 633, deliveries: 633, zones: 5 });
  });

  it('lands the rows: delivered orders delivered and billed, failed ones failed, legacy billing marked', async () => {
    const db = t.database.db;
    const byStatus = Object.fromEntries((await query<{ status: string; n: number }>(db, sql`select status, count(*)::int as n from orders group by status`)).map((r) => [r.status, Number(r.n)]));
    expect(byStatus).toEqual({ delivered: 591, failed: 18, pending: 24 });
    const deliveries = Object.fromEntries((await query<{ status: string; n: number }>(db, sql`select status, count(*)::int as n from deliveries group by status`)).map((r) => [r.status, Number(r.n)]));
    expect(deliveries).toEqual({ delivered: 591, failed: 18, pending: 24 });
    const [failed] = await query<{ reason: string }>(db, sql`select failure_reason as reason from deliveries where status = 'failed' limit 1`);
    expect(failed.reason).toMatch(/old system/);
    const billing = await query<{ legacy_billed: boolean; n: number; taxable: number; source: string }>(
      db,
      sql`select legacy_billed, source::text as source, count(*)::int as n, sum(taxable_paise)::int as taxable from billing_records group by 1, 2 order by 1`,
    );
    expect(billing.map((b) => ({ ...b, n: Number(b.n), taxable: Number(b.taxable) }))).toEqual([
      { legacy_billed: false, source: 'legacy_import', n: first.backfill.billing_records_created, taxable: 779_200 },
      { legacy_billed: true, source: 'legacy_import', n: first.legacy_billed.billing_records, taxable: first.legacy_billed.amount_paise },
    ]);
    // The one-time order that bill 28e81f63... names by its _id hex was billed by the old system.
    const [billedOneTime] = await query<{ legacy_billed: boolean; kind: string }>(
      db,
      sql`select b.legacy_billed, o.kind::text as kind from legacy_ids l join orders o on o.id = l.record_id join billing_records b on b.order_id = o.id
          where l.collection = 'orders' and l.legacy_oid = '0e1f482accff44df0700ce1f'`,
    );
    expect(billedOneTime).toEqual({ legacy_billed: true, kind: 'one_time' });
    // Both id forms of a document resolve to the same record.
    const forms = await query<{ record_id: string }>(
      db,
      sql`select record_id from legacy_ids where collection = 'orders' and (legacy_oid = 'de624e455d20897a18b07a03' or legacy_uuid = 'e6dec2b3-1457-47d9-a8a8-21052cde5db4')`,
    );
    expect(forms).toHaveLength(1);
    const [order] = await query<{ status: string; delivery_date: string; delivered_on: string; staff: string | null; kind: string; total: number }>(
      db,
      sql`select o.status::text as status, o.delivery_date::text as delivery_date, d.delivered_on::text as delivered_on, d.staff_id as staff, o.kind::text as kind, o.total_paise as total
          from orders o join deliveries d on d.order_id = o.id where o.id = ${forms[0].record_id}`,
    );
    expect(order).toMatchObject({ status: 'delivered', delivery_date: '2026-01-01', delivered_on: '2026-01-01', kind: 'subscription', total: 11_200 });
    expect(order.staff).not.toBeNull();
  });

  it('normalises phones, addresses, prices, units and tax classes', async () => {
    const db = t.database.db;
    const phones = (await query<{ phone: string }>(db, sql`select phone from customers order by phone`)).map((r) => r.phone);
    expect(phones.every((p) => /^\+91[6-9]\d{9}$/.test(p))).toBe(true);
    expect(phones).toContain('+919713665748'); // "9713665748.0"
    expect(phones).toContain('+916184676058'); // "+91 61846 76058"
    expect(phones).toContain('+919159773048'); // "09159773048"
    const [addr] = await query<{ line1: string; city: string; pin_code: string; lat: number; is_default: boolean }>(
      db,
      sql`select a.line1, a.city, a.pin_code, a.lat, a.is_default from addresses a join legacy_ids l on l.record_id = a.id
          where l.collection = 'customers_v2.address' and l.legacy_uuid = '9ec6d2c3-bf75-4cd3-84d5-0c56d5d3be64'`,
    );
    expect(addr).toEqual({ line1: '684, 17th Cross, Jayanagar', city: 'Bengaluru', pin_code: '560041', lat: 12.92305, is_default: true });
    const products = await query<{ name: string; sku: string; price_paise: number; unit: string; unit_size: string; hsn_code: string; gst_rate_bp: number; is_active: boolean }>(
      db,
      sql`select name, sku, price_paise, unit::text as unit, unit_size, hsn_code, gst_rate_bp, is_active from products order by name`,
    );
    const p = Object.fromEntries(products.map((x) => [x.name, x]));
    expect(p['Full Cream Milk 500ml']).toEqual({ name: 'Full Cream Milk 500ml', sku: 'FULL-CREAM-MILK-500ML', price_paise: 3400, unit: 'packet', unit_size: '500 ml', hsn_code: '0401', gst_rate_bp: 0, is_active: true });
    expect(p['Ghee 200ml']).toMatchObject({ price_paise: 15_500, unit: 'bottle', hsn_code: '0405', gst_rate_bp: 500 });
    expect(p['Butter 100g']).toMatchObject({ unit: 'piece', unit_size: '100 g', hsn_code: '0405', gst_rate_bp: 500 });
    expect(p['Buttermilk 200ml']).toMatchObject({ price_paise: 1500, hsn_code: '0403', gst_rate_bp: 0 });
    expect(p['Paneer 200g']).toMatchObject({ hsn_code: '0406', gst_rate_bp: 0 });
    expect(p['Eggs (6)']).toMatchObject({ sku: 'EGGS-6', unit_size: '6 pcs', hsn_code: '0407' });
    const subs = await query<{ schedule: string; n: number }>(db, sql`select schedule::text as schedule, count(*)::int as n from subscriptions where status = 'active' and shift = 'morning' group by 1 order by 1`);
    expect(subs.map((s) => [s.schedule, Number(s.n)])).toEqual([
      ['alternate', 5],
      ['daily', 16],
    ]);
    // A subscription's address is its customer's default address.
    const [bad] = await query<{ n: number }>(db, sql`select count(*)::int as n from subscriptions s join addresses a on a.id = s.address_id where not a.is_default or a.customer_id <> s.customer_id`);
    expect(Number(bad.n)).toBe(0);
  });

  it('lists the anomalies for a person to review', async () => {
    const kinds = Object.fromEntries(
      (await query<{ kind: string; n: number }>(t.database.db, sql`select kind::text as kind, count(*)::int as n from import_anomalies where run_id = ${first.run_id} group by 1`)).map((r) => [r.kind, Number(r.n)]),
    );
    expect(kinds).toEqual({
      orphan_order: expected.anomalies.orphan_orders,
      phantom_delivery: expected.anomalies.phantom_deliveries,
      duplicate_delivery_mark: expected.anomalies.duplicate_delivery_marks,
      customer_without_user: expected.anomalies.customers_without_user_id,
      unbilled_delivery: expected.anomalies.unbilled_delivered_one_time_orders,
    });
  });

  it('after the import the chain has no broken link', async () => {
    expect(await brokenLinks(t.database.db)).toEqual({
      orders_without_customer: 0,
      orders_total_differs: 0,
      orders_without_delivery: 0,
      delivered_items_without_billing: 0,
      billing_without_delivered_item: 0,
      delivered_orders_not_delivered: 0,
      delivery_day_not_order_day: 0,
    });
    const result = await dataHealth(t.database.db);
    expect(result.checks.filter((c) => c.count > 0)).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('a second run imports nothing more', async () => {
    const second = await importLegacy(serviceCtx(t.database.db, t.userIds.admin), { dir: SAMPLE_DIR });
    expect(await rowCounts(t.database.db)).toEqual(afterFirst);
    expect(second.anomalies).toEqual(expected.anomalies);
    expect(second.backfill).toEqual({ billing_records_created: 0, amount_paise: 0, orders: 0, tax_paise: 0, total_paise: 0 });
    for (const c of ['products', 'delivery_boys_v2', 'customers_v2', 'subscriptions_v2', 'orders', 'delivery_statuses'] as const) {
      expect(second.counts[c].imported, c).toBe(0);
      expect(second.counts[c].already_imported, c).toBe(first.counts[c].imported);
    }
    expectBalanced(second);
  });

  it('the API shows the last report and the anomalies, to admin and finance only', async () => {
    const latest = await t.call('finance', 'GET', '/api/imports/latest');
    expect(latest.status).toBe(200);
    const run = (await latest.json()) as { id: string; status: string; report: ImportReport };
    expect(run.status).toBe('completed');
    expect(run.report.anomalies).toEqual(expected.anomalies);
    expect((await t.call('admin', 'GET', '/api/imports/latest')).status).toBe(200);
    expect((await t.call('support', 'GET', '/api/imports/latest')).status).toBe(403);
    expect((await t.call('manager', 'GET', '/api/import-anomalies')).status).toBe(403);

    const runs = await t.call('admin', 'GET', '/api/imports?_sort=started_at&_order=desc');
    expect(runs.headers.get('x-total-count')).toBe('2');
    expect(((await runs.json()) as { id: string }[])[0].id).toBe(run.id);

    const orphans = await t.call('finance', 'GET', `/api/import-anomalies?run_id=${first.run_id}&kind=orphan_order`);
    expect(orphans.status).toBe(200);
    expect(orphans.headers.get('x-total-count')).toBe('2');
    const rows = (await orphans.json()) as { kind: string; collection: string; legacy_id: string; detail: { customer_id: string } }[];
    expect(rows.every((r) => r.kind === 'orphan_order' && r.collection === 'orders' && r.legacy_id && r.detail.customer_id)).toBe(true);
    const dup = await t.call('finance', 'GET', `/api/import-anomalies?run_id=${first.run_id}&kind=duplicate_delivery_mark&kind=phantom_delivery`);
    expect(dup.headers.get('x-total-count')).toBe(String(expected.anomalies.duplicate_delivery_marks + expected.anomalies.phantom_deliveries));
    expect((await t.call('finance', 'GET', '/api/import-anomalies?kind=nonsense')).status).toBe(400);
    expect((await t.call('finance', 'GET', '/api/import-anomalies?colour=red')).status).toBe(400);
  });

  it("the month's invoice run bills exactly the recovered revenue and nothing the old system billed", async () => {
    const db = t.database.db;
    // What the run picks up is the unbilled, non-legacy billing records of January.
    const [r] = await query<{ taxable: number }>(db, sql`select coalesce(sum(taxable_paise), 0)::int as taxable from billing_records where invoice_id is null and not legacy_billed and service_date between '2026-01-01' and '2026-01-31'`);
    expect(Number(r.taxable)).toBe(first.backfill.amount_paise);
    const run = await runInvoices(serviceCtx(db, t.userIds.finance), { month: '2026-01' });
    expect(run.status).toBe('completed');
    const [billed] = await query<{ invoices: number; value: number; total: number }>(
      db,
      sql`select count(*)::int as invoices, sum(taxable_paise + exempt_paise)::int as value, sum(total_paise)::int as total from invoices where status = 'issued' and period_start = '2026-01-01'`,
    );
    expect(Number(billed.value)).toBe(first.backfill.amount_paise);
    expect(Number(billed.total)).toBe(first.backfill.total_paise);
    const customersWithBackfill = await query<{ n: number }>(db, sql`select count(distinct customer_id)::int as n from billing_records where not legacy_billed`);
    expect(Number(billed.invoices)).toBe(Number(customersWithBackfill[0].n));
    const [left] = await query<{ unbilled: number; legacy_on_invoice: number }>(
      db,
      sql`select count(*) filter (where invoice_id is null and not legacy_billed)::int as unbilled, count(*) filter (where invoice_id is not null and legacy_billed)::int as legacy_on_invoice from billing_records`,
    );
    expect({ unbilled: Number(left.unbilled), legacy_on_invoice: Number(left.legacy_on_invoice) }).toEqual({ unbilled: 0, legacy_on_invoice: 0 });
  });
});

describe('legacy import of a damaged export', () => {
  let t: TestApp;
  let dir: string;

  beforeAll(async () => {
    t = await createTestApp();
    dir = mkdtempSync(join(tmpdir(), 'milkrun-legacy-'));
    cpSync(SAMPLE_DIR, dir, { recursive: true });
    const edit = (file: string, fn: (lines: string[]) => string[]) => {
      const path = join(dir, file);
      writeFileSync(path, `${fn(readFileSync(path, 'utf8').trimEnd().split('\n')).join('\n')}\n`);
    };
    // A customer whose phone cannot be read; a truncated order line; a product priced in fractions of a paisa.
    edit('customers_v2.json', (ls) => ls.map((l) => (l.includes('15a45e89e87451e0091efccb') ? l.replace('"+91 61846 76058"', '"12345"') : l)));
    edit('orders.json', (ls) => [...ls, '{"_id":{"$oid":"aaaaaaaaaaaaaaaaaaaaaaaa"},"id":"broken-', 'not json at all']);
    edit('products.json', (ls) => [...ls, '{"_id":{"$oid":"bbbbbbbbbbbbbbbbbbbbbbbb"},"id":"6f1c7a54-9a0e-4a6e-9d7e-0a0b0c0d0e0f","name":"Odd Cheese","price":"12.345","unit":"200g","category":"dairy"}']);
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await t.close();
  });

  it('rejects what it cannot read, with collection, _id and reason, and imports the rest', async () => {
    const report = await importLegacy(serviceCtx(t.database.db), { dir });
    expectBalanced(report);
    const find = (collection: string, id: string | null) => report.rejected.find((r) => r.collection === collection && r.legacy_id === id);
    expect(find('customers_v2', '15a45e89e87451e0091efccb')?.reason).toMatch(/phone "12345" is not an Indian mobile number/);
    expect(find('orders', 'aaaaaaaaaaaaaaaaaaaaaaaa')?.reason).toMatch(/not valid JSON/);
    expect(find('orders', null)?.reason).toMatch(/line 637 is not valid JSON/);
    expect(find('products', 'bbbbbbbbbbbbbbbbbbbbbbbb')?.reason).toMatch(/fraction of a paisa/);
    // The rejected customer's subscription and orders go with it, each saying why.
    const ofCustomer = report.rejected.filter((r) => r.collection === 'orders' && /customer 9ec6d2c3-bf75-4cd3-84d5-0c56d5d3be64 was not imported/.test(r.reason));
    expect(ofCustomer.length).toBeGreaterThan(0);
    expect(report.rejected.some((r) => r.collection === 'subscriptions_v2' && /was rejected/.test(r.reason))).toBe(true);
    expect(report.counts.orders.read).toBe(637);
    expect(report.counts.orders.imported).toBe(633 - ofCustomer.length);
    expect(report.counts.customers_v2).toMatchObject({ read: 30, imported: 29, rejected: 1 });
    const counts = await rowCounts(t.database.db);
    expect(counts).toMatchObject({ customers: 29, orders: 633 - ofCustomer.length, products: 10 });
    const [anomalies] = await query<{ n: number }>(t.database.db, sql`select count(*)::int as n from import_anomalies where kind = 'rejected_document' and run_id = ${report.run_id}`);
    expect(Number(anomalies.n)).toBe(report.rejected_total);
    const [doc] = await query<{ collection: string; detail: { reason: string } }>(t.database.db, sql`select collection, detail from import_anomalies where kind = 'rejected_document' and legacy_id = '15a45e89e87451e0091efccb'`);
    expect(doc.collection).toBe('customers_v2');
    expect(doc.detail.reason).toMatch(/phone/);
    expect(Object.values(await brokenLinks(t.database.db)).every((n) => n === 0)).toBe(true);
  });
});

describe('two legacy imports at once', { tags: ['race'] }, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('import every document once: the legacy_ids claims settle the race', async () => {
    // Small batches, so the two runs claim the same documents while the other's batch is still open.
    const [a, b] = await Promise.all([importLegacy(serviceCtx(t.database.db), { dir: SAMPLE_DIR, batchSize: 40 }), importLegacy(serviceCtx(t.database.db), { dir: SAMPLE_DIR, batchSize: 40 })]);
    for (const c of ['products', 'customers_v2', 'subscriptions_v2', 'orders'] as const) {
      expect(a.counts[c].imported + b.counts[c].imported, c).toBe(a.counts[c].imported + a.counts[c].already_imported + a.counts[c].linked_existing);
    }
    expect(a.counts.orders.imported + a.counts.orders.already_imported).toBe(633);
    expect(b.counts.orders.imported + b.counts.orders.already_imported).toBe(633);
    expect(a.backfill.amount_paise + b.backfill.amount_paise).toBe(expected.anomalies.unbilled_delivered_one_time_paise);
    expect(await rowCounts(t.database.db)).toMatchObject({ customers: 30, products: 10, staff: 3, subscriptions: 21, orders: 633, deliveries: 633 });
    const [dupes] = await query<{ n: number }>(t.database.db, sql`select count(*)::int as n from (select collection, legacy_oid from legacy_ids group by 1, 2 having count(*) > 1) d`);
    expect(Number(dupes.n)).toBe(0);
  });
});
