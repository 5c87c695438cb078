import { sql } from 'drizzle-orm';
import { TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { addDays, todayIST } from '../../api/lib/dates.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { callAs, loginCookie, makeCustomer, makeOrder, makeProduct, makeStaff, sqlRows, type CustomerFixture, type StaffFixture } from '../helpers/chain-fixtures.js';
import { expectJson, expectProblem } from './support.js';

// Staff pay through the API: a confirmation earns its lines (once, for whoever confirmed it), delivery staff see only
// theirs, rate cards as data, and payout batches that need two people and pay a line at most once.

let t: TestApp;
const db = () => t.database.db;
const today = todayIST();
const thisMonth = today.slice(0, 7);
let zoneId: string;
let customer: CustomerFixture;
let milk: Awaited<ReturnType<typeof makeProduct>>;
let ravi: StaffFixture;
let sita: StaffFixture;
let raviCookie: string;
let sitaCookie: string;

const newOrder = (staffId: string | null = ravi.staff.id) => makeOrder(db(), { customer, staff_id: staffId, items: [{ product: milk, quantity: 2 }] });
const linesOf = (deliveryId: string) =>
  sqlRows<{ type: string; staff_id: string; amount_paise: number }>(db(), sql`select type::text, staff_id, amount_paise::int from earnings_lines where delivery_id = ${deliveryId} order by type`);
const unpaidOf = async (staffId: string) =>
  Number((await sqlRows<{ n: number }>(db(), sql`select count(*)::int as n from earnings_lines where staff_id = ${staffId} and payout_item_id is null`))[0].n);

beforeAll(async () => {
  t = await createTestApp();
  zoneId = (await sqlRows<{ id: string }>(db(), sql`insert into zones (name) values ('Pay zone') returning id`))[0].id;
  customer = await makeCustomer(db(), { zone_id: zoneId });
  milk = await makeProduct(db(), { unit_size: '1 L' });
  ravi = await makeStaff(db(), { zone_id: zoneId, login: true, name: 'Ravi Pay' });
  sita = await makeStaff(db(), { zone_id: zoneId, login: true, name: 'Sita Pay' });
  raviCookie = await loginCookie(t.app, ravi.user!.email, ravi.user!.password);
  sitaCookie = await loginCookie(t.app, sita.user!.email, sita.user!.password);
  await db().execute(sql`update staff set bank_account_number = '001234567890', bank_ifsc = 'SBIN0001234' where id = ${ravi.staff.id}`);
  await db().execute(sql`update staff set upi_id = 'sita.pay@okicici' where id = ${sita.staff.id}`);
});
afterAll(() => t?.close());

describe('earnings on confirmation', () => {
  test('a confirmation creates exactly its lines, once; a failure with a staff-fault code a deduction', async () => {
    const o = await newOrder();
    await expectJson(await callAs(t.app, raviCookie, 'POST', `/api/deliveries/${o.delivery.id}/confirm`, {}), 200);
    const lines = await linesOf(o.delivery.id);
    expect(lines.map((l) => l.type).filter((x) => x !== 'on_time')).toEqual(['base', 'litres']);
    expect(new Set(lines.map((l) => l.staff_id))).toEqual(new Set([ravi.staff.id]));
    const card = (await sqlRows<{ base: number; litre: number }>(db(), sql`select base_per_drop_paise as base, per_litre_paise as litre from rate_cards where zone_id is null`))[0];
    expect(lines.find((l) => l.type === 'litres')!.amount_paise).toBe(2 * card.litre); // 2 x 1 L
    await expectProblem(await callAs(t.app, raviCookie, 'POST', `/api/deliveries/${o.delivery.id}/confirm`, {}), 409, 'already_confirmed');
    expect(await linesOf(o.delivery.id)).toEqual(lines);

    const f = await newOrder();
    await expectJson(await callAs(t.app, raviCookie, 'POST', `/api/deliveries/${f.delivery.id}/fail`, { reason: 'Spilt the crate', reason_code: 'damaged_in_transit' }), 200);
    expect((await linesOf(f.delivery.id)).map((l) => l.type)).toEqual(['failure_deduction']);
    const bad = await newOrder();
    await expectProblem(await callAs(t.app, raviCookie, 'POST', `/api/deliveries/${bad.delivery.id}/fail`, { reason: 'Whatever', reason_code: 'not_a_code' }), 422, 'unknown_reason_code');
    expect(await linesOf(bad.delivery.id)).toEqual([]);
  });

  test('two concurrent confirmations earn one set of lines', { tags: ['race'] }, async () => {
    const o = await newOrder();
    const results = await Promise.all([0, 1].map(() => callAs(t.app, raviCookie, 'POST', `/api/deliveries/${o.delivery.id}/confirm`, {})));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const types = (await linesOf(o.delivery.id)).map((l) => l.type);
    expect(types.filter((x) => x === 'base')).toHaveLength(1);
    expect(new Set(types).size).toBe(types.length);
  });

  test('a reassigned delivery earns for whoever confirmed it, also when the reassignment races the confirmation', { tags: ['race'] }, async () => {
    const o = await newOrder(ravi.staff.id);
    await expectJson(await t.call('manager', 'PATCH', `/api/deliveries/${o.delivery.id}`, { staff_id: sita.staff.id }), 200);
    await expectProblem(await callAs(t.app, raviCookie, 'POST', `/api/deliveries/${o.delivery.id}/confirm`, {}), 403);
    await expectJson(await callAs(t.app, sitaCookie, 'POST', `/api/deliveries/${o.delivery.id}/confirm`, {}), 200);
    expect(new Set((await linesOf(o.delivery.id)).map((l) => l.staff_id))).toEqual(new Set([sita.staff.id]));

    for (let i = 0; i < 3; i++) {
      const r = await newOrder(ravi.staff.id);
      const [move, conf] = await Promise.all([
        t.call('manager', 'PATCH', `/api/deliveries/${r.delivery.id}`, { staff_id: sita.staff.id }),
        callAs(t.app, raviCookie, 'POST', `/api/deliveries/${r.delivery.id}/confirm`, {}),
      ]);
      const earners = new Set((await linesOf(r.delivery.id)).map((l) => l.staff_id));
      if (conf.status === 200) expect(earners).toEqual(new Set([ravi.staff.id]));
      else {
        expect([move.status, conf.status]).toEqual([200, 403]);
        expect(earners.size).toBe(0);
      }
    }
  });
});

describe('what delivery staff see', () => {
  test('their own lines and month only', async () => {
    const own = await expectJson<{ staff_id: string }[]>(await callAs(t.app, raviCookie, 'GET', `/api/earnings?staff_id=${sita.staff.id}`), 200);
    expect(own).toEqual([]);
    const all = await expectJson<{ staff_id: string }[]>(await callAs(t.app, raviCookie, 'GET', '/api/earnings?_start=0&_end=100'), 200);
    expect(all.length).toBeGreaterThan(0);
    expect(all.every((l) => l.staff_id === ravi.staff.id)).toBe(true);
    const summary = await expectJson(await callAs(t.app, raviCookie, 'GET', `/api/staff/${ravi.staff.id}/earnings-summary?month=${thisMonth}`), 200);
    expect(summary.failures_staff_fault).toBeGreaterThanOrEqual(1);
    expect(summary.zone_staff.map((z: { name: string }) => z.name).sort()).toEqual(['Ravi Pay', 'Sita Pay']);
    await expectProblem(await callAs(t.app, raviCookie, 'GET', `/api/staff/${sita.staff.id}/earnings-summary?month=${thisMonth}`), 404);
    await expectProblem(await callAs(t.app, raviCookie, 'GET', '/api/payout-batches'), 403);
    const pdf = await callAs(t.app, raviCookie, 'GET', `/api/staff/${ravi.staff.id}/statement.pdf?month=${thisMonth}`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
  });

  test("the manager's view of a month adds up: total = sum of the lines = the days", async () => {
    const s = await expectJson(await t.call('manager', 'GET', `/api/staff/${ravi.staff.id}/earnings-summary?month=${thisMonth}`), 200);
    const [sum] = await sqlRows<{ total: number; drops: number }>(
      db(),
      sql`select sum(amount_paise)::int as total, count(*) filter (where type = 'base')::int as drops from earnings_lines where staff_id = ${ravi.staff.id} and to_char(earned_on, 'YYYY-MM') = ${thisMonth}`,
    );
    expect([s.total_paise, s.drops]).toEqual([sum.total, sum.drops]);
    expect(s.days.reduce((a: number, d: { amount_paise: number }) => a + d.amount_paise, 0)).toBe(sum.total);
    await expectProblem(await t.call('manager', 'GET', `/api/staff/${ravi.staff.id}/earnings-summary?month=2026-13`), 400);
  });
});

describe('rate cards', () => {
  test('whole paise only; a new card closes the open one the day before; overlaps are refused', async () => {
    const z = (await sqlRows<{ id: string }>(db(), sql`insert into zones (name) values ('Card zone') returning id`))[0].id;
    const body = { zone_id: z, effective_from: '2026-01-01', base_per_drop_paise: 1500, per_litre_paise: 200, on_time_bonus_paise: 300, failure_deduction_paise: 2000 };
    const fraction = await expectProblem(await t.call('manager', 'POST', '/api/rate-cards', { ...body, base_per_drop_paise: 1234.5 }), 400);
    expect(fraction.message).toMatch(/fraction of a paisa/);
    const first = await expectJson(await t.call('manager', 'POST', '/api/rate-cards', body), 201);
    const second = await expectJson(await t.call('manager', 'POST', '/api/rate-cards', { ...body, effective_from: '2026-03-01', base_per_drop_paise: 1600 }), 201);
    expect((await expectJson(await t.call('manager', 'GET', `/api/rate-cards/${first.id}`), 200)).effective_to).toBe('2026-02-28');
    await expectProblem(await t.call('manager', 'POST', '/api/rate-cards', { ...body, effective_from: '2026-02-01', effective_to: '2026-02-10' }), 409, 'rate_card_overlap');
    await expectProblem(await t.call('finance', 'POST', '/api/rate-cards', body), 403);
    expect((await expectJson(await t.call('manager', 'PATCH', `/api/rate-cards/${second.id}`, { note: 'From March' }), 200)).note).toBe('From March');
  });

  test("a card's lines are counted exactly up to 10,000; past that the list says 10,001 (more than 10,000)", async () => {
    const z = (await sqlRows<{ id: string }>(db(), sql`insert into zones (name) values ('Busy card zone') returning id`))[0].id;
    const body = { zone_id: z, base_per_drop_paise: 1500, per_litre_paise: 200, on_time_bonus_paise: 300, failure_deduction_paise: 2000 };
    const few = await expectJson<{ id: string }>(await t.call('manager', 'POST', '/api/rate-cards', { ...body, effective_from: '2025-01-01', effective_to: '2025-01-31' }), 201);
    const many = await expectJson<{ id: string }>(await t.call('manager', 'POST', '/api/rate-cards', { ...body, effective_from: '2025-02-01', effective_to: '2025-02-28' }), 201);
    // Adjustments of a staff member of their own, so the payout tests' months stay as they are.
    const busy = await makeStaff(db(), { zone_id: z, name: 'Busy Card' });
    const earn = (card: string, n: number, day: string) =>
      db().execute(sql`insert into earnings_lines (staff_id, type, amount_paise, earned_on, rate_card_id, reason)
                       select ${busy.staff.id}, 'adjustment', 100, ${day}::date, ${card}, 'bench of lines' from generate_series(1, ${n})`);
    await earn(few.id, 3, '2025-01-15');
    await earn(many.id, 10_002, '2025-02-15');
    const listed = await expectJson<{ id: string; lines: number }[]>(await t.call('manager', 'GET', `/api/rate-cards?zone_id=${z}`), 200);
    expect(Object.fromEntries(listed.map((c) => [c.id, c.lines]))).toEqual({ [few.id]: 3, [many.id]: 10_001 });
    expect((await expectJson<{ lines: number }>(await t.call('manager', 'GET', `/api/rate-cards/${few.id}`), 200)).lines).toBe(3);
    // The card's guard still finds its last line (through the new index): it may not close before it.
    await expectProblem(await t.call('manager', 'PATCH', `/api/rate-cards/${many.id}`, { effective_to: '2025-02-10' }), 409);
  });
});

describe('earnings list search', () => {
  test('q finds the adjustments whose reason has every word, in any case (through the reason index), as the plain ILIKE did', async () => {
    const z = (await sqlRows<{ id: string }>(db(), sql`insert into zones (name) values ('Search pay zone') returning id`))[0].id;
    const gopal = await makeStaff(db(), { zone_id: z, name: 'Gopal Search' });
    for (const reason of ['Diwali bonus', 'Festival BONUS for Ñandu', 'Advance recovery', 'Bonus advance'])
      await expectJson(await t.call('manager', 'POST', '/api/earnings', { staff_id: gopal.staff.id, amount_paise: 5000, earned_on: '2025-03-10', reason }), 201);
    const before = async (...words: string[]) =>
      (await sqlRows<{ id: string }>(db(), sql`select id from earnings_lines where ${sql.join(words.map((w) => sql`reason ilike ${`%${w}%`}`), sql` and `)}`)).map((r) => r.id).sort();
    const found = async (q: string) =>
      (await expectJson<{ id: string }[]>(await t.call('manager', 'GET', `/api/earnings?q=${encodeURIComponent(q)}&_end=100`), 200)).map((r) => r.id).sort();
    for (const w of ['bonus', 'BONUS', 'Ñandu', 'ñandu', 'advance', 'zzyzx']) expect(await found(w), w).toEqual(await before(w));
    expect(await found('bonus')).toHaveLength(3);
    expect(await found('bonus advance')).toEqual(await before('bonus', 'advance'));
    expect(await found('bonus advance')).toHaveLength(1);
  });
});

describe('payout batches', () => {
  const codeAt = (secret: string) => new TOTP({ secret, algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: Date.now() });
  const nextCode = (secret: string) => {
    vi.setSystemTime(Date.now() + 30_000);
    return codeAt(secret);
  };

  test('drafted by one, approved by another with a fresh code; paid, reversed lines are unpaid again and a new draft takes them', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    try {
      await db().execute(sql`insert into earnings_lines (staff_id, type, amount_paise, earned_on, reason) values (${sita.staff.id}, 'adjustment', 25000, ${today}, 'Festival bonus')`);
      await expectProblem(await t.call('manager', 'POST', '/api/payout-batches', { month: '2026-13' }), 400);
      const draft = await expectJson(await t.call('manager', 'POST', '/api/payout-batches', { month: thisMonth }), 201);
      expect(draft.status).toBe('draft');
      expect(await unpaidOf(ravi.staff.id)).toBe(0);
      const items = await expectJson<{ id: string; staff_id: string; amount_paise: number; account_number: string | null; upi_id: string | null }[]>(
        await t.call('manager', 'GET', `/api/payout-batches/${draft.id}/items`),
        200,
      );
      expect(items.map((i) => i.staff_id).sort()).toEqual([ravi.staff.id, sita.staff.id].sort());
      expect(items.reduce((s, i) => s + i.amount_paise, 0)).toBe(draft.total_paise);
      // Drafting the month again answers the same draft.
      const again = await expectJson(await t.call('finance', 'POST', '/api/payout-batches', { month: thisMonth }), 200);
      expect([again.id, again.existing]).toEqual([draft.id, true]);

      // Four eyes: the creator is refused (even with a code), then finance needs a fresh code.
      await expectProblem(await t.call('manager', 'POST', `/api/payout-batches/${draft.id}/approve`, { totp: '123456' }), 403, 'own_batch');
      const fin = await t.cookie('finance');
      await expectProblem(await callAs(t.app, fin, 'POST', `/api/payout-batches/${draft.id}/approve`, {}), 403, 'step_up_required');
      await expectProblem(await t.call('finance', 'GET', `/api/payout-batches/${draft.id}/bank-file`), 409, 'batch_not_approved');
      const enrolment = await expectJson<{ secret: string }>(await callAs(t.app, fin, 'POST', '/api/auth/totp/enroll'), 200);
      await expectJson(await callAs(t.app, fin, 'POST', '/api/auth/totp/confirm', { code: nextCode(enrolment.secret) }), 200);
      await expectProblem(await callAs(t.app, fin, 'POST', `/api/payout-batches/${draft.id}/approve`, { totp: '000000' }), 403, 'step_up_required');
      const approved = await expectJson(await callAs(t.app, fin, 'POST', `/api/payout-batches/${draft.id}/approve`, { totp: nextCode(enrolment.secret) }), 200);
      expect([approved.status, approved.approved_by]).toEqual(['approved', t.userIds.finance]);
      const audits = await sqlRows(db(), sql`select action from audit_logs where record_id = ${draft.id} order by created_at`);
      expect(audits.map((a) => a.action)).toEqual(['create', 'approve']);

      // The bank's file: one row per transfer with its destination.
      const file = await t.call('finance', 'GET', `/api/payout-batches/${draft.id}/bank-file`);
      const csv = await file.text();
      expect(file.status).toBe(200);
      expect(csv.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe('beneficiary_name,account_number,ifsc,upi_id,amount,reference');
      expect(csv).toContain('Ravi Pay,001234567890,SBIN0001234,,');
      expect(csv).toContain('sita.pay@okicici');

      const raviItem = items.find((i) => i.staff_id === ravi.staff.id)!;
      await expectProblem(await t.call('finance', 'POST', `/api/payout-batches/${draft.id}/mark-paid`, { bank_reference: 'x' }), 400);
      const paid = await expectJson(await t.call('finance', 'POST', `/api/payout-batches/${draft.id}/mark-paid`, { bank_reference: 'UTR2026110001', item_ids: [raviItem.id] }), 200);
      expect(paid.status).toBe('approved'); // Sita's transfer still pending
      const done = await expectJson(await t.call('finance', 'POST', `/api/payout-batches/${draft.id}/mark-paid`, { bank_reference: 'UTR2026110002' }), 200);
      expect(done.status).toBe('paid');
      await expectProblem(await t.call('finance', 'POST', `/api/payout-batches/${draft.id}/mark-paid`, { bank_reference: 'UTR2026110003' }), 409, 'transfer_already_decided');
      // The earnings list's paid filter agrees with the transfers' results.
      const [counts] = await sqlRows<{ paid: number; unpaid: number }>(
        db(),
        sql`select count(*) filter (where i.status = 'paid')::int as paid, count(*) filter (where i.status is distinct from 'paid')::int as unpaid
            from earnings_lines e left join payout_items i on i.id = e.payout_item_id where e.staff_id = ${sita.staff.id}`,
      );
      expect(counts.paid).toBeGreaterThan(0);
      for (const [flag, n] of [['true', counts.paid], ['false', counts.unpaid]] as const) {
        const res = await t.call('manager', 'GET', `/api/earnings?staff_id=${sita.staff.id}&paid=${flag}&_start=0&_end=1000`);
        expect((await expectJson<unknown[]>(res, 200)).length).toBe(n);
        expect(res.headers.get('x-total-count')).toBe(String(n));
      }

      // The bank sends Ravi's money back: his lines are unpaid again, and the next draft pays them.
      const before = raviItem.amount_paise;
      await expectJson(await t.call('finance', 'POST', `/api/payout-batches/${draft.id}/mark-reversed`, { reason: 'Account closed', item_ids: [raviItem.id] }), 200);
      expect(await unpaidOf(ravi.staff.id)).toBeGreaterThan(0);
      const next = await expectJson(await t.call('finance', 'POST', '/api/payout-batches', { month: thisMonth }), 201);
      const nextItems = await expectJson<{ staff_id: string; amount_paise: number }[]>(await t.call('finance', 'GET', `/api/payout-batches/${next.id}/items`), 200);
      expect(nextItems).toEqual([expect.objectContaining({ staff_id: ravi.staff.id, amount_paise: before })]);
      // Never in two live batches: each of Ravi's lines is in exactly the new batch.
      const [inBatches] = await sqlRows<{ n: number; batches: number }>(
        db(),
        sql`select count(*)::int as n, count(distinct payout_batch_id)::int as batches from earnings_lines where staff_id = ${ravi.staff.id}`,
      );
      expect(inBatches.batches).toBe(1);
      const list = await expectJson<{ id: string }[]>(await t.call('finance', 'GET', `/api/payout-batches?status=paid&month=${thisMonth}-01`), 200);
      expect(list.map((b) => b.id)).toEqual([draft.id]);
    } finally {
      vi.useRealTimers();
    }
  });

  test('two concurrent drafts of one month make one batch', { tags: ['race'] }, async () => {
    const month = addDays(`${thisMonth}-01`, 40).slice(0, 7);
    await db().execute(sql`insert into earnings_lines (staff_id, type, amount_paise, earned_on, reason) values (${ravi.staff.id}, 'adjustment', 1000, ${`${month}-01`}, 'Advance')`);
    const answers = await Promise.all([t.call('manager', 'POST', '/api/payout-batches', { month }), t.call('finance', 'POST', '/api/payout-batches', { month })]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 201]);
    const ids = await Promise.all(answers.map(async (a) => (await a.json()).id));
    expect(ids[0]).toBe(ids[1]);
    const [n] = await sqlRows<{ n: number }>(db(), sql`select count(*)::int as n from payout_batches where month = ${`${month}-01`}`);
    expect(n.n).toBe(1);
  });
});
