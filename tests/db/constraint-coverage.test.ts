import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { describeConstraint } from '../../api/lib/constraints.js';
import { freshDatabase } from '../helpers/app.js';
import { sqlRows } from '../helpers/chain-fixtures.js';

// Every rule the database holds has a test that trips it: read from the catalog (pg_constraint, and pg_trigger with
// the names its function raises), not from a hand-kept list, so a new constraint or trigger without a test fails here.
// A name counts as tested when some test file under tests/ quotes it (the tests assert names, e.g. in
// chain-constraints.test.ts and constraints.test.ts). NOT NULL and primary keys are left out (the columns say them);
// constraint triggers (contype 't') are checked with the other triggers, by the names they raise.

/**
 * Rules written before this check existed and still without a test of their own: the debt, named. The list may only
 * shrink: a name here that gains a test fails too (remove it), and a new rule cannot be added to it silently in review.
 */
const UNTESTED = [
  'addresses_customer_id_id_key', 'billing_records_customer_id_fk', 'billing_records_gst_rate_fk', 'billing_records_invoice_id_fk',
  'billing_records_legacy_not_invoiced', 'billing_records_product_id_fk', 'billing_records_quantity_positive', 'billing_records_taxable_exact',
  'billing_records_total_exact', 'billing_records_unit_price_nonnegative', 'deliveries_confirmed_by_fk', 'deliveries_id_order_key', 'deliveries_lat_range',
  'deliveries_lng_range', 'deliveries_staff_id_fk', 'delivery_items_delivery_fk', 'delivery_items_id_quantity_key', 'idempotency_keys_user_id_fk',
  'import_anomalies_run_id_fk', 'import_runs_actor_id_fk', 'import_runs_finished_consistent', 'invoice_lines_gst_rate_fk', 'invoice_lines_invoice_id_fk',
  'invoice_lines_product_id_fk', 'invoice_lines_quantity_positive', 'invoice_lines_total_exact', 'invoice_runs_customer_id_fk', 'invoice_runs_month_first_day',
  'invoice_runs_started_by_fk', 'invoices_amounts_nonnegative', 'invoices_created_by_fk', 'invoices_customer_id_fk', 'invoices_financial_year_format',
  'invoices_number_format', 'invoices_period_valid', 'invoices_replaces_fk', 'invoices_seq_positive', 'invoices_series_year_seq_key', 'invoices_supplier_block',
  'invoices_total_exact', 'invoices_voided_by_fk', 'legacy_ids_oid_format', 'legacy_ids_run_id_fk', 'legacy_ids_some_id', 'order_items_id_quantity_key',
  'order_items_order_id_fk', 'order_items_order_id_id_key', 'order_items_product_id_fk', 'orders_created_by_fk', 'orders_id_customer_key', 'orders_id_date_key',
  'orders_kind_subscription', 'orders_subscription_customer_fk', 'orders_total_nonnegative', 'product_requests_decided_by_fk',
  'product_requests_requested_by_fk', 'sessions_user_id_fk', 'settings_gstin_format', 'settings_pan_format', 'settings_supplier_email_format',
  'settings_supplier_name_length', 'settings_supplier_phone_format', 'settings_supplier_state_length', 'settings_updated_by_fk', 'staff_phone_format',
  'staff_user_id_fk', 'staff_zone_id_fk', 'subscription_overrides_subscription_id_fk', 'subscription_pauses_range_valid', 'subscription_pauses_subscription_id_fk',
  'subscriptions_cancelled_consistent', 'subscriptions_customer_id_fk', 'subscriptions_end_after_start', 'subscriptions_id_customer_key',
  'subscriptions_product_id_fk', 'subscriptions_quantity_positive', 'subscriptions_weekdays_valid', 'user_roles_user_id_fk',
  'billing_records_invoice_matches', 'billing_records_on_issued_invoice',
];

/**
 * Triggers that write derived rows and refuse nothing: the dashboard's totals, and staff pay's earnings lines written
 * when a delivery is settled and released when a transfer fails (tests/db/staff-pay-constraints.test.ts checks their rows),
 * and a role's permissions_version moved on by any change of its grants (tests/db/access-constraints.test.ts).
 */
const DERIVING = ['deliveries_earn', 'deliveries_queue_earning', 'payout_items_release', 'roles_permissions_version_fresh', 'permissions_bump_role_version'];
const keepsTotals = (trigger: string) => /_keeps?_totals(_|$)/.test(trigger) || DERIVING.includes(trigger);

let database: Awaited<ReturnType<typeof freshDatabase>>;
let testText = '';
const quoted = (name: string) => testText.includes(`'${name}'`) || testText.includes(`"${name}"`);

beforeAll(async () => {
  database = await freshDatabase();
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const f of readdirSync(dir)) {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith('.ts') && !p.endsWith('constraint-coverage.test.ts')) files.push(readFileSync(p, 'utf8'));
    }
  };
  walk(join(import.meta.dirname, '..'));
  testText = files.join('\n');
});
afterAll(() => database?.drop());

/** Constraints (not NOT NULL, not primary keys) and, per trigger, the constraint names its function raises. */
async function catalog() {
  const constraints = await sqlRows<{ conname: string }>(
    database.db,
    sql`select conname from pg_constraint c join pg_namespace n on n.oid = c.connamespace
        where n.nspname = 'public' and c.contype not in ('p', 'n', 't') order by conname`,
  );
  const triggers = await sqlRows<{ tgname: string; prosrc: string }>(
    database.db,
    sql`select tg.tgname, p.prosrc from pg_trigger tg join pg_proc p on p.oid = tg.tgfoid join pg_class c on c.oid = tg.tgrelid
        join pg_namespace n on n.oid = c.relnamespace where not tg.tgisinternal and n.nspname = 'public' order by tg.tgname`,
  );
  const raised = triggers.map((t) => ({ trigger: t.tgname, names: [...String(t.prosrc).matchAll(/CONSTRAINT = '([a-z0-9_]+)'/g)].map((m) => m[1]) }));
  return { constraints: constraints.map((c) => c.conname), raised };
}

test('every constraint in pg_constraint has a test that names it (or is in the named debt list)', async () => {
  const { constraints, raised } = await catalog();
  const names = [...new Set([...constraints, ...raised.flatMap((r) => r.names)])].sort();
  expect(names.length).toBeGreaterThan(100);
  expect(names.filter((n) => !quoted(n) && !UNTESTED.includes(n)), 'rules without a test: write one that asserts the name').toEqual([]);
  expect(UNTESTED.filter((n) => quoted(n)), 'tested now: remove from UNTESTED').toEqual([]);
  expect(UNTESTED.filter((n) => !names.includes(n)), 'gone from the database: remove from UNTESTED').toEqual([]);
});

test('every trigger in pg_trigger raises a named constraint that a test asserts, and the API has a message for it', async () => {
  const { raised } = await catalog();
  expect(raised.length).toBeGreaterThan(15);
  // Each trigger says which rule refused (USING CONSTRAINT = ...): the name the API maps and the tests assert. The
  // triggers that keep the dashboard's totals (migration dashboard_totals) refuse nothing: a test that recounts names each of them.
  const rules = raised.filter((r) => !keepsTotals(r.trigger));
  expect(rules.filter((r) => r.names.length === 0).map((r) => r.trigger)).toEqual([]);
  expect(raised.filter((r) => keepsTotals(r.trigger) && !quoted(r.trigger)).map((r) => r.trigger), 'totals kept by no tested trigger').toEqual([]);
  const untested = rules.filter((r) => !r.names.some((n) => quoted(n) && !UNTESTED.includes(n))).map((r) => r.trigger);
  expect(untested, 'triggers no test trips').toEqual([]);
  const unmapped = [...new Set(raised.flatMap((r) => r.names))].filter((n) => !describeConstraint(n));
  expect(unmapped, 'raised by a trigger but without a message in api/lib/constraints.ts').toEqual([]);
});
