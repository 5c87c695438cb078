import { sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { gatewayChecks } from '../../api/modules/gateway/gateway.health.js';
import { dataHealth, type DataHealth } from '../../api/modules/health/health.service.js';
import type { Db } from '../../db/client.js';
import { freshDatabase } from '../helpers/app.js';
import { makeCustomer, sqlRows, type CustomerFixture } from '../helpers/chain-fixtures.js';
import { insertPayment } from '../helpers/money-fixtures.js';
import { refusedBy } from '../helpers/refused.js';

// Gateway payments and their events (issue 12, item 4) written around the API with raw SQL: each rule refuses the
// write, by name. States only forward, an event kept once, a gateway payment recorded once.

let database: Awaited<ReturnType<typeof freshDatabase>>;
let c: CustomerFixture;
let other: CustomerFixture;
let finance: string;
const db = () => database.db;
const exec = (q: SQL) => db().execute(q);
const one = async <T = Record<string, any>>(q: SQL, on: Db = db()) => (await sqlRows<T>(on, q))[0];
const UNKNOWN = '00000000-0000-4000-8000-000000000000';
let seq = 0;
const pay = () => `pay_C${Date.now().toString(36)}${++seq}`;

/** A gateway payment row in a state (its dates as the state needs). */
async function gateway(status: string, opts: { amount?: number; customer?: string | null; id?: string } = {}): Promise<{ id: string; gid: string }> {
  const gid = opts.id ?? pay();
  const row = await one<{ id: string }>(sql`insert into gateway_payments (gateway_payment_id, status, amount_paise, customer_id, captured_at, failed_at)
    values (${gid}, ${status}::payment_status, ${opts.amount ?? 5000}, ${opts.customer === undefined ? c.customer.id : opts.customer},
      ${status === 'captured' || status === 'refunded' ? sql`now()` : sql`null`}, ${status === 'failed' ? sql`now()` : sql`null`}) returning id`);
  return { id: row.id, gid };
}

beforeAll(async () => {
  database = await freshDatabase();
  c = await makeCustomer(db());
  other = await makeCustomer(db());
  finance = (await one<{ id: string }>(sql`insert into users (email, name, password_hash) values ('gw-finance@milkrun.test', 'GW Finance', 'x') returning id`)).id;
});
afterAll(() => database?.drop());

describe('gateway payments', () => {
  test('states only move forward: created, authorized, captured, refunded; or failed before capture', async () => {
    const a = await gateway('created');
    await exec(sql`update gateway_payments set status = 'authorized' where id = ${a.id}`);
    await exec(sql`update gateway_payments set status = 'captured', captured_at = now() where id = ${a.id}`);
    // Captured before authorized arrived: back to authorized is refused, and so is failing after capture.
    expect(await refusedBy(exec(sql`update gateway_payments set status = 'authorized', captured_at = null where id = ${a.id}`))).toBe('gateway_payments_status_forward');
    expect(await refusedBy(exec(sql`update gateway_payments set status = 'failed', captured_at = null, failed_at = now() where id = ${a.id}`))).toBe('gateway_payments_status_forward');
    await exec(sql`update gateway_payments set status = 'refunded' where id = ${a.id}`);
    expect(await refusedBy(exec(sql`update gateway_payments set status = 'captured' where id = ${a.id}`))).toBe('gateway_payments_status_forward');
    const f = await gateway('failed');
    expect(await refusedBy(exec(sql`update gateway_payments set status = 'captured', failed_at = null, captured_at = now() where id = ${f.id}`))).toBe('gateway_payments_status_forward');
    expect((await one(sql`select status from gateway_payments where id = ${a.id}`)).status).toBe('refunded');
  });

  test('what was paid never changes, a customer once set stays, and nothing is deleted', async () => {
    const a = await gateway('authorized');
    expect(await refusedBy(exec(sql`update gateway_payments set amount_paise = 1 where id = ${a.id}`))).toBe('gateway_payments_immutable');
    expect(await refusedBy(exec(sql`update gateway_payments set gateway_payment_id = 'pay_other' where id = ${a.id}`))).toBe('gateway_payments_immutable');
    expect(await refusedBy(exec(sql`update gateway_payments set customer_id = ${other.customer.id} where id = ${a.id}`))).toBe('gateway_payments_immutable');
    expect(await refusedBy(exec(sql`delete from gateway_payments where id = ${a.id}`))).toBe('gateway_payments_immutable');
    // An unmatched one may be given its customer (finance assigns it), once.
    const u = await gateway('captured', { customer: null });
    await exec(sql`update gateway_payments set customer_id = ${c.customer.id}, assigned_by = ${finance}, assigned_at = now() where id = ${u.id}`);
  });

  test('one row per gateway id; amounts, ids and texts bounded; dates follow the state; assignment names its customer', async () => {
    const a = await gateway('created');
    expect(await refusedBy(gateway('created', { id: a.gid }))).toBe('gateway_payments_gateway_id_key');
    expect(await refusedBy(gateway('created', { amount: 0 }))).toBe('gateway_payments_amount_valid');
    expect(await refusedBy(gateway('created', { id: '' }))).toBe('gateway_payments_id_format');
    expect(await refusedBy(exec(sql`insert into gateway_payments (gateway_payment_id, amount_paise, method) values (${pay()}, 100, ${'x'.repeat(41)})`))).toBe('gateway_payments_text_lengths');
    expect(await refusedBy(exec(sql`insert into gateway_payments (gateway_payment_id, status, amount_paise) values (${pay()}, 'captured', 100)`))).toBe('gateway_payments_dates_follow_status');
    expect(await refusedBy(exec(sql`insert into gateway_payments (gateway_payment_id, amount_paise, failed_at) values (${pay()}, 100, now())`))).toBe('gateway_payments_dates_follow_status');
    expect(await refusedBy(exec(sql`insert into gateway_payments (gateway_payment_id, amount_paise, assigned_at) values (${pay()}, 100, now())`))).toBe('gateway_payments_assignment_consistent');
    expect(await refusedBy(gateway('created', { customer: UNKNOWN }))).toBe('gateway_payments_customer_id_fk');
    expect(await refusedBy(exec(sql`insert into gateway_payments (gateway_payment_id, amount_paise, customer_id, assigned_by, assigned_at) values (${pay()}, 100, ${c.customer.id}, ${UNKNOWN}, now())`))).toBe(
      'gateway_payments_assigned_by_fk',
    );
  });

  test('recorded as a payment only once captured, for its customer, as a gateway payment of its id and amount, once', async () => {
    const g = await gateway('captured', { amount: 5000 });
    const payment = await insertPayment(db(), c.customer.id, 5000, { method: 'gateway', reference: g.gid });
    // The same gateway payment cannot be recorded twice, by hand or by a replayed event.
    expect(await refusedBy(insertPayment(db(), other.customer.id, 5000, { method: 'gateway', reference: g.gid }))).toBe('payments_gateway_reference_key');
    const auth = await gateway('authorized', { amount: 5000 });
    const early = await insertPayment(db(), c.customer.id, 5000, { method: 'gateway', reference: auth.gid });
    expect(await refusedBy(exec(sql`update gateway_payments set payment_id = ${early} where id = ${auth.id}`))).toBe('gateway_payments_recorded_when_captured');
    const stranger = await gateway('captured', { amount: 5000, customer: other.customer.id });
    const theirs = await insertPayment(db(), c.customer.id, 5000, { method: 'gateway', reference: stranger.gid });
    expect(await refusedBy(exec(sql`update gateway_payments set payment_id = ${theirs} where id = ${stranger.id}`))).toBe('gateway_payments_payment_fk');
    const wrongAmount = await insertPayment(db(), c.customer.id, 4999, { method: 'gateway', reference: pay() });
    expect(await refusedBy(exec(sql`update gateway_payments set payment_id = ${wrongAmount} where id = ${g.id}`))).toBe('gateway_payments_payment_matches');
    await exec(sql`update gateway_payments set payment_id = ${payment} where id = ${g.id}`);
    // Two gateway payments on one payment: the id check refuses first; without it, the unique key.
    const twin = await gateway('captured', { amount: 5000 });
    expect(await refusedBy(exec(sql`update gateway_payments set payment_id = ${payment} where id = ${twin.id}`))).toBe('gateway_payments_payment_matches');
    let name: string | undefined;
    await db()
      .transaction(async (tx) => {
        await tx.execute(sql`alter table gateway_payments disable trigger gateway_payments_payment_check`);
        name = await refusedBy(tx.execute(sql`update gateway_payments set payment_id = ${payment} where id = ${twin.id}`));
        tx.rollback();
      })
      .catch((e: unknown) => {
        if (!(e instanceof Error && /rollback/i.test(e.message + e.name))) throw e;
      });
    expect(name).toBe('gateway_payments_payment_key');
    const cash = await insertPayment(db(), c.customer.id, 5000);
    expect(await refusedBy(exec(sql`update gateway_payments set payment_id = ${cash} where id = ${g.id}`))).toBe('gateway_payments_immutable');
  });
});

describe('gateway events', () => {
  test('an event id is kept once; the outcome is written once; nothing else changes; never deleted', async () => {
    const ins = (eventId: string) => exec(sql`insert into gateway_events (event_id, event, payload) values (${eventId}, 'payment.captured', '{}'::jsonb)`);
    await ins('evt_once');
    expect(await refusedBy(ins('evt_once'))).toBe('gateway_events_event_id_key');
    expect(await refusedBy(exec(sql`insert into gateway_events (event_id, event, payload) values (${'e'.repeat(101)}, 'payment.captured', '{}'::jsonb)`))).toBe('gateway_events_text_lengths');
    await exec(sql`update gateway_events set outcome = 'applied', detail = 'done' where event_id = 'evt_once'`);
    expect(await refusedBy(exec(sql`update gateway_events set outcome = 'stale' where event_id = 'evt_once'`))).toBe('gateway_events_append_only');
    await ins('evt_two');
    expect(await refusedBy(exec(sql`update gateway_events set outcome = 'applied', payload = '{"x": 1}'::jsonb where event_id = 'evt_two'`))).toBe('gateway_events_append_only');
    expect(await refusedBy(exec(sql`delete from gateway_events where event_id = 'evt_once'`))).toBe('gateway_events_append_only');
  });
});

describe('settlements', () => {
  const sha = (n: number) => n.toString(16).padStart(64, '0');
  let fileSeq = 100;
  const file = async (over: Record<string, unknown> = {}) =>
    (
      await one<{ id: string }>(sql`insert into settlement_uploads (file_sha256, file_name, line_count, matched_count, exception_count, amount_paise, fee_paise, tax_paise)
        values (${(over.sha as string) ?? sha(++fileSeq)}, 'f.csv', ${(over.lines as number) ?? 0}, ${(over.matched as number) ?? 0}, 0, 0, 0, 0) returning id`)
    ).id;
  const line = (upload: string, ref: string, status: string, gatewayId: string | null, amount = 5000, lineNo = ++fileSeq) =>
    exec(sql`insert into settlement_lines (upload_id, line_no, settlement_id, utr, payment_ref, amount_paise, fee_paise, tax_paise, settled_at, status, gateway_payment_id)
      values (${upload}, ${lineNo}, 'setl_1', 'UTR1', ${ref}, ${amount}, 0, 0, now(), ${status}::settlement_line_status, ${gatewayId}) returning id`);

  test('a file once (its SHA-256); counts that add up; named by whoever uploaded it', async () => {
    await file({ sha: sha(1) });
    expect(await refusedBy(file({ sha: sha(1) }))).toBe('settlement_uploads_file_key');
    expect(await refusedBy(file({ sha: 'not-a-hash' }))).toBe('settlement_uploads_sha256_format');
    expect(await refusedBy(file({ lines: 3, matched: 1 }))).toBe('settlement_uploads_counts_valid');
    expect(await refusedBy(exec(sql`insert into settlement_uploads (file_sha256, file_name, uploaded_by, line_count, matched_count, exception_count, amount_paise, fee_paise, tax_paise)
      values (${sha(2)}, 'f.csv', ${UNKNOWN}, 0, 0, 0, 0, 0, 0)`))).toBe('settlement_uploads_uploaded_by_fk');
  });

  test("a payment settled once; a line's verdict is its payment's; amounts and texts bounded; kept as uploaded", async () => {
    const f = await file();
    const g = await gateway('captured', { amount: 5000 });
    const auth = await gateway('authorized', { amount: 5000 });
    await line(f, g.gid, 'matched', g.id, 5000, 1);
    expect(await refusedBy(line(f, g.gid, 'matched', g.id, 5000, 2))).toBe('settlement_lines_payment_key');
    expect(await refusedBy(line(f, pay(), 'unknown_payment', null, 5000, 1))).toBe('settlement_lines_upload_line_key');
    expect(await refusedBy(line(UNKNOWN, pay(), 'unknown_payment', null))).toBe('settlement_lines_upload_fk');
    expect(await refusedBy(line(f, pay(), 'matched', UNKNOWN))).toBe('settlement_lines_gateway_payment_fk');
    expect(await refusedBy(line(f, pay(), 'unknown_payment', null, 0))).toBe('settlement_lines_amounts_valid');
    expect(await refusedBy(line(f, '', 'unknown_payment', null))).toBe('settlement_lines_text_valid');
    expect(await refusedBy(line(f, pay(), 'matched', null))).toBe('settlement_lines_payment_when_known');
    // Verdicts: matched only for a captured payment of the amount; a known payment is never "unknown".
    const other = await gateway('captured', { amount: 5000 });
    expect(await refusedBy(line(f, other.gid, 'matched', other.id, 4000))).toBe('settlement_lines_verdict');
    expect(await refusedBy(line(f, auth.gid, 'matched', auth.id))).toBe('settlement_lines_verdict');
    expect(await refusedBy(line(f, other.gid, 'unknown_payment', null))).toBe('settlement_lines_verdict');
    expect(await refusedBy(line(f, g.gid + 'x', 'matched', g.id))).toBe('settlement_lines_verdict');
    await line(f, other.gid, 'amount_mismatch', other.id, 4000);
    expect(await refusedBy(exec(sql`update settlement_lines set utr = 'UTR2' where payment_ref = ${g.gid}`))).toBe('settlement_rows_immutable');
    expect(await refusedBy(exec(sql`delete from settlement_lines where payment_ref = ${g.gid}`))).toBe('settlement_rows_immutable');
    expect(await refusedBy(exec(sql`delete from settlement_uploads where id = ${f}`))).toBe('settlement_rows_immutable');
  });

  test('exceptions: one per line, one "not settled" per payment, subject by kind, resolved once with a note', async () => {
    const f = await file();
    const ref = pay();
    const [l] = await sqlRows<{ id: string }>(db(), sql`insert into settlement_lines (upload_id, line_no, settlement_id, utr, payment_ref, amount_paise, fee_paise, tax_paise, settled_at, status)
      values (${f}, 1, 'setl_1', 'UTR1', ${ref}, 100, 0, 0, now(), 'unknown_payment') returning id`);
    const ex = (kind: string, lineId: string | null, gatewayId: string | null) =>
      exec(sql`insert into settlement_exceptions (kind, settlement_line_id, gateway_payment_id, detail) values (${kind}::settlement_exception_kind, ${lineId}, ${gatewayId}, 'x') returning id`);
    await ex('unknown_payment', l.id, null);
    expect(await refusedBy(ex('unknown_payment', l.id, null))).toBe('settlement_exceptions_line_key');
    const g = await gateway('captured');
    await ex('not_settled', null, g.id);
    expect(await refusedBy(ex('not_settled', null, g.id))).toBe('settlement_exceptions_not_settled_key');
    expect(await refusedBy(ex('unknown_payment', UNKNOWN, null))).toBe('settlement_exceptions_line_fk');
    expect(await refusedBy(ex('not_settled', null, UNKNOWN))).toBe('settlement_exceptions_gateway_payment_fk');
    expect(await refusedBy(ex('not_settled', l.id, g.id))).toBe('settlement_exceptions_subject');
    expect(await refusedBy(ex('amount_mismatch', null, null))).toBe('settlement_exceptions_subject');
    const id = (await one<{ id: string }>(sql`select id from settlement_exceptions where settlement_line_id = ${l.id}`)).id;
    expect(await refusedBy(exec(sql`update settlement_exceptions set status = 'resolved', resolved_at = now() where id = ${id}`))).toBe('settlement_exceptions_resolution_consistent');
    expect(await refusedBy(exec(sql`update settlement_exceptions set status = 'resolved', resolved_at = now(), resolution = 'ok', resolved_by = ${UNKNOWN} where id = ${id}`))).toBe(
      'settlement_exceptions_resolved_by_fk',
    );
    expect(await refusedBy(exec(sql`update settlement_exceptions set detail = 'changed' where id = ${id}`))).toBe('settlement_exceptions_resolved_once');
    await exec(sql`update settlement_exceptions set status = 'resolved', resolved_at = now(), resolution = 'A test payment' where id = ${id}`);
    expect(await refusedBy(exec(sql`update settlement_exceptions set resolution = 'Another' where id = ${id}`))).toBe('settlement_exceptions_resolved_once');
    expect(await refusedBy(exec(sql`delete from settlement_exceptions where id = ${id}`))).toBe('settlement_exceptions_resolved_once');
  });

  test('the scan: captured more than three days before as_of and not settled, one exception each, however often it runs', async () => {
    const g = await gateway('captured');
    await exec(sql`alter table gateway_payments disable trigger gateway_payments_guard`);
    await exec(sql`update gateway_payments set captured_at = now() - interval '5 days' where id = ${g.id}`);
    await exec(sql`alter table gateway_payments enable trigger gateway_payments_guard`);
    await exec(sql`select * from settlement_exceptions_scan(now())`);
    await exec(sql`select * from settlement_exceptions_scan(now())`);
    expect((await sqlRows(db(), sql`select kind, status from settlement_exceptions where gateway_payment_id = ${g.id}`))).toEqual([{ kind: 'not_settled', status: 'open' }]);
  });
});

describe('data health', () => {
  test('finds a captured payment left unrecorded or recorded wrong, and an event or payment applied twice, written with the rules bypassed', async () => {
    const okay = await gateway('captured', { amount: 7000 });
    const p = await insertPayment(db(), c.customer.id, 7000, { method: 'gateway', reference: okay.gid });
    await exec(sql`update gateway_payments set payment_id = ${p} where id = ${okay.id}`);
    const healthy = (await dataHealth(db())).checks.filter((x) => gatewayChecks.some((m) => m.name === x.name) && x.count > 0);
    // Rows of the tests above may be left unrecorded on purpose (captured, with a customer, no payment): only ours count.
    expect(healthy.flatMap((x) => x.examples)).not.toContain(okay.id);

    let health: DataHealth | undefined;
    const broken: Record<string, string> = {};
    const hits: Record<string, number> = {};
    await db()
      .transaction(async (tx) => {
        await tx.execute(sql`set local session_replication_role = replica`);
        await tx.execute(sql`drop index payments_gateway_reference_key`);
        await tx.execute(sql`drop index gateway_events_event_id_key`);
        // The event applied twice: its payment recorded again, and the event kept twice.
        await tx.execute(sql`insert into payments (customer_id, amount_paise, method, reference, received_on) values (${c.customer.id}, 7000, 'gateway', ${okay.gid}, current_date)`);
        broken.gateway_events_applied_twice = `payment ${okay.gid}`;
        await tx.execute(sql`insert into gateway_events (event_id, event, payload) values ('evt_twice', 'payment.captured', '{}'), ('evt_twice', 'payment.captured', '{}')`);
        // Recorded as a payment of another amount.
        await tx.execute(sql`update payments set amount_paise = 6000 where id = ${p}`);
        broken.gateway_payments_unrecorded = okay.id;
        // A settlement line matched to that payment for another amount than it has.
        const [u] = await sqlRows<{ id: string }>(tx as unknown as Db, sql`insert into settlement_uploads (file_sha256, file_name, line_count, matched_count, exception_count, amount_paise, fee_paise, tax_paise)
          values (${'f'.repeat(64)}, 'bad.csv', 1, 1, 0, 6500, 0, 0) returning id`);
        const [bad] = await sqlRows<{ id: string }>(tx as unknown as Db, sql`insert into settlement_lines (upload_id, line_no, settlement_id, utr, payment_ref, amount_paise, fee_paise, tax_paise, settled_at, status, gateway_payment_id)
          values (${u.id}, 1, 'setl_bad', 'UTRBAD', ${okay.gid}, 6500, 0, 0, now(), 'matched', ${okay.id}) returning id`);
        broken.settlements_inconsistent = bad.id;
        health = await dataHealth(tx as unknown as Db);
        // Rows the tests above left unrecorded on purpose crowd the examples: ask the check about ours alone.
        for (const check of gatewayChecks) {
          const found = await sqlRows<{ id: string }>(tx as unknown as Db, sql`select id from (${check.broken}) x where id = ${broken[check.name]}`);
          hits[check.name] = found.length;
        }
        tx.rollback();
      })
      .catch((err: unknown) => {
        if (!(err instanceof Error && /rollback/i.test(err.message + err.name))) throw err;
      });
    for (const name of Object.keys(broken)) {
      expect(health!.checks.find((x) => x.name === name)!.count, name).toBeGreaterThan(0);
      expect(hits[name], name).toBe(1);
    }
    expect(health!.checks.find((x) => x.name === 'gateway_events_applied_twice')!.examples).toContain('event evt_twice');
    expect(Object.keys(broken).sort()).toEqual(gatewayChecks.map((m) => m.name).sort());
    const after = (await dataHealth(db())).checks.filter((x) => gatewayChecks.some((m) => m.name === x.name) && x.count > 0);
    expect(after.flatMap((x) => x.examples)).not.toContain(okay.id);
  });
});
