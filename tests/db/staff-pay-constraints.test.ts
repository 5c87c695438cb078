import { sql, type SQL } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Ctx } from '../../api/lib/context.js';
import { addDays, todayIST } from '../../api/lib/dates.js';
import { pgErrorOf } from '../../api/lib/errors.js';
import { confirmDelivery, failDelivery } from '../../api/modules/deliveries/deliveries.service.js';
import { dataHealth } from '../../api/modules/health/health.service.js';
import type { Db } from '../../db/client.js';
import { createUser } from '../../seeds/users.js';
import { freshDatabase } from '../helpers/app.js';
import { makeCustomer, makeOrder, makeProduct, makeStaff, makeZone, sqlRows, type CustomerFixture, type OrderFixture } from '../helpers/chain-fixtures.js';
import { refusedBy } from '../helpers/refused.js';

// Staff pay written around the API with raw SQL: earnings lines come from the database when a delivery is settled,
// and every rule of rate cards, lines and payout batches refuses the write, by name.

let database: Awaited<ReturnType<typeof freshDatabase>>;
const db = () => database.db;
const today = todayIST();
const NOBODY = '00000000-0000-4000-8000-000000000000';
let zoneId: string;
let customer: CustomerFixture;
let milk: Awaited<ReturnType<typeof makeProduct>>;
let bread: Awaited<ReturnType<typeof makeProduct>>;
let ravi: Awaited<ReturnType<typeof makeStaff>>;
let sita: Awaited<ReturnType<typeof makeStaff>>;
let userA: string;
let userB: string;
let cardId: string;

const one = async <T = Record<string, any>>(q: SQL) => (await sqlRows<T>(db(), q))[0];
const ctx = (): Ctx => ({ db: db(), inTx: false, actor: null, requestId: 'staff-pay-constraints', log: pino({ level: 'silent' }) });

const order = (staffId: string | null = ravi.staff.id, date = today) =>
  makeOrder(db(), { customer, staff_id: staffId, delivery_date: date, items: [{ product: milk, quantity: 3 }, { product: bread, quantity: 1 }] });
const linesOf = (o: OrderFixture) =>
  sqlRows<{ id: string; type: string; amount_paise: number; staff_id: string; earned_on: string; quantity_ml: number | null; rate_card_id: string }>(
    db(),
    sql`select id, type::text, amount_paise::int, staff_id, earned_on::text, quantity_ml, rate_card_id from earnings_lines where delivery_id = ${o.delivery.id} order by type`,
  );

/** A confirmation in raw SQL, as a script would write it: the delivery, its items, their billing records, the order. */
async function confirmRaw(o: OrderFixture, at: string) {
  await db().transaction(async (tx) => {
    await tx.execute(sql`update deliveries set status = 'delivered', delivered_at = ${at}::timestamptz, delivered_on = (${at}::timestamptz at time zone 'Asia/Kolkata')::date where id = ${o.delivery.id}`);
    await tx.execute(sql`update orders set status = 'delivered' where id = ${o.order.id}`);
    await tx.execute(sql`insert into delivery_items (delivery_id, order_id, order_item_id, ordered_quantity, quantity)
      select ${o.delivery.id}, oi.order_id, oi.id, oi.quantity, oi.quantity from order_items oi where oi.order_id = ${o.order.id}`);
    await tx.execute(sql`insert into billing_records (delivery_item_id, quantity, customer_id, order_id, product_id, service_date, unit_price_paise, hsn_code, gst_rate_bp, taxable_paise, cgst_paise, sgst_paise, total_paise)
      select di.id, di.quantity, o.customer_id, o.id, oi.product_id, d.delivered_on, oi.unit_price_paise, p.hsn_code, p.gst_rate_bp,
             di.quantity * oi.unit_price_paise, 0, 0, di.quantity * oi.unit_price_paise
      from delivery_items di join order_items oi on oi.id = di.order_item_id join orders o on o.id = oi.order_id
      join products p on p.id = oi.product_id join deliveries d on d.id = di.delivery_id where di.delivery_id = ${o.delivery.id}`);
  });
}

const card = (cols: SQL) =>
  db().execute(sql`insert into rate_cards (zone_id, effective_from, effective_to, base_per_drop_paise, per_litre_paise, on_time_bonus_paise, failure_deduction_paise, failed_attempt_paise) ${cols}`);

beforeAll(async () => {
  database = await freshDatabase();
  zoneId = (await makeZone(db())).id;
  customer = await makeCustomer(db(), { zone_id: zoneId });
  milk = await makeProduct(db(), { unit_size: '500 ml', gst_rate_bp: 0 });
  bread = await makeProduct(db(), { unit: 'piece', unit_size: '400 g', hsn_code: '1905', gst_rate_bp: 0 });
  ravi = await makeStaff(db(), { zone_id: zoneId, login: true });
  sita = await makeStaff(db(), { zone_id: zoneId, login: true });
  userA = await createUser(db(), { email: 'pay-a@milkrun.test', name: 'Pay A', password: 'Another-long-pass-1', roles: ['manager'] });
  userB = await createUser(db(), { email: 'pay-b@milkrun.test', name: 'Pay B', password: 'Another-long-pass-1', roles: ['finance'] });
  // The zone's card since last month: ₹15 a drop, ₹2 a litre, ₹4 on time, ₹30 off for a staff fault, ₹6 an attempt.
  cardId = (await one<{ id: string }>(sql`insert into rate_cards (zone_id, effective_from, base_per_drop_paise, per_litre_paise, on_time_bonus_paise, failure_deduction_paise, failed_attempt_paise)
    values (${zoneId}, ${addDays(today, -40)}, 1500, 200, 400, 3000, 600) returning id`)).id;
});
afterAll(() => database?.drop());

describe('earnings lines from settled deliveries', () => {
  test('a confirmation through the service earns base and litres at the zone card (on time only inside the window)', async () => {
    // Yesterday's drop: 06:30 IST today is still in the future when the suite runs just after midnight IST.
    const day = addDays(today, -1);
    const o = await order(ravi.staff.id, day);
    await confirmDelivery(ctx(), o.delivery.id, { delivered_at: new Date(`${day}T01:00:00Z`) }); // 06:30 IST, morning run
    const lines = await linesOf(o);
    expect(lines.map((l) => [l.type, l.amount_paise, l.quantity_ml])).toEqual([
      ['base', 1500, null],
      ['litres', 300, 1500], // 3 x 500 ml = 1.5 L at ₹2
      ['on_time', 400, null],
    ]);
    expect(lines.every((l) => l.staff_id === ravi.staff.id && l.earned_on === day && l.rate_card_id === cardId)).toBe(true);
  });

  test('a raw-SQL confirmation earns too, at commit; outside the window no bonus', async () => {
    const o = await order();
    await confirmRaw(o, `${today}T04:00:00Z`); // 09:30 IST: late for the morning run
    expect((await linesOf(o)).map((l) => l.type)).toEqual(['base', 'litres']);
  });

  test('a failure earns an attempt, or a deduction when the reason is the staff\'s fault', async () => {
    const away = await order();
    await failDelivery(ctx(), away.delivery.id, { reason: 'Door locked', reason_code: 'customer_unavailable' } as never);
    expect((await linesOf(away)).map((l) => [l.type, l.amount_paise])).toEqual([['attempt', 600]]);
    const missed = await order();
    await failDelivery(ctx(), missed.delivery.id, { reason: 'Forgot the lane', reason_code: 'missed_by_staff' } as never);
    expect((await linesOf(missed)).map((l) => [l.type, l.amount_paise])).toEqual([['failure_deduction', -3000]]);
  });

  test('a reassigned delivery earns for whoever confirmed it; a zone without a card uses the default card', async () => {
    const o = await order(ravi.staff.id);
    await db().execute(sql`update deliveries set staff_id = ${sita.staff.id} where id = ${o.delivery.id}`);
    await confirmDelivery({ ...ctx(), actor: { id: sita.user!.id, email: '', name: '', roles: ['delivery_staff'], permissions: [{ resource: '*', action: '*', conditions: null }], staff_id: sita.staff.id } }, o.delivery.id, {});
    expect(new Set((await linesOf(o)).map((l) => l.staff_id))).toEqual(new Set([sita.staff.id]));

    const elsewhere = await makeCustomer(db());
    const p = await makeOrder(db(), { customer: elsewhere, staff_id: ravi.staff.id, items: [{ product: bread, quantity: 1 }] });
    await confirmDelivery(ctx(), p.delivery.id, {});
    const lines = await linesOf(p);
    const defaultCard = await one<{ id: string; base_per_drop_paise: number }>(sql`select id, base_per_drop_paise from rate_cards where zone_id is null`);
    expect(lines.find((l) => l.type === 'base')).toMatchObject({ amount_paise: defaultCard.base_per_drop_paise, rate_card_id: defaultCard.id });
    expect(lines.some((l) => l.type === 'litres')).toBe(false); // bread is not a liquid
  });

  test('a delivery nobody is assigned to, confirmed by no staff login, earns nothing', async () => {
    const o = await order(null);
    await confirmDelivery(ctx(), o.delivery.id, {});
    expect(await linesOf(o)).toEqual([]);
  });

  test('lines are unique per delivery and type, bound to their delivery, and never change', async () => {
    const o = await order();
    await confirmDelivery(ctx(), o.delivery.id, {});
    const [base] = await linesOf(o);
    const insertLine = (staffId: string, type: string, amount: number, on = today, deliveryId: string | null = o.delivery.id) =>
      db().execute(sql`insert into earnings_lines (staff_id, delivery_id, type, amount_paise, earned_on) values (${staffId}, ${deliveryId}, ${type}::earnings_type, ${amount}, ${on})`);
    expect(await refusedBy(insertLine(ravi.staff.id, 'base', 1500))).toBe('earnings_lines_delivery_type_key');
    // Rebinding: another staff member, another day, a type this outcome does not earn.
    const fresh = await order();
    await confirmDelivery(ctx(), fresh.delivery.id, {});
    await db().execute(sql`delete from earnings_lines where false`);
    const pending = await order();
    expect(await refusedBy(insertLine(ravi.staff.id, 'base', 1, today, pending.delivery.id))).toBe('earnings_lines_bound_to_delivery');
    expect(await refusedBy(insertLine(sita.staff.id, 'attempt', 1))).toBe('earnings_lines_bound_to_delivery');
    expect(await refusedBy(insertLine(ravi.staff.id, 'failure_deduction', -1))).toBe('earnings_lines_bound_to_delivery');
    expect(await refusedBy(db().execute(sql`update earnings_lines set staff_id = ${sita.staff.id} where id = ${base.id}`))).toBe('earnings_lines_immutable');
    expect(await refusedBy(db().execute(sql`update earnings_lines set delivery_id = ${fresh.delivery.id} where id = ${base.id}`))).toBe('earnings_lines_immutable');
    expect(await refusedBy(db().execute(sql`update earnings_lines set amount_paise = 99999 where id = ${base.id}`))).toBe('earnings_lines_immutable');
    expect(await refusedBy(db().execute(sql`delete from earnings_lines where id = ${base.id}`))).toBe('earnings_lines_immutable');
    expect(await refusedBy(db().execute(sql`insert into earnings_lines (staff_id, type, amount_paise, earned_on, reason) values (${NOBODY}, 'adjustment', 100, ${today}, 'Nobody at all')`))).toBe(
      'earnings_lines_staff_id_fk',
    );
    expect(await refusedBy(insertLine(ravi.staff.id, 'base', 100, today, NOBODY))).toBe('earnings_lines_delivery_id_fk');
  });

  test('adjustments need a reason and an amount; each type keeps its sign', async () => {
    const adj = (amount: number, reason: string | null, extra: SQL = sql`null, null`) =>
      db().execute(sql`insert into earnings_lines (staff_id, type, amount_paise, earned_on, reason, rate_card_id, created_by) values (${ravi.staff.id}, 'adjustment', ${amount}, ${today}, ${reason}, ${extra})`);
    await adj(-5000, 'Fuel advance recovered');
    expect(await refusedBy(adj(500, null))).toBe('earnings_lines_kind_consistent');
    expect(await refusedBy(adj(0, 'Nothing at all'))).toBe('earnings_lines_amount_sign');
    expect(await refusedBy(adj(500, 'Card', sql`${NOBODY}::uuid, null`))).toBe('earnings_lines_rate_card_id_fk');
    expect(await refusedBy(adj(500, 'By nobody', sql`null, ${NOBODY}::uuid`))).toBe('earnings_lines_created_by_fk');
    expect(await refusedBy(db().execute(sql`insert into earnings_lines (staff_id, type, amount_paise, earned_on, reason, payout_batch_id) values (${ravi.staff.id}, 'adjustment', 5, ${today}, 'Half a payout', ${NOBODY})`))).toBe(
      'earnings_lines_payout_pair',
    );
  });
});

describe('earning at commit, set-based (deliveries_queue_earning queues, the first deliveries_earn firing earns them all)', () => {
  type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
  /** The bench's order of statements: every outcome in one UPDATE, then the items, billing records and orders. */
  async function settleRaw(tx: Tx, os: OrderFixture[], at: string) {
    const ids = sql.join(os.map((o) => sql`${o.delivery.id}::uuid`), sql`, `);
    const orderIds = sql.join(os.map((o) => sql`${o.order.id}::uuid`), sql`, `);
    await tx.execute(sql`update deliveries set status = 'delivered', delivered_at = ${at}::timestamptz, delivered_on = (${at}::timestamptz at time zone 'Asia/Kolkata')::date where id in (${ids})`);
    await tx.execute(sql`insert into delivery_items (delivery_id, order_id, order_item_id, ordered_quantity, quantity)
      select d.id, oi.order_id, oi.id, oi.quantity, oi.quantity from deliveries d join order_items oi on oi.order_id = d.order_id where d.id in (${ids})`);
    await tx.execute(sql`insert into billing_records (delivery_item_id, quantity, customer_id, order_id, product_id, service_date, unit_price_paise, hsn_code, gst_rate_bp, taxable_paise, cgst_paise, sgst_paise, total_paise)
      select di.id, di.quantity, o.customer_id, o.id, oi.product_id, d.delivered_on, oi.unit_price_paise, p.hsn_code, p.gst_rate_bp,
             di.quantity * oi.unit_price_paise, 0, 0, di.quantity * oi.unit_price_paise
      from delivery_items di join order_items oi on oi.id = di.order_item_id join orders o on o.id = oi.order_id
      join products p on p.id = oi.product_id join deliveries d on d.id = di.delivery_id where di.delivery_id in (${ids})`);
    await tx.execute(sql`update orders set status = 'delivered' where id in (${orderIds})`);
  }
  const queued = async () => Number((await one<{ n: number }>(sql`select count(*)::int as n from earnings_due`)).n);
  const yesterday = addDays(today, -1);
  const late = `${yesterday}T04:00:00Z`; // 09:30 IST yesterday: no on-time bonus

  test('two deliveries settled in one UPDATE, their items written after, both earn base and litres; the queue is left empty', async () => {
    const [a, b] = [await order(ravi.staff.id, yesterday), await order(sita.staff.id, yesterday)];
    await db().transaction((tx) => settleRaw(tx, [a, b], late));
    expect((await linesOf(a)).map((l) => [l.type, l.amount_paise, l.quantity_ml, l.staff_id])).toEqual([
      ['base', 1500, null, ravi.staff.id],
      ['litres', 300, 1500, ravi.staff.id],
    ]);
    expect((await linesOf(b)).map((l) => [l.type, l.amount_paise, l.quantity_ml, l.staff_id])).toEqual([
      ['base', 1500, null, sita.staff.id],
      ['litres', 300, 1500, sita.staff.id],
    ]);
    expect(await queued()).toBe(0);
  });

  test('a savepoint rolled back leaves no lines for its deliveries; the rest of the transaction earns', async () => {
    const [kept, undone] = [await order(ravi.staff.id, yesterday), await order(ravi.staff.id, yesterday)];
    await db().transaction(async (tx) => {
      await tx.transaction((sp) => settleRaw(sp, [undone], late).then(() => Promise.reject(new Error('undo')))).catch((e: Error) => expect(e.message).toBe('undo'));
      await settleRaw(tx, [kept], late);
    });
    expect((await linesOf(kept)).map((l) => l.type)).toEqual(['base', 'litres']);
    expect(await linesOf(undone)).toEqual([]);
    expect((await one<{ status: string }>(sql`select status::text from deliveries where id = ${undone.delivery.id}`)).status).toBe('pending');
    expect(await queued()).toBe(0);
  });

  test('with deliveries_earn set IMMEDIATE the delivery still earns once (its row event fires before the statement queues it)', async () => {
    const o = await order(ravi.staff.id, yesterday);
    await db().transaction(async (tx) => {
      await tx.execute(sql`set constraints deliveries_earn immediate`);
      await settleRaw(tx, [o], late);
    });
    // Earned at the end of the UPDATE, before its items: the base line only (as the per-row trigger did when immediate).
    expect((await linesOf(o)).map((l) => l.type)).toEqual(['base']);
    expect(await queued()).toBe(0);
  });

  test('a statement inserting many lines is refused whole when one of them is not what its delivery earns', async () => {
    const o = await order(ravi.staff.id, yesterday);
    await db().transaction((tx) => settleRaw(tx, [o], late));
    const many = (second: string) =>
      db().execute(sql`insert into earnings_lines (staff_id, delivery_id, type, amount_paise, earned_on)
        values (${ravi.staff.id}, ${o.delivery.id}, 'on_time', 400, ${yesterday}), (${second}, ${o.delivery.id}, 'attempt', 600, ${yesterday})`);
    expect(await refusedBy(many(ravi.staff.id))).toBe('earnings_lines_bound_to_delivery'); // a delivered drop earns no attempt
    expect(await refusedBy(many(sita.staff.id))).toBe('earnings_lines_bound_to_delivery');
    expect((await linesOf(o)).map((l) => l.type)).toEqual(['base', 'litres']);
  });

  test('the queueing trigger is one statement-level trigger with transition tables', async () => {
    const rows = await sqlRows<{ tgname: string; statement: boolean }>(
      db(),
      sql`select tgname, (tgtype & 1) = 0 as statement from pg_trigger where tgname = 'deliveries_queue_earning'`,
    );
    expect(rows).toEqual([{ tgname: 'deliveries_queue_earning', statement: true }]);
  });
});

describe('failure reasons and payout details', () => {
  test('reason codes are data with a fault; a code is final and only on a failed delivery', async () => {
    expect(await refusedBy(db().execute(sql`insert into failure_reasons (code, label, fault) values ('Bad Code', 'Something', 'staff')`))).toBe('failure_reasons_code_format');
    expect(await refusedBy(db().execute(sql`insert into failure_reasons (code, label, fault) values ('ok_code', ' ', 'staff')`))).toBe('failure_reasons_label_length');
    const o = await order();
    expect(await refusedBy(db().execute(sql`update deliveries set failure_code = 'customer_refused' where id = ${o.delivery.id}`))).toBe('deliveries_failure_code_when_failed');
    expect(
      await refusedBy(db().execute(sql`update deliveries set status = 'failed', delivered_at = now(), delivered_on = ${today}, failure_reason = 'Gone', failure_code = 'no_such_code' where id = ${o.delivery.id}`)),
    ).toBe('deliveries_failure_code_fk');
    await failDelivery(ctx(), o.delivery.id, { reason: 'Refused at the door', reason_code: 'customer_refused' } as never);
    expect(await refusedBy(db().execute(sql`update deliveries set failure_code = 'missed_by_staff' where id = ${o.delivery.id}`))).toBe('deliveries_failure_code_final');
  });

  test('a staff member is paid to an account with its IFSC, or to a UPI id', async () => {
    const set = (cols: SQL) => db().execute(sql`update staff set ${cols} where id = ${ravi.staff.id}`);
    await set(sql`bank_account_number = '123456789012', bank_ifsc = 'HDFC0001234', upi_id = 'ravi.k@okhdfc'`);
    expect(await refusedBy(set(sql`bank_ifsc = 'HDFC1234'`))).toBe('staff_payout_details_valid');
    expect(await refusedBy(set(sql`bank_account_number = '12ab'`))).toBe('staff_payout_details_valid');
    expect(await refusedBy(set(sql`bank_ifsc = null`))).toBe('staff_payout_details_valid');
    expect(await refusedBy(set(sql`upi_id = 'no-at-sign'`))).toBe('staff_payout_details_valid');
  });
});

describe('rate cards', () => {
  test('one card in force per zone and day; amounts, periods and windows valid', async () => {
    const z = (await makeZone(db())).id;
    await card(sql`values (${z}, '2026-01-01', '2026-01-31', 1000, 100, 100, 100, 0)`);
    expect(await refusedBy(card(sql`values (${z}, '2026-01-31', null, 1000, 100, 100, 100, 0)`))).toBe('rate_cards_no_overlap');
    expect(await refusedBy(card(sql`values (null, '2026-01-31', null, 1000, 100, 100, 100, 0)`))).toBe('rate_cards_no_overlap'); // the default is open-ended
    await card(sql`values (${z}, '2026-02-01', null, 1100, 100, 100, 100, 0)`);
    expect(await refusedBy(card(sql`values (${z}, '2026-03-01', '2026-02-01', 1, 1, 1, 1, 0)`))).toBe('rate_cards_period_valid');
    expect(await refusedBy(card(sql`values (${(await makeZone(db())).id}, '2030-01-01', null, -1, 1, 1, 1, 0)`))).toBe('rate_cards_amounts_valid');
    expect(await refusedBy(card(sql`values (${NOBODY}, '2030-01-01', null, 1, 1, 1, 1, 0)`))).toBe('rate_cards_zone_id_fk');
    expect(await refusedBy(db().execute(sql`insert into rate_cards (zone_id, effective_from, base_per_drop_paise, per_litre_paise, on_time_bonus_paise, failure_deduction_paise, morning_start, morning_end)
      values (${(await makeZone(db())).id}, '2031-01-01', 1, 1, 1, 1, '08:00', '05:00')`))).toBe('rate_cards_windows_valid');
    expect(await refusedBy(db().execute(sql`insert into rate_cards (zone_id, effective_from, base_per_drop_paise, per_litre_paise, on_time_bonus_paise, failure_deduction_paise, note)
      values (${(await makeZone(db())).id}, '2031-01-01', 1, 1, 1, 1, ${'x'.repeat(501)})`))).toBe('rate_cards_note_length');
    expect(await refusedBy(db().execute(sql`insert into rate_cards (zone_id, effective_from, base_per_drop_paise, per_litre_paise, on_time_bonus_paise, failure_deduction_paise, created_by)
      values (${(await makeZone(db())).id}, '2031-01-01', 1, 1, 1, 1, ${NOBODY})`))).toBe('rate_cards_created_by_fk');
  });

  test('a rate change never changes earned lines: a used card keeps its rates and closes no earlier than its last line', async () => {
    const before = await sqlRows<{ amount_paise: number }>(db(), sql`select amount_paise::int from earnings_lines where rate_card_id = ${cardId} order by id`);
    expect(before.length).toBeGreaterThan(0);
    expect(await refusedBy(db().execute(sql`update rate_cards set base_per_drop_paise = 9999 where id = ${cardId}`))).toBe('rate_cards_frozen_once_used');
    expect(await refusedBy(db().execute(sql`update rate_cards set effective_to = ${addDays(today, -1)} where id = ${cardId}`))).toBe('rate_cards_frozen_once_used');
    expect(await refusedBy(db().execute(sql`delete from rate_cards where id = ${cardId}`))).toBe('rate_cards_frozen_once_used');
    await db().execute(sql`update rate_cards set effective_to = ${today} where id = ${cardId}`);
    const after = await sqlRows<{ amount_paise: number }>(db(), sql`select amount_paise::int from earnings_lines where rate_card_id = ${cardId} order by id`);
    expect(after).toEqual(before);
    await db().execute(sql`update rate_cards set effective_to = null where id = ${cardId}`);
  });
});

describe('payout batches', () => {
  const batch = async (month: string, by = userA) =>
    (await one<{ id: string }>(sql`insert into payout_batches (month, period_end, created_by) values (${month}, (${month}::date + interval '1 month' - interval '1 day')::date, ${by}) returning id`)).id;
  /** An item for a staff member holding all their unpaid lines up to today, as a draft makes it. */
  const item = async (batchId: string, staffId: string) =>
    db().transaction(async (tx) => {
      const [t] = await sqlRows<{ total: number; n: number }>(tx as never, sql`select coalesce(sum(amount_paise), 0)::int as total, count(*)::int as n from earnings_lines where staff_id = ${staffId} and payout_item_id is null`);
      const [it] = await sqlRows<{ id: string }>(tx as never, sql`insert into payout_items (batch_id, staff_id, beneficiary_name, upi_id, amount_paise, line_count) values (${batchId}, ${staffId}, 'Ravi', 'ravi@okaxis', ${t.total}, ${t.n}) returning id`);
      await tx.execute(sql`update earnings_lines set payout_item_id = ${it.id}, payout_batch_id = ${batchId} where staff_id = ${staffId} and payout_item_id is null`);
      return it.id;
    });

  test('a batch is a month, drafted once at a time, approved by someone else', async () => {
    expect(await refusedBy(db().execute(sql`insert into payout_batches (month, period_end, created_by) values ('2026-01-15', '2026-01-31', ${userA})`))).toBe('payout_batches_month_first_day');
    expect(await refusedBy(db().execute(sql`insert into payout_batches (month, period_end, created_by) values ('2026-01-01', '2026-01-30', ${userA})`))).toBe('payout_batches_month_first_day');
    expect(await refusedBy(db().execute(sql`insert into payout_batches (month, period_end, created_by) values ('2026-01-01', '2026-01-31', ${NOBODY})`))).toBe('payout_batches_created_by_fk');
    expect(await refusedBy(db().execute(sql`insert into payout_batches (month, period_end, created_by, status) values ('2026-01-01', '2026-01-31', ${userA}, 'approved')`))).toBe('payout_batches_status_forward');
    expect(await refusedBy(db().execute(sql`insert into payout_batches (month, period_end, created_by, total_paise) values ('2026-01-01', '2026-01-31', ${userA}, -1)`))).toBe('payout_batches_totals_nonnegative');
    const b = await batch('2026-01-01');
    expect(await refusedBy(batch('2026-01-01', userB))).toBe('payout_batches_one_draft_per_month');
    expect(await refusedBy(db().execute(sql`update payout_batches set status = 'approved', approved_by = ${userA}, approved_at = now() where id = ${b}`))).toBe('payout_batches_four_eyes');
    expect(await refusedBy(db().execute(sql`update payout_batches set status = 'approved' where id = ${b}`))).toBe('payout_batches_approval_consistent');
    expect(await refusedBy(db().execute(sql`update payout_batches set status = 'approved', approved_by = ${NOBODY}, approved_at = now() where id = ${b}`))).toBe('payout_batches_approved_by_fk');
    expect(await refusedBy(db().execute(sql`update payout_batches set status = 'paid' where id = ${b}`))).toBe('payout_batches_status_forward');
    expect(await refusedBy(db().execute(sql`update payout_batches set month = '2026-02-01', period_end = '2026-02-28' where id = ${b}`))).toBe('payout_batches_immutable');
    expect(await refusedBy(db().execute(sql`delete from payout_batches where id = ${b}`))).toBe('payout_batches_immutable');
  });

  test('a line is in one live batch, paid at most once; a reversed item lets its lines go unpaid again', async () => {
    const b1 = await batch('2026-02-01');
    const item1 = await item(b1, ravi.staff.id);
    const [line] = await sqlRows<{ id: string }>(db(), sql`select id from earnings_lines where payout_item_id = ${item1} limit 1`);
    // Another draft may not take it, nor may the item be bound to another staff member's line.
    const b2 = await batch('2026-03-01');
    const [other] = await sqlRows<{ id: string }>(db(), sql`insert into payout_items (batch_id, staff_id, beneficiary_name, upi_id, amount_paise, line_count) values (${b2}, ${ravi.staff.id}, 'Ravi', 'ravi@okaxis', 1, 1) returning id`).catch(() => [{ id: '' }]);
    expect(other.id).toBe(''); // an item whose lines do not add up fails at commit
    const b2item = await db().transaction(async (tx) => {
      const [it] = await sqlRows<{ id: string }>(tx as never, sql`insert into payout_items (batch_id, staff_id, beneficiary_name, upi_id, amount_paise, line_count) values (${b2}, ${sita.staff.id}, 'Sita', 'sita@okaxis', 1, 1) returning id`);
      return it.id;
    }).catch((e) => pgErrorOf(e)?.constraint ?? pgErrorOf(e)?.constraint_name);
    expect(b2item).toBe('payout_items_sum_of_lines');
    expect(await refusedBy(db().execute(sql`update earnings_lines set payout_item_id = null, payout_batch_id = null where id = ${line.id}`))).toBe('earnings_lines_one_live_batch');
    expect(await refusedBy(db().execute(sql`update earnings_lines set payout_batch_id = ${b2} where id = ${line.id}`))).toBe('earnings_lines_payout_item_fk');
    const sitaLine = await one<{ id: string }>(sql`select id from earnings_lines where staff_id = ${sita.staff.id} and payout_item_id is null limit 1`);
    // Rebinding a line to another staff member's item: the composite key refuses it.
    expect(await refusedBy(db().execute(sql`update earnings_lines set payout_item_id = ${item1}, payout_batch_id = ${b1} where id = ${sitaLine.id}`))).toBe('earnings_lines_payout_item_fk');
    expect(await refusedBy(db().execute(sql`insert into earnings_lines (staff_id, type, amount_paise, earned_on, reason, payout_item_id, payout_batch_id) values (${ravi.staff.id}, 'adjustment', 5, ${today}, 'Paid at birth', ${item1}, ${b1})`))).toBe(
      'earnings_lines_start_unpaid',
    );
    // Items: no paying a draft; approve, pay, then reverse.
    expect(await refusedBy(db().execute(sql`update payout_items set status = 'paid', bank_reference = 'UTR1', paid_at = now(), settled_by = ${userB} where id = ${item1}`))).toBe('payout_items_status_forward');
    await db().execute(sql`update payout_batches set status = 'approved', approved_by = ${userB}, approved_at = now() where id = ${b1}`);
    expect(await refusedBy(db().execute(sql`update payout_batches set total_paise = 1 where id = ${b1}`))).toBe('payout_batches_immutable');
    // An approved batch takes no new line.
    const adj = await one<{ id: string }>(sql`insert into earnings_lines (staff_id, type, amount_paise, earned_on, reason) values (${ravi.staff.id}, 'adjustment', 700, ${today}, 'Late bonus') returning id`);
    expect(await refusedBy(db().execute(sql`update earnings_lines set payout_item_id = ${item1}, payout_batch_id = ${b1} where id = ${adj.id}`))).toBe('earnings_lines_join_draft_only');
    expect(await refusedBy(db().execute(sql`update payout_items set status = 'paid' where id = ${item1}`))).toBe('payout_items_result_consistent');
    expect(await refusedBy(db().execute(sql`update payout_items set status = 'paid', bank_reference = 'UTR1', paid_at = now(), settled_by = ${NOBODY} where id = ${item1}`))).toBe('payout_items_settled_by_fk');
    await db().execute(sql`update payout_items set status = 'paid', bank_reference = 'UTR1', paid_at = now(), settled_by = ${userB} where id = ${item1}`);
    expect(await refusedBy(db().execute(sql`update payout_items set bank_reference = 'UTR2' where id = ${item1}`))).toBe('payout_items_immutable');
    expect(await refusedBy(db().execute(sql`update payout_items set amount_paise = amount_paise + 1 where id = ${item1}`))).toBe('payout_items_immutable');
    expect(await refusedBy(db().execute(sql`update payout_items set status = 'failed', failure_reason = 'x' where id = ${item1}`))).toBe('payout_items_status_forward');
    expect(await refusedBy(db().execute(sql`delete from payout_items where id = ${item1}`))).toBe('payout_items_immutable');
    const paidLines = Number((await one<{ n: number }>(sql`select count(*)::int as n from earnings_lines where payout_item_id = ${item1}`)).n);
    expect(paidLines).toBeGreaterThan(0);
    await db().execute(sql`update payout_items set status = 'reversed', failure_reason = 'Account closed' where id = ${item1}`);
    expect(Number((await one<{ n: number }>(sql`select count(*)::int as n from earnings_lines where payout_item_id = ${item1}`)).n)).toBe(0);
    expect((await one<{ p: string | null }>(sql`select payout_batch_id as p from earnings_lines where id = ${line.id}`)).p).toBeNull();
  });

  test('items: a destination, a positive amount, one per staff member in a batch, real references', async () => {
    const b = await batch('2026-04-01');
    const ins = (cols: SQL) => db().execute(sql`insert into payout_items (batch_id, staff_id, beneficiary_name, account_number, ifsc, upi_id, amount_paise, line_count) ${cols}`);
    expect(await refusedBy(ins(sql`values (${b}, ${ravi.staff.id}, 'Ravi', null, null, null, 100, 1)`))).toBe('payout_items_destination_valid');
    expect(await refusedBy(ins(sql`values (${b}, ${ravi.staff.id}, 'Ravi', '1234', 'HDFC0001234', null, 100, 1)`))).toBe('payout_items_destination_valid');
    expect(await refusedBy(ins(sql`values (${b}, ${ravi.staff.id}, 'Ravi', null, null, 'ravi@upi', 0, 1)`))).toBe('payout_items_amount_positive');
    expect(await refusedBy(ins(sql`values (${NOBODY}, ${ravi.staff.id}, 'Ravi', null, null, 'ravi@upi', 10, 1)`))).toBe('payout_items_batch_id_fk');
    expect(await refusedBy(ins(sql`values (${b}, ${NOBODY}, 'Ravi', null, null, 'ravi@upi', 10, 1)`))).toBe('payout_items_staff_id_fk');
    expect(await refusedBy(db().transaction(async (tx) => {
      await tx.execute(sql`set constraints payout_items_sum_of_lines deferred`);
      await tx.execute(sql`insert into payout_items (batch_id, staff_id, beneficiary_name, upi_id, amount_paise, line_count) values (${b}, ${sita.staff.id}, 'Sita', 'sita@upi', 10, 1), (${b}, ${sita.staff.id}, 'Sita', 'sita@upi', 10, 1)`);
    }))).toBe('payout_items_batch_staff_key');
    // earnings_lines_payout_item_fk points at (id, batch_id, staff_id): the key that binds a line to its staff's item.
    const ref = await one<{ key: string }>(sql`select ci.relname as key from pg_constraint c join pg_class ci on ci.oid = c.conindid where c.conname = 'earnings_lines_payout_item_fk'`);
    expect(ref.key).toBe('payout_items_id_batch_staff_key');
  });
});

test('data health finds a settled delivery without its lines, and a transfer that is not its lines (rules bypassed, rolled back)', async () => {
  const count = (h: Awaited<ReturnType<typeof dataHealth>>, name: string) => h.checks.find((c) => c.name === name)!.count;
  // The raw batches above were inserted without their totals, so they already count as inconsistent: compare to now.
  const before = await dataHealth(db());
  expect(count(before, 'deliveries_without_earnings')).toBe(0);
  const o = await order();
  let found: Awaited<ReturnType<typeof dataHealth>> | undefined;
  await db()
    .transaction(async (tx) => {
      // The earning trigger off: a confirmation that writes no line (deliveries_earn is what normally prevents it).
      await tx.execute(sql`alter table deliveries disable trigger deliveries_earn`);
      await confirmDelivery({ ...ctx(), db: tx as never, inTx: true }, o.delivery.id, {});
      await tx.execute(sql`set constraints all immediate`);
      await tx.execute(sql`alter table payout_batches disable trigger payout_batches_guard`);
      await tx.execute(sql`insert into payout_batches (month, period_end, created_by, total_paise) values ('2027-01-01', '2027-01-31', ${userA}, 100)`);
      found = await dataHealth(tx as never);
      throw new Error('rollback');
    })
    .catch((e: Error) => expect(e.message).toBe('rollback'));
  expect(count(found!, 'deliveries_without_earnings')).toBe(1);
  expect(found!.checks.find((c) => c.name === 'deliveries_without_earnings')!.examples).toContain(o.delivery.id);
  expect(count(found!, 'payouts_inconsistent')).toBe(count(before, 'payouts_inconsistent') + 1);
  const after = await dataHealth(db());
  expect([count(after, 'deliveries_without_earnings'), count(after, 'payouts_inconsistent')]).toEqual([0, count(before, 'payouts_inconsistent')]);
});

test('the triggers that write lines refuse nothing and run at commit (earning) or after the transfer changes (release)', async () => {
  const rows = await sqlRows<{ tgname: string; deferred: boolean }>(
    db(),
    sql`select tgname, tginitdeferred as deferred from pg_trigger where tgname in ('deliveries_earn', 'payout_items_release') order by tgname`,
  );
  expect(rows).toEqual([
    { tgname: 'deliveries_earn', deferred: true },
    { tgname: 'payout_items_release', deferred: false },
  ]);
});
