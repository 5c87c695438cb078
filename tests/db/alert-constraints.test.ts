import { sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { freshDatabase } from '../helpers/app.js';
import { sqlRows } from '../helpers/chain-fixtures.js';
import { refusedBy } from '../helpers/refused.js';

// Alert rules, incidents and request statistics written around the API with raw SQL: each rule refuses, by name.
let database: Awaited<ReturnType<typeof freshDatabase>>;
const db = () => database.db;
const one = async <T = Record<string, any>>(q: SQL) => (await sqlRows<T>(db(), q))[0];

const rule = (name: string, threshold = 0, window = 5) =>
  db().execute(sql`insert into alert_rules (kind, name, threshold, window_minutes) values ('error_rate', ${name}, ${threshold}, ${window}) returning id`);
const fire = (ruleId: string, value = 5) => db().execute(sql`insert into alerts (rule_id, value, threshold, last_value) values (${ruleId}::uuid, ${value}, 1, ${value}) returning id`);

beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(() => database?.drop());

test('the migration seeds the six rules the issue names, enabled', async () => {
  const rows = await sqlRows(db(), sql`select kind::text, threshold, window_minutes, enabled from alert_rules order by kind`);
  expect(rows.map((r) => r.kind).sort()).toEqual(['data_health_broken', 'error_rate', 'invoice_run_failed', 'notifications_backlog', 'p99_latency', 'unbilled_at_midnight']);
  expect(rows.every((r) => r.enabled)).toBe(true);
  expect(rows.find((r) => r.kind === 'error_rate')).toMatchObject({ threshold: 100, window_minutes: 5 });
  expect(rows.find((r) => r.kind === 'p99_latency')).toMatchObject({ threshold: 1000 });
});

test('a rule has a unique name of 3 to 80 characters, a threshold and a window of at most a week', async () => {
  await rule('Errors, strict');
  expect(await refusedBy(rule('Errors, strict'))).toBe('alert_rules_name_key');
  expect(await refusedBy(rule('  '))).toBe('alert_rules_name_valid');
  expect(await refusedBy(rule('Negative', -1))).toBe('alert_rules_threshold_valid');
  expect(await refusedBy(rule('No window', 1, 0))).toBe('alert_rules_window_valid');
  expect(await refusedBy(rule('Too long a window', 1, 10081))).toBe('alert_rules_window_valid');
});

test('one open incident per rule; cleared ones are history (no reopening, rebinding, rewriting or deleting)', async () => {
  const r = await one<{ id: string }>(sql`select id from alert_rules where kind = 'p99_latency'`);
  const other = await one<{ id: string }>(sql`select id from alert_rules where kind = 'error_rate' limit 1`);
  await fire(r.id);
  const [open] = await sqlRows<{ id: string }>(db(), sql`select id from alerts where rule_id = ${r.id}`);
  expect(await refusedBy(fire(r.id))).toBe('alerts_one_open_per_rule');
  expect(await refusedBy(db().execute(sql`insert into alerts (rule_id, value, threshold, last_value) values (${'00000000-0000-4000-8000-000000000000'}::uuid, 1, 1, 1)`))).toBe('alerts_rule_id_fk');
  expect(await refusedBy(db().execute(sql`insert into alerts (rule_id, value, threshold, last_value) values (${other.id}::uuid, -1, 1, 1)`))).toBe('alerts_values_nonnegative');
  // Rebinding an incident to another rule, or rewriting its value, is refused even while open.
  expect(await refusedBy(db().execute(sql`update alerts set rule_id = ${other.id}::uuid where id = ${open.id}::uuid`))).toBe('alerts_history_immutable');
  expect(await refusedBy(db().execute(sql`update alerts set value = 99 where id = ${open.id}::uuid`))).toBe('alerts_history_immutable');
  expect(await refusedBy(db().execute(sql`update alerts set cleared_at = fired_at - interval '1 minute' where id = ${open.id}::uuid`))).toBe('alerts_cleared_after_fired');
  // The open one follows its value, then clears; a new incident may then open.
  await db().execute(sql`update alerts set last_value = 7 where id = ${open.id}::uuid`);
  await db().execute(sql`update alerts set cleared_at = now(), cleared_value = 0 where id = ${open.id}::uuid`);
  expect(await refusedBy(db().execute(sql`update alerts set cleared_at = null where id = ${open.id}::uuid`))).toBe('alerts_history_immutable');
  expect(await refusedBy(db().execute(sql`update alerts set last_value = 1 where id = ${open.id}::uuid`))).toBe('alerts_history_immutable');
  expect(await refusedBy(db().execute(sql`delete from alerts where id = ${open.id}::uuid`))).toBe('alerts_append_only');
  await fire(r.id);
  expect(Number((await one(sql`select count(*) as n from alerts where rule_id = ${r.id}`)).n)).toBe(2);
});

test('request statistics: whole minutes, errors within requests', async () => {
  const insert = (minute: string, requests: number, errors: number) =>
    db().execute(sql`insert into request_stats (minute, process_id, requests, errors, buckets) values (${minute}::timestamptz, 'p1', ${requests}, ${errors}, '{0}')`);
  await insert('2026-05-01T10:00:00Z', 10, 1);
  expect(await refusedBy(insert('2026-05-01T10:00:00Z', 1, 0))).toBe('request_stats_pkey');
  expect(await refusedBy(insert('2026-05-01T10:01:30Z', 1, 0))).toBe('request_stats_minute_whole');
  expect(await refusedBy(insert('2026-05-01T10:02:00Z', 1, 2))).toBe('request_stats_counts_valid');
});
