CREATE TYPE "public"."invoice_payment_status" AS ENUM('unpaid', 'partially_paid', 'paid');--> statement-breakpoint
CREATE TYPE "public"."cheque_status" AS ENUM('received', 'deposited', 'cleared', 'bounced');--> statement-breakpoint
CREATE TYPE "public"."payment_mode" AS ENUM('cash', 'upi', 'bank_transfer', 'cheque', 'gateway');--> statement-breakpoint
CREATE TYPE "public"."payment_status" AS ENUM('created', 'authorized', 'captured', 'refunded', 'failed');--> statement-breakpoint
CREATE TYPE "public"."wallet_entry_kind" AS ENUM('credit', 'debit', 'expiry', 'reinstate', 'withdrawal');--> statement-breakpoint
CREATE TYPE "public"."wallet_lot_source" AS ENUM('overpayment', 'top_up', 'promo', 'refund');--> statement-breakpoint
CREATE TABLE "customer_balances" (
	"customer_id" uuid PRIMARY KEY NOT NULL,
	"balance_due_paise" bigint DEFAULT 0 NOT NULL,
	"open_invoices" integer DEFAULT 0 NOT NULL,
	"oldest_due_date" date,
	"wallet_paise" bigint DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "customer_balances_nonnegative" CHECK ("customer_balances"."balance_due_paise" >= 0 and "customer_balances"."wallet_paise" >= 0 and "customer_balances"."open_invoices" >= 0),
	CONSTRAINT "customer_balances_oldest_when_open" CHECK (("customer_balances"."open_invoices" > 0) = ("customer_balances"."oldest_due_date" is not null))
);
--> statement-breakpoint
CREATE TABLE "payment_allocations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"customer_id" uuid NOT NULL,
	"invoice_id" uuid NOT NULL,
	"payment_id" uuid,
	"wallet_transaction_id" uuid,
	"amount_paise" bigint NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"reversed_at" timestamp with time zone,
	"reversed_by" uuid,
	"reversal_reason" text,
	CONSTRAINT "payment_allocations_amount_positive" CHECK ("payment_allocations"."amount_paise" > 0),
	CONSTRAINT "payment_allocations_one_source" CHECK (("payment_allocations"."payment_id" is null) <> ("payment_allocations"."wallet_transaction_id" is null)),
	CONSTRAINT "payment_allocations_reversal_consistent" CHECK (("payment_allocations"."reversed_at" is null) = ("payment_allocations"."reversal_reason" is null) and ("payment_allocations"."reversed_by" is null or "payment_allocations"."reversed_at" is not null))
);
--> statement-breakpoint
CREATE TABLE "payments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"customer_id" uuid NOT NULL,
	"amount_paise" bigint NOT NULL,
	"method" "payment_mode" NOT NULL,
	"reference" text,
	"received_on" date NOT NULL,
	"status" "payment_status" DEFAULT 'captured' NOT NULL,
	"cheque_status" "cheque_status",
	"cheque_deposited_on" date,
	"cheque_cleared_on" date,
	"bounced_on" date,
	"bounce_reason" text,
	"allocated_paise" bigint DEFAULT 0 NOT NULL,
	"credited_paise" bigint DEFAULT 0 NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"recorded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payments_id_customer_key" UNIQUE("id","customer_id"),
	CONSTRAINT "payments_amount_positive" CHECK ("payments"."amount_paise" > 0),
	CONSTRAINT "payments_amount_max" CHECK ("payments"."amount_paise" <= 1000000000),
	CONSTRAINT "payments_reference_required" CHECK ("payments"."method" = 'cash' or length(trim(coalesce("payments"."reference", ''))) > 0),
	CONSTRAINT "payments_reference_length" CHECK ("payments"."reference" is null or length("payments"."reference") <= 100),
	CONSTRAINT "payments_received_on_range" CHECK ("payments"."received_on" between '2000-01-01' and '2100-12-31'),
	CONSTRAINT "payments_cheque_status_for_cheques" CHECK (("payments"."method" = 'cheque') = ("payments"."cheque_status" is not null)),
	CONSTRAINT "payments_cheque_dates_consistent" CHECK (("payments"."cheque_deposited_on" is not null) = coalesce("payments"."cheque_status" in ('deposited', 'cleared', 'bounced'), false)
      and ("payments"."cheque_cleared_on" is not null) = coalesce("payments"."cheque_status" = 'cleared', false)
      and ("payments"."bounced_on" is not null and length(trim(coalesce("payments"."bounce_reason", ''))) > 0) = coalesce("payments"."cheque_status" = 'bounced', false)
      and ("payments"."bounce_reason" is null or "payments"."bounced_on" is not null)
      and coalesce("payments"."cheque_deposited_on" >= "payments"."received_on", true)
      and coalesce("payments"."cheque_cleared_on" >= "payments"."cheque_deposited_on", true)
      and coalesce("payments"."bounced_on" >= "payments"."cheque_deposited_on", true)),
	CONSTRAINT "payments_applied_within_amount" CHECK ("payments"."allocated_paise" >= 0 and "payments"."credited_paise" >= 0 and "payments"."allocated_paise" + "payments"."credited_paise" <= "payments"."amount_paise"),
	CONSTRAINT "payments_bounced_unallocated" CHECK ("payments"."cheque_status" is distinct from 'bounced' or "payments"."allocated_paise" = 0)
);
--> statement-breakpoint
CREATE TABLE "wallet_lots" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"customer_id" uuid NOT NULL,
	"source" "wallet_lot_source" NOT NULL,
	"amount_paise" bigint NOT NULL,
	"remaining_paise" bigint NOT NULL,
	"expires_at" timestamp with time zone,
	"payment_id" uuid,
	"note" text DEFAULT '' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "wallet_lots_id_customer_key" UNIQUE("id","customer_id"),
	CONSTRAINT "wallet_lots_amount_positive" CHECK ("wallet_lots"."amount_paise" > 0 and "wallet_lots"."amount_paise" <= 1000000000),
	CONSTRAINT "wallet_lots_remaining_within_amount" CHECK ("wallet_lots"."remaining_paise" between 0 and "wallet_lots"."amount_paise"),
	CONSTRAINT "wallet_lots_paid_in_from_payment" CHECK (("wallet_lots"."source" in ('overpayment', 'top_up')) = ("wallet_lots"."payment_id" is not null)),
	CONSTRAINT "wallet_lots_paid_in_never_expires" CHECK ("wallet_lots"."payment_id" is null or "wallet_lots"."expires_at" is null)
);
--> statement-breakpoint
CREATE TABLE "wallet_transactions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"customer_id" uuid NOT NULL,
	"lot_id" uuid NOT NULL,
	"kind" "wallet_entry_kind" NOT NULL,
	"amount_paise" bigint NOT NULL,
	"invoice_id" uuid,
	"note" text DEFAULT '' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "wallet_transactions_id_customer_key" UNIQUE("id","customer_id"),
	CONSTRAINT "wallet_transactions_amount_positive" CHECK ("wallet_transactions"."amount_paise" > 0),
	CONSTRAINT "wallet_transactions_invoice_for_applied" CHECK ("wallet_transactions"."kind" not in ('debit', 'reinstate') or "wallet_transactions"."invoice_id" is not null)
);
--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "paid_paise" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "credited_paise" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "balance_due_paise" bigint GENERATED ALWAYS AS (case when status = 'void' then 0 else total_paise - paid_paise - credited_paise end) STORED NOT NULL;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "payment_status" "invoice_payment_status" GENERATED ALWAYS AS (case when status = 'void' then null::invoice_payment_status when paid_paise + credited_paise >= total_paise then 'paid'::invoice_payment_status when paid_paise + credited_paise > 0 then 'partially_paid'::invoice_payment_status else 'unpaid'::invoice_payment_status end) STORED;--> statement-breakpoint
-- Before the foreign keys that point at it (drizzle-kit puts unique constraints last).
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_id_customer_key" UNIQUE("id","customer_id");--> statement-breakpoint
ALTER TABLE "customer_balances" ADD CONSTRAINT "customer_balances_customer_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_allocations" ADD CONSTRAINT "payment_allocations_invoice_fk" FOREIGN KEY ("invoice_id","customer_id") REFERENCES "public"."invoices"("id","customer_id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_allocations" ADD CONSTRAINT "payment_allocations_payment_fk" FOREIGN KEY ("payment_id","customer_id") REFERENCES "public"."payments"("id","customer_id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_allocations" ADD CONSTRAINT "payment_allocations_wallet_fk" FOREIGN KEY ("wallet_transaction_id","customer_id") REFERENCES "public"."wallet_transactions"("id","customer_id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_allocations" ADD CONSTRAINT "payment_allocations_created_by_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_allocations" ADD CONSTRAINT "payment_allocations_reversed_by_fk" FOREIGN KEY ("reversed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_customer_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_recorded_by_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wallet_lots" ADD CONSTRAINT "wallet_lots_customer_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wallet_lots" ADD CONSTRAINT "wallet_lots_payment_fk" FOREIGN KEY ("payment_id","customer_id") REFERENCES "public"."payments"("id","customer_id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wallet_lots" ADD CONSTRAINT "wallet_lots_created_by_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wallet_transactions" ADD CONSTRAINT "wallet_transactions_lot_fk" FOREIGN KEY ("lot_id","customer_id") REFERENCES "public"."wallet_lots"("id","customer_id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wallet_transactions" ADD CONSTRAINT "wallet_transactions_invoice_fk" FOREIGN KEY ("invoice_id","customer_id") REFERENCES "public"."invoices"("id","customer_id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wallet_transactions" ADD CONSTRAINT "wallet_transactions_created_by_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "customer_balances_due_idx" ON "customer_balances" USING btree ("balance_due_paise","customer_id");--> statement-breakpoint
CREATE INDEX "customer_balances_oldest_idx" ON "customer_balances" USING btree ("oldest_due_date","customer_id");--> statement-breakpoint
CREATE INDEX "customer_balances_wallet_idx" ON "customer_balances" USING btree ("wallet_paise","customer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "payment_allocations_wallet_line_key" ON "payment_allocations" USING btree ("wallet_transaction_id");--> statement-breakpoint
CREATE INDEX "payment_allocations_invoice_idx" ON "payment_allocations" USING btree ("invoice_id","created_at");--> statement-breakpoint
CREATE INDEX "payment_allocations_payment_idx" ON "payment_allocations" USING btree ("payment_id");--> statement-breakpoint
CREATE INDEX "payment_allocations_customer_idx" ON "payment_allocations" USING btree ("customer_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "payments_bank_reference_key" ON "payments" USING btree ("method","reference") WHERE "payments"."method" in ('upi', 'bank_transfer');--> statement-breakpoint
CREATE UNIQUE INDEX "payments_cheque_number_key" ON "payments" USING btree ("customer_id","reference") WHERE "payments"."method" = 'cheque' and "payments"."cheque_status" <> 'bounced';--> statement-breakpoint
CREATE INDEX "payments_customer_received_idx" ON "payments" USING btree ("customer_id","received_on");--> statement-breakpoint
CREATE INDEX "payments_received_idx" ON "payments" USING btree ("received_on","id");--> statement-breakpoint
CREATE INDEX "payments_created_idx" ON "payments" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "payments_amount_idx" ON "payments" USING btree ("amount_paise","id");--> statement-breakpoint
CREATE INDEX "payments_recorded_by_idx" ON "payments" USING btree ("recorded_by","created_at");--> statement-breakpoint
CREATE INDEX "payments_reference_trgm_idx" ON "payments" USING gin ("reference" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "payments_cheque_status_idx" ON "payments" USING btree ("cheque_status","received_on") WHERE "payments"."cheque_status" is not null;--> statement-breakpoint
CREATE INDEX "wallet_lots_open_idx" ON "wallet_lots" USING btree ("customer_id","expires_at") WHERE "wallet_lots"."remaining_paise" > 0;--> statement-breakpoint
CREATE INDEX "wallet_lots_expiring_idx" ON "wallet_lots" USING btree ("expires_at") WHERE "wallet_lots"."remaining_paise" > 0 and "wallet_lots"."expires_at" is not null;--> statement-breakpoint
CREATE INDEX "wallet_lots_payment_idx" ON "wallet_lots" USING btree ("payment_id");--> statement-breakpoint
CREATE UNIQUE INDEX "wallet_transactions_one_credit_per_lot" ON "wallet_transactions" USING btree ("lot_id") WHERE "wallet_transactions"."kind" = 'credit';--> statement-breakpoint
CREATE INDEX "wallet_transactions_customer_idx" ON "wallet_transactions" USING btree ("customer_id","created_at","id");--> statement-breakpoint
CREATE INDEX "wallet_transactions_lot_idx" ON "wallet_transactions" USING btree ("lot_id");--> statement-breakpoint
CREATE INDEX "invoices_open_idx" ON "invoices" USING btree ("customer_id","due_date") WHERE "invoices"."status" = 'issued' and "invoices"."balance_due_paise" > 0;--> statement-breakpoint
CREATE INDEX "invoices_balance_due_idx" ON "invoices" USING btree ("balance_due_paise","id");--> statement-breakpoint
CREATE INDEX "invoices_paid_idx" ON "invoices" USING btree ("paid_paise","id");--> statement-breakpoint
CREATE INDEX "invoices_payment_status_idx" ON "invoices" USING btree ("payment_status","issued_at");--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_paid_within_total" CHECK ("invoices"."paid_paise" >= 0 and "invoices"."credited_paise" >= 0 and "invoices"."paid_paise" + "invoices"."credited_paise" <= "invoices"."total_paise");--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_void_unpaid" CHECK ("invoices"."status" = 'issued' or ("invoices"."paid_paise" = 0 and "invoices"."credited_paise" = 0));--> statement-breakpoint
-- ---------------------------------------------------------------------------------------------------------------
-- Money in (issue 12), hand-written: the rules no CHECK or foreign key can state. Each trigger names the rule it
-- enforces (USING CONSTRAINT), which the API maps to a message and a test trips.
-- Maintained columns (invoices.paid_paise, payments.allocated_paise/credited_paise, wallet_lots.remaining_paise,
-- customer_balances) are written only by these triggers: a guard refuses a change made directly
-- (pg_trigger_depth() < 2: not from inside another trigger), so the sums cannot drift from their rows.
-- ---------------------------------------------------------------------------------------------------------------

-- Balances of the invoices that exist already (before the guard below refuses direct writes).
INSERT INTO customer_balances (customer_id, balance_due_paise, open_invoices, oldest_due_date)
SELECT customer_id, sum(balance_due_paise), count(*), min(due_date)
FROM invoices WHERE status = 'issued' AND balance_due_paise > 0 GROUP BY customer_id;
--> statement-breakpoint
-- An issued invoice is still immutable (void and reissue), except what is paid of it, which moves only through its
-- allocations (their trigger); the generated balance and payment status follow. Replaces 0010's version.
CREATE OR REPLACE FUNCTION invoices_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  money text[] := array['paid_paise', 'credited_paise', 'balance_due_paise', 'payment_status'];
  voiding text[] := array['status', 'void_reason', 'voided_at', 'voided_by'];
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'invoices cannot be deleted; void them'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'invoices_immutable';
  END IF;
  IF (NEW.paid_paise, NEW.credited_paise) IS DISTINCT FROM (OLD.paid_paise, OLD.credited_paise) AND pg_trigger_depth() < 2 THEN
    RAISE EXCEPTION 'invoice %: what is paid of it changes only through payment allocations', OLD.number
      USING ERRCODE = 'check_violation', CONSTRAINT = 'invoices_paid_from_allocations';
  END IF;
  IF OLD.status = 'void'
     OR (NEW.status = 'issued' AND (to_jsonb(NEW) - money) <> (to_jsonb(OLD) - money))
     OR (to_jsonb(NEW) - money - voiding) <> (to_jsonb(OLD) - money - voiding) THEN
    RAISE EXCEPTION 'invoice % is issued and cannot change; void it and reissue', OLD.number
      USING ERRCODE = 'check_violation', CONSTRAINT = 'invoices_immutable';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
-- Each customer's balances from their open invoices, for the customers a statement touched (set-based: an invoice
-- run issues hundreds at once). Called by the statement triggers of invoices below.
CREATE FUNCTION customer_balances_refresh(ids uuid[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO customer_balances AS b (customer_id, balance_due_paise, open_invoices, oldest_due_date)
  SELECT c.id, coalesce(sum(i.balance_due_paise), 0), count(i.id), min(i.due_date)
  FROM (SELECT DISTINCT unnest(ids) AS id) c
  LEFT JOIN invoices i ON i.customer_id = c.id AND i.status = 'issued' AND i.balance_due_paise > 0
  GROUP BY c.id
  ON CONFLICT (customer_id) DO UPDATE
    SET balance_due_paise = excluded.balance_due_paise, open_invoices = excluded.open_invoices,
        oldest_due_date = excluded.oldest_due_date, updated_at = now()
    WHERE (b.balance_due_paise, b.open_invoices, b.oldest_due_date)
          IS DISTINCT FROM (excluded.balance_due_paise, excluded.open_invoices, excluded.oldest_due_date);
$$;
--> statement-breakpoint
-- (Each upkeep trigger names the rule it serves when what it must update is not there: the foreign keys and CHECKs
-- refuse such writes first, so these raises are a second line, and say which rule broke if one were dropped.)
CREATE FUNCTION invoices_balances_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM changed_invoices WHERE status = 'void' AND (paid_paise <> 0 OR credited_paise <> 0)) THEN
    RAISE EXCEPTION 'a void invoice holds no money'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'invoices_void_unpaid';
  END IF;
  PERFORM customer_balances_refresh((SELECT array_agg(DISTINCT customer_id) FROM changed_invoices));
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER invoices_balances_on_insert AFTER INSERT ON invoices
  REFERENCING NEW TABLE AS changed_invoices FOR EACH STATEMENT EXECUTE FUNCTION invoices_balances_sync();
--> statement-breakpoint
CREATE TRIGGER invoices_balances_on_update AFTER UPDATE ON invoices
  REFERENCING NEW TABLE AS changed_invoices FOR EACH STATEMENT EXECUTE FUNCTION invoices_balances_sync();
--> statement-breakpoint
-- customer_balances is derived: only the triggers write it.
CREATE FUNCTION customer_balances_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF pg_trigger_depth() < 2 THEN
    RAISE EXCEPTION 'customer_balances is kept by triggers from invoices and wallet lots: % refused', TG_OP
      USING ERRCODE = 'check_violation', CONSTRAINT = 'customer_balances_derived';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER customer_balances_guard BEFORE INSERT OR UPDATE OR DELETE ON customer_balances
  FOR EACH ROW EXECUTE FUNCTION customer_balances_guard();
--> statement-breakpoint
-- Payments: what was received (amount, method, date, customer) never changes; states only move forward; what is
-- allocated and credited of it moves only through allocations and wallet lots. Never deleted.
CREATE FUNCTION payments_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'payments are never deleted'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'payments_immutable';
  END IF;
  IF (NEW.amount_paise, NEW.method, NEW.received_on) IS DISTINCT FROM (OLD.amount_paise, OLD.method, OLD.received_on)
     OR (OLD.customer_id IS NOT NULL AND NEW.customer_id IS DISTINCT FROM OLD.customer_id) THEN
    RAISE EXCEPTION 'payment %: its amount, method, date and customer are what was received', OLD.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'payments_immutable';
  END IF;
  IF (NEW.allocated_paise, NEW.credited_paise) IS DISTINCT FROM (OLD.allocated_paise, OLD.credited_paise) AND pg_trigger_depth() < 2 THEN
    RAISE EXCEPTION 'payment %: what it settles changes only through its allocations and wallet lots', OLD.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'payments_applied_from_allocations';
  END IF;
  IF NEW.status <> OLD.status AND NOT (
       (OLD.status = 'created' AND NEW.status IN ('authorized', 'captured', 'failed'))
    OR (OLD.status = 'authorized' AND NEW.status IN ('captured', 'failed'))
    OR (OLD.status = 'captured' AND NEW.status = 'refunded')) THEN
    RAISE EXCEPTION 'payment % cannot go from % to %', OLD.id, OLD.status, NEW.status
      USING ERRCODE = 'check_violation', CONSTRAINT = 'payments_status_forward';
  END IF;
  IF NEW.cheque_status IS DISTINCT FROM OLD.cheque_status AND NOT (
       (OLD.cheque_status = 'received' AND NEW.cheque_status = 'deposited')
    OR (OLD.cheque_status = 'deposited' AND NEW.cheque_status IN ('cleared', 'bounced'))) THEN
    RAISE EXCEPTION 'cheque % cannot go from % to %', OLD.reference, OLD.cheque_status, NEW.cheque_status
      USING ERRCODE = 'check_violation', CONSTRAINT = 'payments_cheque_forward';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER payments_guard BEFORE UPDATE OR DELETE ON payments FOR EACH ROW EXECUTE FUNCTION payments_guard();
--> statement-breakpoint
-- A new allocation settles an issued invoice from money in hand: a captured payment (not a bounced cheque), or a
-- wallet debit line of the same amount for the same invoice. It is made live (reversed later, never before).
CREATE FUNCTION payment_allocations_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  p record;
  w record;
BEGIN
  IF NEW.reversed_at IS NOT NULL THEN
    RAISE EXCEPTION 'an allocation is made live and reversed later'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'payment_allocations_immutable';
  END IF;
  IF EXISTS (SELECT 1 FROM invoices i WHERE i.id = NEW.invoice_id AND i.status <> 'issued') THEN
    RAISE EXCEPTION 'invoice % is void: nothing can be allocated to it', NEW.invoice_id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'payment_allocations_invoice_issued';
  END IF;
  IF NEW.payment_id IS NOT NULL THEN
    SELECT status, cheque_status INTO p FROM payments WHERE id = NEW.payment_id;
    IF FOUND AND (p.status <> 'captured' OR p.cheque_status IS NOT DISTINCT FROM 'bounced') THEN
      RAISE EXCEPTION 'payment % is not money in hand (%, cheque %)', NEW.payment_id, p.status, coalesce(p.cheque_status::text, '-')
        USING ERRCODE = 'check_violation', CONSTRAINT = 'payment_allocations_payment_captured';
    END IF;
  ELSIF NEW.wallet_transaction_id IS NOT NULL THEN
    SELECT kind, amount_paise, invoice_id INTO w FROM wallet_transactions WHERE id = NEW.wallet_transaction_id;
    IF FOUND AND (w.kind <> 'debit' OR w.amount_paise <> NEW.amount_paise OR w.invoice_id IS DISTINCT FROM NEW.invoice_id) THEN
      RAISE EXCEPTION 'wallet line % is not a debit of % paise for invoice %', NEW.wallet_transaction_id, NEW.amount_paise, NEW.invoice_id
        USING ERRCODE = 'check_violation', CONSTRAINT = 'payment_allocations_wallet_debit_matches';
    END IF;
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER payment_allocations_check BEFORE INSERT ON payment_allocations FOR EACH ROW EXECUTE FUNCTION payment_allocations_check();
--> statement-breakpoint
-- Never deleted, never rebound to another invoice, payment or amount: the one change is its reversal, once.
CREATE FUNCTION payment_allocations_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  reversal text[] := array['reversed_at', 'reversed_by', 'reversal_reason'];
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'allocations are never deleted: reverse them'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'payment_allocations_immutable';
  END IF;
  IF OLD.reversed_at IS NOT NULL OR NEW.reversed_at IS NULL OR (to_jsonb(NEW) - reversal) <> (to_jsonb(OLD) - reversal) THEN
    RAISE EXCEPTION 'allocation % cannot change: it can only be reversed, once', OLD.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'payment_allocations_immutable';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER payment_allocations_guard BEFORE UPDATE OR DELETE ON payment_allocations FOR EACH ROW EXECUTE FUNCTION payment_allocations_guard();
--> statement-breakpoint
-- What an allocation settles is added to its invoice and payment (a reversal takes it off), under their row locks:
-- the CHECKs invoices_paid_within_total and payments_applied_within_amount then refuse anything past the invoice's
-- balance due or the payment's amount, even for two allocations committed at once.
CREATE FUNCTION payment_allocations_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  delta bigint := CASE WHEN TG_OP = 'INSERT' THEN NEW.amount_paise ELSE -NEW.amount_paise END;
BEGIN
  IF TG_OP = 'UPDATE' AND NOT (OLD.reversed_at IS NULL AND NEW.reversed_at IS NOT NULL) THEN
    RAISE EXCEPTION 'allocation % can only be reversed, once', OLD.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'payment_allocations_immutable';
  END IF;
  UPDATE invoices SET paid_paise = paid_paise + delta WHERE id = NEW.invoice_id AND customer_id = NEW.customer_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'allocation %: invoice % is not customer %''s', NEW.id, NEW.invoice_id, NEW.customer_id
      USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'payment_allocations_invoice_fk';
  END IF;
  IF NEW.payment_id IS NOT NULL THEN
    UPDATE payments SET allocated_paise = allocated_paise + delta WHERE id = NEW.payment_id AND customer_id = NEW.customer_id;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'allocation %: payment % is not customer %''s', NEW.id, NEW.payment_id, NEW.customer_id
        USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'payment_allocations_payment_fk';
    END IF;
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER payment_allocations_apply AFTER INSERT OR UPDATE ON payment_allocations FOR EACH ROW EXECUTE FUNCTION payment_allocations_apply();
--> statement-breakpoint
-- A lot starts full, from money in hand when it is paid in; its credit line is written with it.
CREATE FUNCTION wallet_lots_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  p record;
BEGIN
  IF NEW.remaining_paise <> NEW.amount_paise THEN
    RAISE EXCEPTION 'a wallet lot starts with all of its amount'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'wallet_lots_from_ledger';
  END IF;
  IF NEW.payment_id IS NOT NULL THEN
    SELECT status, cheque_status INTO p FROM payments WHERE id = NEW.payment_id;
    IF FOUND AND (p.status <> 'captured' OR p.cheque_status IS NOT DISTINCT FROM 'bounced') THEN
      RAISE EXCEPTION 'payment % is not money in hand', NEW.payment_id
        USING ERRCODE = 'check_violation', CONSTRAINT = 'payment_allocations_payment_captured';
    END IF;
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER wallet_lots_check BEFORE INSERT ON wallet_lots FOR EACH ROW EXECUTE FUNCTION wallet_lots_check();
--> statement-breakpoint
CREATE FUNCTION wallet_lots_credit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO wallet_transactions (customer_id, lot_id, kind, amount_paise, note, created_by, created_at)
  VALUES (NEW.customer_id, NEW.id, 'credit', NEW.amount_paise, NEW.note, NEW.created_by, NEW.created_at);
  IF NEW.payment_id IS NOT NULL THEN
    UPDATE payments SET credited_paise = credited_paise + NEW.amount_paise WHERE id = NEW.payment_id AND customer_id = NEW.customer_id;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'wallet lot %: payment % is not customer %''s', NEW.id, NEW.payment_id, NEW.customer_id
        USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'wallet_lots_payment_fk';
    END IF;
  END IF;
  INSERT INTO customer_balances AS b (customer_id, wallet_paise) VALUES (NEW.customer_id, NEW.remaining_paise)
  ON CONFLICT (customer_id) DO UPDATE SET wallet_paise = b.wallet_paise + excluded.wallet_paise, updated_at = now();
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER wallet_lots_credit AFTER INSERT ON wallet_lots FOR EACH ROW EXECUTE FUNCTION wallet_lots_credit();
--> statement-breakpoint
-- What is left of a lot changes only through its ledger (the trigger below); nothing else of it ever changes.
CREATE FUNCTION wallet_lots_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' OR pg_trigger_depth() < 2 OR (to_jsonb(NEW) - 'remaining_paise') <> (to_jsonb(OLD) - 'remaining_paise') THEN
    RAISE EXCEPTION 'wallet lot %: only its ledger changes what is left of it (% refused)', OLD.id, TG_OP
      USING ERRCODE = 'check_violation', CONSTRAINT = 'wallet_lots_from_ledger';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER wallet_lots_guard BEFORE UPDATE OR DELETE ON wallet_lots FOR EACH ROW EXECUTE FUNCTION wallet_lots_guard();
--> statement-breakpoint
CREATE FUNCTION wallet_lots_balance() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE customer_balances SET wallet_paise = wallet_paise + NEW.remaining_paise - OLD.remaining_paise, updated_at = now()
  WHERE customer_id = NEW.customer_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'customer % has a wallet lot but no balance row (it was removed around its guard)', NEW.customer_id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'customer_balances_derived';
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER wallet_lots_balance AFTER UPDATE OF remaining_paise ON wallet_lots FOR EACH ROW EXECUTE FUNCTION wallet_lots_balance();
--> statement-breakpoint
-- The ledger is append-only, even for the owner (the app role also lacks UPDATE and DELETE on it).
CREATE FUNCTION wallet_transactions_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'wallet_transactions is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege', CONSTRAINT = 'wallet_transactions_append_only';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER wallet_transactions_append_only BEFORE UPDATE OR DELETE ON wallet_transactions
  FOR EACH ROW EXECUTE FUNCTION wallet_transactions_refuse_change();
--> statement-breakpoint
-- Each line moves its lot, under the lot's row lock (UPDATE), so 50 debits at once queue there and the CHECK
-- wallet_lots_remaining_within_amount refuses the one that would take a lot below zero. A debit draws only on a lot
-- not yet expired; an expiry takes all that is left, and only once the lot has expired. A credit line is written
-- by its lot (wallet_lots_credit), never alone.
CREATE FUNCTION wallet_transactions_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  moved int;
BEGIN
  IF NEW.kind = 'credit' THEN
    IF pg_trigger_depth() < 2 OR NOT EXISTS (SELECT 1 FROM wallet_lots l WHERE l.id = NEW.lot_id AND l.amount_paise = NEW.amount_paise) THEN
      RAISE EXCEPTION 'a credit line is written by its wallet lot, for its amount'
        USING ERRCODE = 'check_violation', CONSTRAINT = 'wallet_transactions_credit_with_lot';
    END IF;
    RETURN NULL;
  END IF;
  IF NEW.kind = 'debit' THEN
    UPDATE wallet_lots SET remaining_paise = remaining_paise - NEW.amount_paise
    WHERE id = NEW.lot_id AND (expires_at IS NULL OR expires_at > now());
    GET DIAGNOSTICS moved = ROW_COUNT;
    IF moved = 0 THEN
      RAISE EXCEPTION 'wallet lot % has expired: nothing can be drawn from it', NEW.lot_id
        USING ERRCODE = 'check_violation', CONSTRAINT = 'wallet_transactions_lot_expired';
    END IF;
  ELSIF NEW.kind = 'expiry' THEN
    UPDATE wallet_lots SET remaining_paise = 0
    WHERE id = NEW.lot_id AND expires_at <= now() AND remaining_paise = NEW.amount_paise;
    GET DIAGNOSTICS moved = ROW_COUNT;
    IF moved = 0 THEN
      RAISE EXCEPTION 'wallet lot % is not due to expire by % paise', NEW.lot_id, NEW.amount_paise
        USING ERRCODE = 'check_violation', CONSTRAINT = 'wallet_transactions_expiry_due';
    END IF;
  ELSIF NEW.kind = 'reinstate' THEN
    UPDATE wallet_lots SET remaining_paise = remaining_paise + NEW.amount_paise WHERE id = NEW.lot_id;
  ELSE -- withdrawal
    UPDATE wallet_lots SET remaining_paise = remaining_paise - NEW.amount_paise WHERE id = NEW.lot_id;
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER wallet_transactions_apply AFTER INSERT ON wallet_transactions FOR EACH ROW EXECUTE FUNCTION wallet_transactions_apply();
--> statement-breakpoint
-- The API's role: the ledger is append-only; money rows are never deleted (reversed, bounced, refunded instead).
REVOKE UPDATE, DELETE ON wallet_transactions FROM milkrun_app;
--> statement-breakpoint
REVOKE DELETE ON payments, payment_allocations, wallet_lots, customer_balances FROM milkrun_app;
