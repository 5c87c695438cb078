import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { contractSteps, journalTags, migrationsDir, schemaAfter, type OldSchema } from '../helpers/expand-only.js';

// Migrations newer than the previous release are expand-only: nothing the previous release's code reads is dropped,
// renamed, retyped or made NOT NULL, and no NOT NULL column without a default lands on its tables, because during a
// rolling deploy (and after a rollback) that release runs on the new schema. A deliberate contract step (one release
// after the code stopped using the thing) is listed in db/contract-steps.json with its reason.
// scripts/rolling-deploy-check.sh proves the same by behaviour: the previous release's API tests on the new schema.

const root = join(import.meta.dirname, '../..');
const pointer = Object.fromEntries(
  readFileSync(join(root, '.ci/previous-release'), 'utf8')
    .split('\n')
    .filter((line) => /^\w+=/.test(line))
    .map((line) => line.split('=', 2) as [string, string]),
);
const allowed = (JSON.parse(readFileSync(join(root, 'db/contract-steps.json'), 'utf8')) as { steps: { migration: string; step: string; reason: string }[] }).steps;

describe('migrations newer than the previous release are expand-only', () => {
  const tags = journalTags();
  const released = tags.indexOf(pointer.migration);

  test('.ci/previous-release names a migration of the journal', () => {
    expect(pointer.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(released, `migration=${pointer.migration} is not in db/migrations/meta/_journal.json`).toBeGreaterThanOrEqual(0);
  });

  // scripts/rolling-deploy-check.sh extracts that commit: one missing from the history (a squash dropped it) fails
  // CI's last step, which no npm test run would notice. Skipped outside a git checkout (an extracted tree).
  test.skipIf(!existsSync(join(root, '.git')))(".ci/previous-release's commit is in this clone's history and ends with its migration", () => {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(() => git('cat-file', '-e', `${pointer.commit}^{commit}`), `commit=${pointer.commit} is not in this clone's history`).not.toThrow();
    const oldTags = [...git('show', `${pointer.commit}:db/migrations/meta/_journal.json`).matchAll(/"tag":\s*"([^"]+)"/g)].map((m) => m[1]);
    expect(oldTags.at(-1)).toBe(pointer.migration);
  });

  test('no contract step beyond the ones db/contract-steps.json gives a reason for', () => {
    const old = schemaAfter(pointer.migration);
    const found = tags.slice(released + 1).flatMap((tag) => contractSteps(readFileSync(join(migrationsDir, `${tag}.sql`), 'utf8'), old).map((step) => ({ migration: tag, step })));
    const unlisted = found.filter((f) => !allowed.some((a) => a.migration === f.migration && a.step === f.step));
    expect(unlisted, 'the previous release reads these: expand now, contract one release later (docs/operations.md)').toEqual([]);
    // The list holds only steps still to come: an entry of a released (or renamed) migration is stale.
    const stale = allowed.filter((a) => !found.some((f) => f.migration === a.migration && f.step === a.step));
    expect(stale, 'db/contract-steps.json entries that no migration newer than the previous release takes').toEqual([]);
    for (const a of allowed) expect(a.reason.trim().length, `${a.migration} ${a.step}: say why`).toBeGreaterThan(20);
  });
});

describe('the lint finds each kind of contract step', () => {
  const old: OldSchema = {
    tables: new Map([
      ['customers', new Set(['id', 'name', 'phone'])],
      ['legacy', new Set(['id'])],
    ]),
    enums: new Set(['order_kind']),
    views: new Set(['customer_totals']),
  };

  test.each([
    ['ALTER TABLE "customers" DROP COLUMN "phone";', 'drop column customers.phone'],
    ['alter table public.customers drop column if exists phone cascade;', 'drop column customers.phone'],
    ['ALTER TABLE "customers" RENAME COLUMN "phone" TO "mobile";', 'rename column customers.phone'],
    ['ALTER TABLE "customers" RENAME TO "clients";', 'rename table customers'],
    ['ALTER TABLE "customers" ALTER COLUMN "name" SET DATA TYPE varchar(40);', 'change type customers.name'],
    ['ALTER TABLE "customers" ALTER COLUMN "phone" TYPE bigint USING phone::bigint;', 'change type customers.phone'],
    ['ALTER TABLE "customers" ALTER COLUMN "phone" SET NOT NULL;', 'set not null customers.phone'],
    ['ALTER TABLE "customers" ADD COLUMN "gstin" text NOT NULL;', 'add not null column without default customers.gstin'],
    ['DROP TABLE IF EXISTS "legacy" CASCADE;', 'drop table legacy'],
    ['DROP VIEW "customer_totals";', 'drop view customer_totals'],
    ["ALTER TYPE \"order_kind\" RENAME VALUE 'one_time' TO 'once';", 'rename enum order_kind'],
  ])('%s', (sql, step) => {
    expect(contractSteps(sql, old)).toEqual([step]);
  });

  test('several actions of one ALTER TABLE are each judged', () => {
    expect(contractSteps('ALTER TABLE customers ADD COLUMN note text, DROP COLUMN name, ALTER COLUMN phone SET NOT NULL;', old)).toEqual([
      'drop column customers.name',
      'set not null customers.phone',
    ]);
  });

  test('expanding is not a contract step', () => {
    const sql = `
      CREATE TABLE "zones" ("id" uuid PRIMARY KEY, "name" text NOT NULL);
      ALTER TABLE "zones" DROP COLUMN "name"; -- a table the old release did not have
      ALTER TABLE "customers" ADD COLUMN "note" text;
      ALTER TABLE "customers" ADD COLUMN "active" boolean NOT NULL DEFAULT true;
      ALTER TABLE "customers" ADD CONSTRAINT "customers_name_length" CHECK (length(name) < 200) NOT VALID;
      ALTER TABLE "customers" DROP CONSTRAINT "customers_old_check";
      ALTER TABLE "customers" ALTER COLUMN "phone" DROP NOT NULL;
      ALTER TABLE "customers" ALTER COLUMN "name" DROP DEFAULT;
      ALTER TABLE "customers" RENAME CONSTRAINT "a" TO "b";
      CREATE INDEX CONCURRENTLY "customers_phone_idx" ON "customers" ("phone");
      CREATE FUNCTION f() RETURNS trigger AS $$ BEGIN EXECUTE 'ALTER TABLE customers DROP COLUMN phone'; RETURN NEW; END $$ LANGUAGE plpgsql;
      ALTER TYPE "order_kind" ADD VALUE 'standing';
    `;
    expect(contractSteps(sql, old)).toEqual([]);
  });

  test('the migrations up to 0053, each against the schema before it: the only step it finds is 0006 widening an integer', () => {
    // Real SQL of every style the project writes, where the lint must not cry wolf (history, so a fixed range).
    const tags = journalTags().slice(0, journalTags().indexOf('0053_forecast_one_time_index') + 1);
    const found = tags.slice(1).flatMap((tag, i) => contractSteps(readFileSync(join(migrationsDir, `${tag}.sql`), 'utf8'), schemaAfter(tags[i])).map((s) => `${tag}: ${s}`));
    expect(found).toEqual(['0006_invoice_runs_amount_bigint: change type invoice_runs.amount_paise']);
  });
});
