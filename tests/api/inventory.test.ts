import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Ctx } from '../../api/lib/context.js';
import { writeOffExpired } from '../../api/modules/inventory/stock.service.js';
import { systemCtx } from '../../seeds/history.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { makeProduct, makeStaff, makeZone } from '../helpers/chain-fixtures.js';
import { auditRowsOf, countOf, expectJson, expectProblem, rows } from './support.js';

// Depots, suppliers, the stock ledger through the API (FEFO, refusals that write nothing, races) and purchase orders.

let t: TestApp;
let ctx: Ctx;
let north: { id: string };
let south: { id: string };
let staffId: string;
const db = () => t.database.db;

beforeAll(async () => {
  t = await createTestApp();
  ctx = await systemCtx(db(), t.userIds.admin);
  north = await expectJson(await t.call('admin', 'POST', '/api/depots', { name: 'North depot', city: 'Bengaluru', lat: 13.02, lng: 77.52 }), 201);
  south = await expectJson(await t.call('admin', 'POST', '/api/depots', { name: 'South depot', city: 'Bengaluru', lat: 12.81, lng: 77.69 }), 201);
  staffId = (await makeStaff(db())).staff.id;
});
afterAll(() => t?.close());

const qtyAt = (productId: string, depotId: string) =>
  countOf(db(), sql`select coalesce(sum(quantity), 0) as n from stock_batches where product_id = ${productId} and depot_id = ${depotId}`);
const movements = (productId: string) => countOf(db(), sql`select count(*) as n from stock_movements where product_id = ${productId}`);
const found = (productId: string, depotId: string, qty: number, code: string, expiry: string) =>
  t.call('manager', 'POST', '/api/stock-movements', { kind: 'adjustment', product_id: productId, depot_id: depotId, quantity: qty, reason: 'Opening count', batch_code: code, expiry_date: expiry });
const dispatch = (productId: string, qty: number, depotId = north.id) =>
  t.call('manager', 'POST', '/api/stock-movements', { kind: 'dispatch', product_id: productId, depot_id: depotId, quantity: qty, run_date: '2030-01-10', shift: 'morning', staff_id: staffId });

describe('depots', () => {
  test('a depot takes zones (moving them from their old depot), with an audit row', async () => {
    const zone = await makeZone(db());
    const d = await expectJson(await t.call('manager', 'PATCH', `/api/depots/${north.id}`, { zone_ids: [zone.id] }), 200);
    expect(d.zone_ids).toEqual([zone.id]);
    await expectJson(await t.call('manager', 'PATCH', `/api/depots/${south.id}`, { zone_ids: [zone.id] }), 200);
    const [z] = await rows<{ depot_id: string }>(db(), sql`select depot_id from zones where id = ${zone.id}`);
    expect(z.depot_id).toBe(south.id);
    expect((await auditRowsOf(db(), south.id)).map((a) => a.action)).toContain('update');
    await expectProblem(await t.call('manager', 'POST', '/api/depots', { name: 'london', city: 'London', lat: 51.5, lng: -0.1 }), 400);
    await expectProblem(await t.call('manager', 'POST', '/api/depots', { name: 'NORTH DEPOT', city: 'Bengaluru', lat: 13, lng: 77.5 }), 409, 'depot_name_taken');
    await expectProblem(await t.call('support', 'GET', '/api/depots'), 403);
  });
});

describe('suppliers', () => {
  test('a GSTIN is validated (check character too); products with price, lead time, pack; one preferred supplier per product', async () => {
    const p = await makeProduct(db());
    const bad = await expectProblem(await t.call('manager', 'POST', '/api/suppliers', { name: 'Typo Dairy', gstin: '29AAACK1234A1Z4' }), 400);
    expect(bad.message).toContain('check character');
    const offer = { product_id: p.id, price_paise: 2300, lead_time_days: 1, pack_size: 12, pack_label: 'crate of 12', is_preferred: true };
    const s = await expectJson(await t.call('manager', 'POST', '/api/suppliers', { name: 'Nandini Dairy', gstin: '29aaack1234a1z6', products: [offer] }), 201);
    expect(s.gstin).toBe('29AAACK1234A1Z6');
    expect(s.products).toMatchObject([{ product_id: p.id, pack_size: 12, is_preferred: true }]);
    const { gstinCheckCharacter } = await import('../../shared/supplier.js');
    const second = await expectProblem(await t.call('manager', 'POST', '/api/suppliers', { name: 'Heritage', gstin: `36AAACH1234A1Z${gstinCheckCharacter('36AAACH1234A1Z')}`, products: [offer] }), 409, 'preferred_supplier_taken');
    expect(second.message).toContain('already preferred');
    expect(await countOf(db(), sql`select count(*) as n from suppliers where name = 'Heritage'`)).toBe(0);
  });
});

describe('the stock ledger', () => {
  test('a dispatch beyond stock is a 409 saying how much is there, and writes nothing', async () => {
    const p = await makeProduct(db());
    await expectJson(await found(p.id, north.id, 10, 'B-1', '2030-02-01'), 201);
    const before = await movements(p.id);
    const body = await expectProblem(await dispatch(p.id, 11), 409, 'insufficient_stock');
    expect(body.message).toMatch(/^Only 10 of /);
    expect(body.available).toBe(10);
    expect(await movements(p.id)).toBe(before);
    expect(await qtyAt(p.id, north.id)).toBe(10);
  });

  test('a dispatch takes the batches that expire first (FEFO), skipping expired ones', async () => {
    const p = await makeProduct(db());
    await found(p.id, north.id, 5, 'LATE', '2030-03-01');
    await found(p.id, north.id, 4, 'EARLY', '2030-01-20');
    await found(p.id, north.id, 9, 'GONE', '2030-01-05');
    const out = await expectJson(await dispatch(p.id, 6), 201);
    expect(out.lines.map((l: any) => [l.batch_code, l.quantity])).toEqual([['EARLY', -4], ['LATE', -2]]);
    const left = await rows<{ batch_code: string; quantity: number }>(db(), sql`select batch_code, quantity from stock_batches where product_id = ${p.id} order by batch_code`);
    expect(left).toEqual([{ batch_code: 'EARLY', quantity: 0 }, { batch_code: 'GONE', quantity: 9 }, { batch_code: 'LATE', quantity: 3 }]);
    // Returned goods go back into the batch the run took them from.
    const back = await expectJson(await t.call('manager', 'POST', '/api/stock-movements', { kind: 'return', product_id: p.id, depot_id: north.id, quantity: 1, run_date: '2030-01-10', shift: 'morning', staff_id: staffId }), 201);
    expect(back.batch_code).toBe('LATE');
  });

  test('two dispatches of the last crates at once: one wins, the other is a 409, stock ends at zero', { tags: ['race'] }, async () => {
    const p = await makeProduct(db());
    await found(p.id, north.id, 12, 'LAST', '2030-02-01');
    const answers = await Promise.all([dispatch(p.id, 12), dispatch(p.id, 12)]);
    expect(answers.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(await qtyAt(p.id, north.id)).toBe(0);
    expect(await countOf(db(), sql`select count(*) as n from stock_movements where product_id = ${p.id} and kind = 'dispatch'`)).toBe(1);
  });

  test('a transfer writes two lines in one go and moves the batch to the other depot; wastage needs a reason', async () => {
    const p = await makeProduct(db());
    await found(p.id, north.id, 8, 'TR-1', '2031-01-01');
    const out = await expectJson(await t.call('manager', 'POST', '/api/stock-movements', { kind: 'transfer', product_id: p.id, depot_id: north.id, to_depot_id: south.id, quantity: 3 }), 201);
    expect(out.lines.map((l: any) => [l.kind, l.depot_id, l.quantity])).toEqual([['transfer_out', north.id, -3], ['transfer_in', south.id, 3]]);
    expect([await qtyAt(p.id, north.id), await qtyAt(p.id, south.id)]).toEqual([5, 3]);
    await expectProblem(await t.call('manager', 'POST', '/api/stock-movements', { kind: 'wastage', product_id: p.id, depot_id: north.id, quantity: 1 }), 400);
    await expectJson(await t.call('manager', 'POST', '/api/stock-movements', { kind: 'spoilage', product_id: p.id, depot_id: north.id, quantity: 1, reason: 'Cold chain broke' }), 201);
    expect(await qtyAt(p.id, north.id)).toBe(4);
    const list = await t.call('manager', 'GET', `/api/stock-movements?product_id=${p.id}&_start=0&_end=10`);
    expect(Number(list.headers.get('x-total-count'))).toBe(4);
    const stock = await expectJson<any[]>(await t.call('manager', 'GET', `/api/stock?product_id=${p.id}`), 200);
    expect(stock.map((s) => [s.depot_id, s.quantity])).toEqual([[north.id, 4], [south.id, 3]]);
  });

  test('the expiry job writes off expired batches once, a ledger line each', async () => {
    const p = await makeProduct(db());
    await found(p.id, south.id, 7, 'OLD', '2030-01-01');
    await found(p.id, south.id, 2, 'FRESH', '2030-06-01');
    const first = await writeOffExpired(ctx, '2030-01-02');
    expect(first.units).toBeGreaterThanOrEqual(7);
    const again = await writeOffExpired(ctx, '2030-01-02');
    expect(again).toEqual({ batches: 0, units: 0 });
    const lines = await rows<{ batch_code: string; quantity: number }>(
      db(),
      sql`select b.batch_code, m.quantity from stock_movements m join stock_batches b on b.id = m.batch_id where m.product_id = ${p.id} and m.kind = 'expiry'`,
    );
    expect(lines).toEqual([{ batch_code: 'OLD', quantity: -7 }]);
    expect(await qtyAt(p.id, south.id)).toBe(2);
  });
});

describe('purchase orders', () => {
  async function sentOrder(quantity = 24) {
    const p = await makeProduct(db());
    const gst = `29AAACP${String(1000 + Math.floor(Math.random() * 8999))}A1Z`;
    const { gstinCheckCharacter } = await import('../../shared/supplier.js');
    const s = await expectJson(await t.call('admin', 'POST', '/api/suppliers', { name: `Supplier ${gst}`, gstin: gst + gstinCheckCharacter(gst), products: [{ product_id: p.id, price_paise: 2000, pack_size: 12 }] }), 201);
    const po = await expectJson(await t.call('manager', 'POST', '/api/purchase-orders', { supplier_id: s.id, depot_id: north.id, lines: [{ product_id: p.id, quantity }] }), 201);
    expect(po).toMatchObject({ status: 'draft', total_paise: quantity * 2000 });
    return { p, s, po };
  }

  test('draft -> approved by someone else -> sent -> received; stock rises; the PDF is a PDF', async () => {
    const { p, po } = await sentOrder();
    const own = await expectProblem(await t.call('manager', 'POST', `/api/purchase-orders/${po.id}/approve`), 409, 'same_approver');
    expect(own.message).toContain('cannot approve');
    await expectProblem(await t.call('admin', 'POST', `/api/purchase-orders/${po.id}/send`), 409, 'po_status_flow');
    await expectJson(await t.call('admin', 'POST', `/api/purchase-orders/${po.id}/approve`), 200);
    await expectJson(await t.call('manager', 'POST', `/api/purchase-orders/${po.id}/send`), 200);
    const part = await expectJson(await t.call('manager', 'POST', `/api/purchase-orders/${po.id}/receive`, { lines: [{ product_id: p.id, quantity_accepted: 10, quantity_rejected: 2, batch_code: 'PO-B1', expiry_date: '2030-02-01' }] }), 200);
    expect(part.status).toBe('partially_received');
    expect(await qtyAt(p.id, north.id)).toBe(10);
    const over = await expectProblem(await t.call('manager', 'POST', `/api/purchase-orders/${po.id}/receive`, { lines: [{ product_id: p.id, quantity_accepted: 13, batch_code: 'PO-B2', expiry_date: '2030-02-02' }] }), 409, 'over_received');
    expect(over.message).toContain('12 of 24 still to receive');
    const done = await expectJson(await t.call('manager', 'POST', `/api/purchase-orders/${po.id}/receive`, { lines: [{ product_id: p.id, quantity_accepted: 12, batch_code: 'PO-B2', expiry_date: '2030-02-02' }] }), 200);
    expect(done.status).toBe('received');
    expect(await qtyAt(p.id, north.id)).toBe(22);
    await expectProblem(await t.call('manager', 'POST', `/api/purchase-orders/${po.id}/cancel`, { reason: 'Too late' }), 409, 'po_status_flow');
    const pdf = await t.call('finance', 'GET', `/api/purchase-orders/${po.id}/pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
    await expectProblem(await t.call('finance', 'POST', `/api/purchase-orders/${po.id}/approve`), 403);
  });

  test('two people receiving the same order at once: one receipt, the other a 409, stock counted once', { tags: ['race'] }, async () => {
    const { p, po } = await sentOrder(12);
    await expectJson(await t.call('admin', 'POST', `/api/purchase-orders/${po.id}/approve`), 200);
    await expectJson(await t.call('admin', 'POST', `/api/purchase-orders/${po.id}/send`), 200);
    const body = { lines: [{ product_id: p.id, quantity_accepted: 12, batch_code: 'RACE-1', expiry_date: '2030-02-01' }] };
    const answers = await Promise.all([t.call('manager', 'POST', `/api/purchase-orders/${po.id}/receive`, body), t.call('admin', 'POST', `/api/purchase-orders/${po.id}/receive`, body)]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(await qtyAt(p.id, north.id)).toBe(12);
    expect(await countOf(db(), sql`select count(*) as n from stock_movements where product_id = ${p.id} and kind = 'receipt'`)).toBe(1);
  });
});
