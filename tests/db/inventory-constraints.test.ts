import { sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createUser } from '../../seeds/users.js';
import { freshDatabase } from '../helpers/app.js';
import { fixtureName, makeProduct, makeStaff, sqlRows } from '../helpers/chain-fixtures.js';
import { refusedBy } from '../helpers/refused.js';

// The inventory ledger and purchase orders written around the API with raw SQL: each rule refuses the write, by name.

let database: Awaited<ReturnType<typeof freshDatabase>>;
const db = () => database.db;
const one = async <T = Record<string, any>>(q: SQL) => (await sqlRows<T>(db(), q))[0];
const run = (q: SQL) => db().execute(q);
const NOBODY = '00000000-0000-4000-8000-000000000000';

let depotA: string;
let depotB: string;
let product: string;
let other: string;
let staffId: string;
let alice: string;
let bob: string;
let supplier: string;

const batch = async (code = fixtureName('B'), p = product, d = depotA, expiry = '2031-01-31') =>
  (await one<{ id: string }>(sql`insert into stock_batches (product_id, depot_id, batch_code, expiry_date) values (${p}, ${d}, ${code}, ${expiry}) returning id`)).id;
const adjust = (b: string, qty: number, p = product, d = depotA) =>
  run(sql`insert into stock_movements (kind, product_id, depot_id, batch_id, quantity, reason) values ('adjustment', ${p}, ${d}, ${b}, ${qty}, 'counted')`);
const qtyOf = async (b: string) => (await one<{ quantity: number }>(sql`select quantity from stock_batches where id = ${b}`)).quantity;

beforeAll(async () => {
  database = await freshDatabase();
  depotA = (await one<{ id: string }>(sql`insert into depots (name, city, lat, lng) values ('North', 'Bengaluru', 13.02, 77.52) returning id`)).id;
  depotB = (await one<{ id: string }>(sql`insert into depots (name, city, lat, lng) values ('South', 'Bengaluru', 12.81, 77.69) returning id`)).id;
  product = (await makeProduct(db())).id;
  other = (await makeProduct(db())).id;
  staffId = (await makeStaff(db())).staff.id;
  alice = await createUser(db(), { email: 'alice-inv@milkrun.test', name: 'Alice', password: 'milkrun-test', roles: ['manager'] });
  bob = await createUser(db(), { email: 'bob-inv@milkrun.test', name: 'Bob', password: 'milkrun-test', roles: ['manager'] });
  supplier = (await one<{ id: string }>(sql`insert into suppliers (name, gstin) values ('Nandini', '29AAACK1234A1Z5') returning id`)).id;
});
afterAll(() => database?.drop());

describe('suppliers and what they sell', () => {
  test('a supplier has a unique well-formed GSTIN and a unique name', async () => {
    expect(await refusedBy(run(sql`insert into suppliers (name, gstin) values ('Other', '29AAACK1234A1Z5')`))).toBe('suppliers_gstin_key');
    expect(await refusedBy(run(sql`insert into suppliers (name, gstin) values ('NANDINI', '29AAACK1234A2Z5')`))).toBe('suppliers_name_key');
    expect(await refusedBy(run(sql`insert into suppliers (name, gstin) values (' ', '29AAACK1234A3Z5')`))).toBe('suppliers_name_not_blank');
    expect(await refusedBy(run(sql`insert into suppliers (name, gstin) values ('Lower', '29aaack1234a3z5')`))).toBe('suppliers_gstin_format');
  });

  test('a supplier lists a real product once, with a sane price, lead time and pack; one preferred supplier per product', async () => {
    const s2 = (await one<{ id: string }>(sql`insert into suppliers (name, gstin) values ('Heritage', '36AAACH1234A1Z5') returning id`)).id;
    const offer = (s: string, p: string, extra: SQL = sql`100, 1, 12, false`) =>
      run(sql`insert into supplier_products (supplier_id, product_id, price_paise, lead_time_days, pack_size, is_preferred) values (${s}, ${p}, ${extra})`);
    await offer(supplier, product, sql`2400, 1, 12, true`);
    expect(await refusedBy(offer(supplier, product))).toBe('supplier_products_supplier_product_key');
    expect(await refusedBy(offer(s2, product, sql`2300, 1, 12, true`))).toBe('supplier_products_one_preferred');
    expect(await refusedBy(offer(NOBODY, other))).toBe('supplier_products_supplier_id_fk');
    expect(await refusedBy(offer(s2, NOBODY))).toBe('supplier_products_product_id_fk');
    expect(await refusedBy(offer(s2, other, sql`-1, 1, 12, false`))).toBe('supplier_products_price_nonnegative');
    expect(await refusedBy(offer(s2, other, sql`100, 61, 12, false`))).toBe('supplier_products_lead_time_valid');
    expect(await refusedBy(offer(s2, other, sql`100, 1, 0, false`))).toBe('supplier_products_pack_size_positive');
    // A product a supplier sells cannot be deleted from under the listing.
    expect(await refusedBy(run(sql`delete from products where id = ${product}`))).toBe('supplier_products_product_id_fk');
  });

  test('safety stock is per real product and not negative', async () => {
    expect(await refusedBy(run(sql`insert into safety_stocks (product_id, quantity) values (${product}, -1)`))).toBe('safety_stocks_quantity_nonnegative');
    expect(await refusedBy(run(sql`insert into safety_stocks (product_id, quantity) values (${NOBODY}, 1)`))).toBe('safety_stocks_product_id_fk');
  });
});

describe('the stock ledger', () => {
  test('a batch starts empty, moves only with its ledger, and never goes below zero', async () => {
    const b = await batch();
    expect(await refusedBy(run(sql`insert into stock_batches (product_id, depot_id, batch_code, expiry_date, quantity) values (${product}, ${depotA}, 'FULL', '2031-01-01', 5)`))).toBe('stock_batches_quantity_from_ledger');
    await adjust(b, 10);
    expect(await qtyOf(b)).toBe(10);
    expect(await refusedBy(run(sql`update stock_batches set quantity = 99 where id = ${b}`))).toBe('stock_batches_quantity_from_ledger');
    expect(await refusedBy(adjust(b, -11))).toBe('stock_batches_quantity_nonnegative');
    expect(await qtyOf(b)).toBe(10);
    await adjust(b, -10);
    expect(await qtyOf(b)).toBe(0);
    // Stock equals the ledger: the batch's quantity is the sum of its lines (kept by 'stock_movements_keeps_totals').
    const sum = await one<{ s: number }>(sql`select coalesce(sum(quantity), 0)::int as s from stock_movements where batch_id = ${b}`);
    expect(sum.s).toBe(0);
  });

  test('a batch keeps its product, depot and code; codes are unique per product and depot; it needs a code', async () => {
    const b = await batch('KEEP-1');
    expect(await refusedBy(run(sql`update stock_batches set batch_code = 'OTHER' where id = ${b}`))).toBe('stock_batches_identity_fixed');
    expect(await refusedBy(batch('KEEP-1'))).toBe('stock_batches_code_key');
    expect(await refusedBy(batch(' '))).toBe('stock_batches_code_valid');
    expect(await refusedBy(batch('X', NOBODY))).toBe('stock_batches_product_id_fk');
    expect(await refusedBy(batch('X', product, NOBODY))).toBe('stock_batches_depot_id_fk');
    // stock_batches_id_product_depot_key is the target of stock_movements_batch_fk (the primary key trips first).
    const target = await one<{ conname: string }>(
      sql`select t.conname from pg_constraint f join pg_constraint t on t.conindid = f.conindid and t.contype = 'u' where f.conname = 'stock_movements_batch_fk'`,
    );
    expect(target.conname).toBe('stock_batches_id_product_depot_key');
  });

  test('the ledger is append-only: no update, no delete', async () => {
    const b = await batch();
    await adjust(b, 4);
    const m = await one<{ id: string }>(sql`select id from stock_movements where batch_id = ${b}`);
    expect(await refusedBy(run(sql`update stock_movements set quantity = 40 where id = ${m.id}`))).toBe('stock_movements_append_only');
    expect(await refusedBy(run(sql`delete from stock_movements where id = ${m.id}`))).toBe('stock_movements_append_only');
    expect(await qtyOf(b)).toBe(4);
  });

  test("a line is on its batch's product and depot (it cannot be rebound to another's batch)", async () => {
    const b = await batch();
    expect(await refusedBy(adjust(b, 1, other))).toBe('stock_movements_batch_fk');
    expect(await refusedBy(adjust(b, 1, product, depotB))).toBe('stock_movements_batch_fk');
  });

  test('signs, reasons, runs, receipts and transfers are stated by kind', async () => {
    const b = await batch();
    await adjust(b, 20);
    const line = (cols: SQL) => run(sql`insert into stock_movements (kind, product_id, depot_id, batch_id, quantity, reason, run_date, run_shift, staff_id, purchase_order_line_id, transfer_id, created_by) values ${cols}`);
    expect(await refusedBy(line(sql`('dispatch', ${product}, ${depotA}, ${b}, 3, '', '2030-01-01', 'morning', ${staffId}, null, null, null)`))).toBe('stock_movements_sign_by_kind');
    expect(await refusedBy(line(sql`('adjustment', ${product}, ${depotA}, ${b}, 0, 'counted', null, null, null, null, null, null)`))).toBe('stock_movements_sign_by_kind');
    expect(await refusedBy(line(sql`('wastage', ${product}, ${depotA}, ${b}, -1, '', null, null, null, null, null, null)`))).toBe('stock_movements_reason_given');
    expect(await refusedBy(line(sql`('dispatch', ${product}, ${depotA}, ${b}, -1, '', '2030-01-01', 'morning', null, null, null, null)`))).toBe('stock_movements_run_given');
    expect(await refusedBy(line(sql`('spoilage', ${product}, ${depotA}, ${b}, -1, 'sour', '2030-01-01', 'morning', ${staffId}, null, null, null)`))).toBe('stock_movements_run_given');
    expect(await refusedBy(line(sql`('dispatch', ${product}, ${depotA}, ${b}, -1, '', '2030-01-01', 'morning', ${NOBODY}, null, null, null)`))).toBe('stock_movements_staff_id_fk');
    expect(await refusedBy(line(sql`('receipt', ${product}, ${depotA}, ${b}, 1, '', null, null, null, null, null, null)`))).toBe('stock_movements_receipt_has_line');
    expect(await refusedBy(line(sql`('receipt', ${product}, ${depotA}, ${b}, 1, '', null, null, null, ${NOBODY}, null, null)`))).toBe('stock_movements_po_line_fk');
    expect(await refusedBy(line(sql`('transfer_out', ${product}, ${depotA}, ${b}, -1, '', null, null, null, null, null, null)`))).toBe('stock_movements_transfer_has_id');
    expect(await refusedBy(line(sql`('wastage', ${product}, ${depotA}, ${b}, -1, 'dropped crate', null, null, null, null, null, ${NOBODY})`))).toBe('stock_movements_created_by_fk');
    await line(sql`('dispatch', ${product}, ${depotA}, ${b}, -5, '', '2030-01-01', 'morning', ${staffId}, null, null, ${alice})`);
    expect(await qtyOf(b)).toBe(15);
  });

  test('a transfer is balanced at commit: out of one depot, into another, same product and quantity', async () => {
    const from = await batch();
    await adjust(from, 10);
    const to = await batch(fixtureName('T'), product, depotB);
    const transfer = async (inQty: number, toBatch = to, toDepot = depotB) =>
      db().transaction(async (tx) => {
        const t = sql`gen_random_uuid()`;
        const [{ id }] = await sqlRows<{ id: string }>(tx as never, sql`select ${t} as id`);
        await tx.execute(sql`insert into stock_movements (kind, product_id, depot_id, batch_id, quantity, transfer_id) values ('transfer_out', ${product}, ${depotA}, ${from}, -4, ${id})`);
        await tx.execute(sql`insert into stock_movements (kind, product_id, depot_id, batch_id, quantity, transfer_id) values ('transfer_in', ${product}, ${toDepot}, ${toBatch}, ${inQty}, ${id})`);
      });
    expect(await refusedBy(transfer(3))).toBe('stock_movements_transfer_balanced');
    expect(await refusedBy(transfer(4, await batch(fixtureName('S')), depotA))).toBe('stock_movements_transfer_balanced');
    expect(await qtyOf(from)).toBe(10);
    await transfer(4);
    expect([await qtyOf(from), await qtyOf(to)]).toEqual([6, 4]);
  });
});

describe('purchase orders', () => {
  const po = async (by = alice) => (await one<{ id: string }>(sql`insert into purchase_orders (supplier_id, depot_id, created_by) values (${supplier}, ${depotA}, ${by}) returning id`)).id;
  const addLine = (o: string, p = product, qty = 12, price = 2400) =>
    run(sql`insert into purchase_order_lines (purchase_order_id, product_id, quantity, unit_price_paise) values (${o}, ${p}, ${qty}, ${price})`);

  test('references and amounts are checked', async () => {
    expect(await refusedBy(run(sql`insert into purchase_orders (supplier_id, depot_id, created_by) values (${NOBODY}, ${depotA}, ${alice})`))).toBe('purchase_orders_supplier_id_fk');
    expect(await refusedBy(run(sql`insert into purchase_orders (supplier_id, depot_id, created_by) values (${supplier}, ${NOBODY}, ${alice})`))).toBe('purchase_orders_depot_id_fk');
    expect(await refusedBy(run(sql`insert into purchase_orders (supplier_id, depot_id, created_by) values (${supplier}, ${depotA}, ${NOBODY})`))).toBe('purchase_orders_created_by_fk');
    expect(await refusedBy(run(sql`insert into purchase_orders (supplier_id, depot_id, created_by, total_paise) values (${supplier}, ${depotA}, ${alice}, -1)`))).toBe('purchase_orders_total_nonnegative');
    expect(await refusedBy(run(sql`insert into purchase_orders (supplier_id, depot_id, created_by, status) values (${supplier}, ${depotA}, ${alice}, 'sent')`))).toBe('purchase_orders_status_flow');
    const o = await po();
    const n = await one<{ number: number }>(sql`select number from purchase_orders where id = ${o}`);
    expect(await refusedBy(run(sql`insert into purchase_orders (number, supplier_id, depot_id, created_by) overriding system value values (${n.number}, ${supplier}, ${depotA}, ${alice})`))).toBe('purchase_orders_number_key');
    await addLine(o);
    expect(await refusedBy(addLine(o))).toBe('purchase_order_lines_product_key');
    expect(await refusedBy(addLine(o, other, 0))).toBe('purchase_order_lines_quantity_positive');
    expect(await refusedBy(addLine(o, other, 1, -5))).toBe('purchase_order_lines_price_nonnegative');
    expect(await refusedBy(addLine(o, NOBODY))).toBe('purchase_order_lines_product_id_fk');
    expect(await refusedBy(addLine(NOBODY))).toBe('purchase_order_lines_order_fk');
  });

  test('the approver is someone else; states move forward only; lines freeze once approved', async () => {
    const o = await po();
    await addLine(o);
    expect(await refusedBy(run(sql`update purchase_orders set status = 'approved', approved_by = ${alice}, approved_at = now() where id = ${o}`))).toBe('purchase_orders_approver_differs');
    expect(await refusedBy(run(sql`update purchase_orders set status = 'approved' where id = ${o}`))).toBe('purchase_orders_approval_consistent');
    expect(await refusedBy(run(sql`update purchase_orders set status = 'approved', approved_by = ${NOBODY}, approved_at = now() where id = ${o}`))).toBe('purchase_orders_approved_by_fk');
    expect(await refusedBy(run(sql`update purchase_orders set status = 'sent', approved_by = ${bob}, approved_at = now() where id = ${o}`))).toBe('purchase_orders_status_flow');
    await run(sql`update purchase_orders set status = 'approved', approved_by = ${bob}, approved_at = now() where id = ${o}`);
    expect(await refusedBy(run(sql`update purchase_order_lines set quantity = 24 where purchase_order_id = ${o}`))).toBe('purchase_order_lines_frozen');
    expect(await refusedBy(addLine(o, other))).toBe('purchase_order_lines_frozen');
    expect(await refusedBy(run(sql`update purchase_order_lines set quantity_accepted = 1 where purchase_order_id = ${o}`))).toBe('purchase_order_lines_frozen');
    expect(await refusedBy(run(sql`update purchase_orders set status = 'cancelled' where id = ${o}`))).toBe('purchase_orders_cancel_consistent');
    expect(await refusedBy(run(sql`update purchase_orders set depot_id = ${depotB} where id = ${o}`))).toBe('purchase_orders_status_flow');
    expect(await refusedBy(run(sql`delete from purchase_orders where id = ${o}`))).toBe('purchase_orders_status_flow');
    await run(sql`update purchase_orders set status = 'sent', sent_at = now() where id = ${o}`);
    expect(await refusedBy(run(sql`update purchase_orders set status = 'draft' where id = ${o}`))).toBe('purchase_orders_status_flow');
  });

  test('receiving: never more than ordered, never undone, and a receipt is of its line at the order depot', async () => {
    const o = await po();
    await addLine(o, product, 12);
    const l = await one<{ id: string }>(sql`select id from purchase_order_lines where purchase_order_id = ${o}`);
    const b = await batch();
    const receipt = (qty: number, p = product, d = depotA, bb = b) =>
      run(sql`insert into stock_movements (kind, product_id, depot_id, batch_id, quantity, purchase_order_line_id) values ('receipt', ${p}, ${d}, ${bb}, ${qty}, ${l.id})`);
    // Not yet sent: no goods against it.
    expect(await refusedBy(receipt(1))).toBe('stock_movements_receipt_matches_order');
    await run(sql`update purchase_orders set status = 'approved', approved_by = ${bob}, approved_at = now() where id = ${o}`);
    await run(sql`update purchase_orders set status = 'sent', sent_at = now() where id = ${o}`);
    await run(sql`update purchase_order_lines set quantity_accepted = 10, quantity_rejected = 1 where id = ${l.id}`);
    await receipt(10);
    expect(await qtyOf(b)).toBe(10);
    expect(await refusedBy(run(sql`update purchase_order_lines set quantity_accepted = 12 where id = ${l.id}`))).toBe('purchase_order_lines_not_over_received');
    expect(await refusedBy(run(sql`update purchase_order_lines set quantity_accepted = 9 where id = ${l.id}`))).toBe('purchase_order_lines_frozen');
    // Rebinding a receipt to another product's or depot's batch is refused.
    const elsewhere = await batch(fixtureName('E'), product, depotB);
    expect(await refusedBy(receipt(1, product, depotB, elsewhere))).toBe('stock_movements_receipt_matches_order');
  });
});
