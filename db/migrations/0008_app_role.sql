-- The API's role on PostgreSQL: row reads and writes only. Migrations run as the owner
-- (MIGRATION_DATABASE_URL); the API logs in as a member of milkrun_app (DATABASE_URL), so it cannot
-- TRUNCATE, run DDL, disable triggers, or rewrite the append-only tables below. On PGlite the role
-- exists but the one embedded connection stays the superuser: the hardening is for PostgreSQL.
-- Roles are cluster-wide and databases are migrated concurrently (tests clone one per file): a role
-- that already exists, or that another migration creates at the same moment, is fine. The owner needs no
-- CREATEROLE when a superuser made milkrun_app first (deploy/postgres-init.sh, README): CREATE ROLE is asked
-- for only when the role is missing (edited after release: a fresh database as such an owner failed here).
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'milkrun_app') THEN
    CREATE ROLE milkrun_app NOLOGIN;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END
$$;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO milkrun_app;
--> statement-breakpoint
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO milkrun_app;
--> statement-breakpoint
-- Tables and sequences that later migrations create (as this same owner) are granted the same way;
-- a later append-only table must REVOKE UPDATE, DELETE itself, as below.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO milkrun_app;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO milkrun_app;
--> statement-breakpoint
-- Append-only: history and issued invoice lines are written once.
REVOKE UPDATE, DELETE ON audit_logs, invoice_lines FROM milkrun_app;
--> statement-breakpoint
-- The chain is never deleted from: an order is cancelled, a delivery fails, an invoice is voided.
REVOKE DELETE ON orders, order_items, deliveries, delivery_items, billing_records, invoices, document_series, invoice_runs, legacy_ids, import_runs FROM milkrun_app;
