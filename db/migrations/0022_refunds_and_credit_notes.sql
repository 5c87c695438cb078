CREATE TYPE "public"."refund_destination" AS ENUM('source', 'wallet');--> statement-breakpoint
CREATE TYPE "public"."refund_reason" AS ENUM('short_delivery', 'spoilt_product', 'billing_error', 'duplicate_payment', 'cancellation', 'goodwill');--> statement-breakpoint
CREATE TYPE "public"."refund_status" AS ENUM('requested', 'approved', 'rejected', 'processing', 'processed', 'failed', 'paid');--> statement-breakpoint
CREATE TABLE "refunds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"payment_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"invoice_id" uuid,
	"amount_paise" bigint NOT NULL,
	"reason" "refund_reason" NOT NULL,
	"destination" "refund_destination" NOT NULL,
	"status" "refund_status" DEFAULT 'requested' NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"requested_by" uuid NOT NULL,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"approved_by" uuid,
	"approved_at" timestamp with time zone,
	"rejected_by" uuid,
	"rejected_at" timestamp with time zone,
	"rejection_reason" text,
	"from_wallet_paise" bigint DEFAULT 0 NOT NULL,
	"provider" text,
	"provider_refund_id" text,
	"sent_at" timestamp with time zone,
	"processed_at" timestamp with time zone,
	"failed_at" timestamp with time zone,
	"failure_reason" text,
	"paid_reference" text,
	"paid_by" uuid,
	"paid_at" timestamp with time zone,
	"wallet_lot_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "refunds_id_customer_key" UNIQUE("id","customer_id"),
	CONSTRAINT "refunds_amount_positive" CHECK ("refunds"."amount_paise" > 0),
	CONSTRAINT "refunds_amount_max" CHECK ("refunds"."amount_paise" <= 1000000000),
	CONSTRAINT "refunds_note_length" CHECK (length("refunds"."note") <= 1000),
	CONSTRAINT "refunds_not_own_approval" CHECK ("refunds"."approved_by" <> "refunds"."requested_by"),
	CONSTRAINT "refunds_invoice_for_credit_reasons" CHECK ("refunds"."invoice_id" is null or "refunds"."reason" in ('short_delivery', 'spoilt_product', 'billing_error')),
	CONSTRAINT "refunds_approval_consistent" CHECK ((("refunds"."approved_by" is not null and "refunds"."approved_at" is not null) = ("refunds"."status" in ('approved', 'processing', 'processed', 'failed', 'paid')))
      and ("refunds"."approved_at" is not null or "refunds"."approved_by" is null)),
	CONSTRAINT "refunds_rejection_consistent" CHECK (("refunds"."rejected_by" is not null and "refunds"."rejected_at" is not null and length(trim(coalesce("refunds"."rejection_reason", ''))) > 0) = ("refunds"."status" = 'rejected')
      and ("refunds"."status" = 'rejected' or ("refunds"."rejected_by" is null and "refunds"."rejected_at" is null and "refunds"."rejection_reason" is null))),
	CONSTRAINT "refunds_result_consistent" CHECK (("refunds"."processed_at" is not null) = ("refunds"."status" = 'processed')
      and ("refunds"."failed_at" is not null and length(trim(coalesce("refunds"."failure_reason", ''))) > 0) = ("refunds"."status" = 'failed')
      and ("refunds"."failure_reason" is null or "refunds"."failed_at" is not null)
      and ("refunds"."paid_at" is not null and "refunds"."paid_by" is not null and length(trim(coalesce("refunds"."paid_reference", ''))) > 0) = ("refunds"."status" = 'paid')
      and ("refunds"."paid_reference" is null or "refunds"."paid_at" is not null)
      and ("refunds"."provider_refund_id" is not null or ("refunds"."status" <> 'processing' and ("refunds"."status" <> 'processed' or "refunds"."destination" = 'wallet')))
      and ("refunds"."provider_refund_id" is null or ("refunds"."provider" is not null and "refunds"."sent_at" is not null))),
	CONSTRAINT "refunds_wallet_destination" CHECK (("refunds"."destination" = 'source' or ("refunds"."status" not in ('processing', 'paid', 'failed') and "refunds"."provider_refund_id" is null))
      and (("refunds"."destination" = 'wallet' and "refunds"."status" = 'processed') <= ("refunds"."wallet_lot_id" is not null))
      and ("refunds"."wallet_lot_id" is null or ("refunds"."destination" = 'wallet' and "refunds"."status" = 'processed') or "refunds"."status" = 'failed')),
	CONSTRAINT "refunds_from_wallet_within_amount" CHECK ("refunds"."from_wallet_paise" between 0 and "refunds"."amount_paise"),
	CONSTRAINT "refunds_text_lengths" CHECK (coalesce(length("refunds"."rejection_reason"), 0) <= 500 and coalesce(length("refunds"."failure_reason"), 0) <= 500
      and coalesce(length("refunds"."paid_reference"), 0) <= 100 and coalesce(length("refunds"."provider_refund_id"), 0) <= 100 and coalesce(length("refunds"."provider"), 0) <= 40)
);
--> statement-breakpoint
CREATE TABLE "credit_note_lines" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"credit_note_id" uuid NOT NULL,
	"invoice_line_id" uuid NOT NULL,
	"description" text NOT NULL,
	"hsn_code" text NOT NULL,
	"unit" text NOT NULL,
	"gst_rate_bp" integer NOT NULL,
	"taxable_paise" bigint NOT NULL,
	"cgst_paise" bigint NOT NULL,
	"sgst_paise" bigint NOT NULL,
	"total_paise" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "credit_note_lines_amounts_valid" CHECK ("credit_note_lines"."taxable_paise" >= 0 and "credit_note_lines"."cgst_paise" >= 0 and "credit_note_lines"."sgst_paise" >= 0 and "credit_note_lines"."total_paise" > 0),
	CONSTRAINT "credit_note_lines_total_exact" CHECK ("credit_note_lines"."total_paise" = "credit_note_lines"."taxable_paise" + "credit_note_lines"."cgst_paise" + "credit_note_lines"."sgst_paise")
);
--> statement-breakpoint
CREATE TABLE "credit_note_series" (
	"financial_year" text PRIMARY KEY NOT NULL,
	"next_seq" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "credit_note_series_next_range" CHECK ("credit_note_series"."next_seq" between 1 and 1000000)
);
--> statement-breakpoint
CREATE TABLE "credit_notes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" text NOT NULL,
	"financial_year" text NOT NULL,
	"seq" integer NOT NULL,
	"customer_id" uuid NOT NULL,
	"invoice_id" uuid NOT NULL,
	"refund_id" uuid,
	"reason" "refund_reason" NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"note_date" date NOT NULL,
	"invoice_number" text NOT NULL,
	"invoice_date" date NOT NULL,
	"place_of_supply" text NOT NULL,
	"supplier" jsonb NOT NULL,
	"taxable_paise" bigint NOT NULL,
	"exempt_paise" bigint NOT NULL,
	"cgst_paise" bigint NOT NULL,
	"sgst_paise" bigint NOT NULL,
	"total_paise" bigint NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "credit_notes_year_seq_key" UNIQUE("financial_year","seq"),
	CONSTRAINT "credit_notes_number_derived" CHECK ("credit_notes"."number" = 'CN/' || "credit_notes"."financial_year" || '/' || lpad("credit_notes"."seq"::text, 6, '0') and "credit_notes"."number" ~ '^[A-Z0-9/-]{1,16}$'),
	CONSTRAINT "credit_notes_seq_range" CHECK ("credit_notes"."seq" between 1 and 999999),
	CONSTRAINT "credit_notes_financial_year_of_date" CHECK ("credit_notes"."financial_year" = lpad((extract(year from "credit_notes"."note_date" - interval '3 months')::int % 100)::text, 2, '0') || '-' || lpad(((extract(year from "credit_notes"."note_date" - interval '3 months')::int + 1) % 100)::text, 2, '0')),
	CONSTRAINT "credit_notes_credit_reason" CHECK ("credit_notes"."reason" in ('short_delivery', 'spoilt_product', 'billing_error')),
	CONSTRAINT "credit_notes_amounts_valid" CHECK ("credit_notes"."taxable_paise" >= 0 and "credit_notes"."exempt_paise" >= 0 and "credit_notes"."cgst_paise" >= 0 and "credit_notes"."sgst_paise" >= 0 and "credit_notes"."total_paise" > 0 and "credit_notes"."total_paise" <= 1000000000),
	CONSTRAINT "credit_notes_total_exact" CHECK ("credit_notes"."total_paise" = "credit_notes"."taxable_paise" + "credit_notes"."exempt_paise" + "credit_notes"."cgst_paise" + "credit_notes"."sgst_paise"),
	CONSTRAINT "credit_notes_note_length" CHECK (length("credit_notes"."note") <= 1000),
	CONSTRAINT "credit_notes_date_range" CHECK ("credit_notes"."note_date" between '2000-01-01' and '2100-12-31' and "credit_notes"."note_date" >= "credit_notes"."invoice_date")
);
--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "refunded_paise" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_payment_fk" FOREIGN KEY ("payment_id","customer_id") REFERENCES "public"."payments"("id","customer_id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_invoice_fk" FOREIGN KEY ("invoice_id","customer_id") REFERENCES "public"."invoices"("id","customer_id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_wallet_lot_fk" FOREIGN KEY ("wallet_lot_id","customer_id") REFERENCES "public"."wallet_lots"("id","customer_id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_requested_by_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_approved_by_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_rejected_by_fk" FOREIGN KEY ("rejected_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_paid_by_fk" FOREIGN KEY ("paid_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_note_lines" ADD CONSTRAINT "credit_note_lines_note_fk" FOREIGN KEY ("credit_note_id") REFERENCES "public"."credit_notes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_note_lines" ADD CONSTRAINT "credit_note_lines_invoice_line_fk" FOREIGN KEY ("invoice_line_id") REFERENCES "public"."invoice_lines"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_note_lines" ADD CONSTRAINT "credit_note_lines_gst_rate_fk" FOREIGN KEY ("gst_rate_bp") REFERENCES "public"."gst_rates"("rate_bp") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_notes" ADD CONSTRAINT "credit_notes_invoice_fk" FOREIGN KEY ("invoice_id","customer_id") REFERENCES "public"."invoices"("id","customer_id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_notes" ADD CONSTRAINT "credit_notes_refund_fk" FOREIGN KEY ("refund_id","customer_id") REFERENCES "public"."refunds"("id","customer_id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_notes" ADD CONSTRAINT "credit_notes_created_by_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "refunds_provider_refund_key" ON "refunds" USING btree ("provider","provider_refund_id");--> statement-breakpoint
CREATE UNIQUE INDEX "refunds_wallet_lot_key" ON "refunds" USING btree ("wallet_lot_id");--> statement-breakpoint
CREATE INDEX "refunds_status_created_idx" ON "refunds" USING btree ("status","created_at","id");--> statement-breakpoint
CREATE INDEX "refunds_created_idx" ON "refunds" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "refunds_amount_idx" ON "refunds" USING btree ("amount_paise","id");--> statement-breakpoint
CREATE INDEX "refunds_reason_created_idx" ON "refunds" USING btree ("reason","created_at");--> statement-breakpoint
CREATE INDEX "refunds_customer_created_idx" ON "refunds" USING btree ("customer_id","created_at");--> statement-breakpoint
CREATE INDEX "refunds_payment_idx" ON "refunds" USING btree ("payment_id");--> statement-breakpoint
CREATE INDEX "refunds_invoice_idx" ON "refunds" USING btree ("invoice_id");--> statement-breakpoint
CREATE INDEX "refunds_requested_by_idx" ON "refunds" USING btree ("requested_by","created_at");--> statement-breakpoint
CREATE INDEX "credit_note_lines_note_idx" ON "credit_note_lines" USING btree ("credit_note_id");--> statement-breakpoint
CREATE INDEX "credit_note_lines_invoice_line_idx" ON "credit_note_lines" USING btree ("invoice_line_id");--> statement-breakpoint
CREATE UNIQUE INDEX "credit_notes_number_key" ON "credit_notes" USING btree ("number");--> statement-breakpoint
CREATE UNIQUE INDEX "credit_notes_refund_key" ON "credit_notes" USING btree ("refund_id");--> statement-breakpoint
CREATE INDEX "credit_notes_invoice_idx" ON "credit_notes" USING btree ("invoice_id");--> statement-breakpoint
CREATE INDEX "credit_notes_customer_date_idx" ON "credit_notes" USING btree ("customer_id","note_date");--> statement-breakpoint
CREATE INDEX "credit_notes_date_idx" ON "credit_notes" USING btree ("note_date","id");--> statement-breakpoint
CREATE INDEX "credit_notes_created_idx" ON "credit_notes" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "credit_notes_total_idx" ON "credit_notes" USING btree ("total_paise","id");--> statement-breakpoint
CREATE INDEX "credit_notes_reason_idx" ON "credit_notes" USING btree ("reason","created_at");--> statement-breakpoint
CREATE INDEX "credit_notes_number_trgm_idx" ON "credit_notes" USING gin ("number" gin_trgm_ops);--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_refunded_within_amount" CHECK ("payments"."refunded_paise" >= 0 and "payments"."allocated_paise" + "payments"."credited_paise" + "payments"."refunded_paise" <= "payments"."amount_paise");--> statement-breakpoint
-- ---------------------------------------------------------------------------------------------------------------
-- Refunds and credit notes (issue 12, items 6 and 7), hand-written: the rules no CHECK or foreign key can state. Each
-- trigger names the rule it enforces (USING CONSTRAINT), which the API maps to a message and a test trips.
-- ---------------------------------------------------------------------------------------------------------------

-- payments.refunded_paise is kept by the refunds' trigger alone (what approved refunds took out of the payment).
CREATE FUNCTION payments_refunded_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.refunded_paise IS DISTINCT FROM OLD.refunded_paise AND pg_trigger_depth() < 2 THEN
    RAISE EXCEPTION 'payment %: what is refunded of it changes only through its refunds', OLD.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'payments_refunded_from_refunds';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER payments_refunded_guard BEFORE UPDATE ON payments FOR EACH ROW EXECUTE FUNCTION payments_refunded_guard();
--> statement-breakpoint
-- A refund is asked for money in hand (a captured payment; a cheque once cleared), starts as requested, and with the
-- refunds still standing on its payment (all but rejected and failed) never asks back more than was captured. The
-- payment's row lock serialises two requests on one payment: the second waits, then counts the first.
-- Against an invoice (a credit-note reason), the payment must have settled part of that invoice.
CREATE FUNCTION refunds_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  p record;
  standing bigint;
BEGIN
  IF NEW.status <> 'requested' OR NEW.from_wallet_paise <> 0 OR NEW.wallet_lot_id IS NOT NULL OR NEW.provider IS NOT NULL THEN
    RAISE EXCEPTION 'a refund starts as requested, with nothing decided nor paid'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'refunds_status_forward';
  END IF;
  SELECT amount_paise, status, cheque_status INTO p FROM payments WHERE id = NEW.payment_id AND customer_id = NEW.customer_id FOR UPDATE;
  IF NOT FOUND THEN
    RETURN NEW; -- the composite foreign key refunds_payment_fk refuses it
  END IF;
  IF p.status <> 'captured' OR coalesce(p.cheque_status <> 'cleared', false) THEN
    RAISE EXCEPTION 'payment % is not money in hand (%, cheque %): nothing to refund', NEW.payment_id, p.status, coalesce(p.cheque_status::text, '-')
      USING ERRCODE = 'check_violation', CONSTRAINT = 'refunds_payment_captured';
  END IF;
  SELECT coalesce(sum(amount_paise), 0) INTO standing FROM refunds
  WHERE payment_id = NEW.payment_id AND status NOT IN ('rejected', 'failed');
  IF standing + NEW.amount_paise > p.amount_paise THEN
    RAISE EXCEPTION 'payment % captured % paise; its refunds would come to %', NEW.payment_id, p.amount_paise, standing + NEW.amount_paise
      USING ERRCODE = 'check_violation', CONSTRAINT = 'refunds_within_capture';
  END IF;
  IF NEW.invoice_id IS NOT NULL AND NEW.reason IN ('short_delivery', 'spoilt_product', 'billing_error') AND NOT EXISTS (
    SELECT 1 FROM payment_allocations a WHERE a.payment_id = NEW.payment_id AND a.invoice_id = NEW.invoice_id AND a.reversed_at IS NULL) THEN
    RAISE EXCEPTION 'payment % settles nothing of invoice %', NEW.payment_id, NEW.invoice_id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'refunds_invoice_paid_by_payment';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER refunds_check BEFORE INSERT ON refunds FOR EACH ROW EXECUTE FUNCTION refunds_check();
--> statement-breakpoint
-- Never deleted; what was asked (payment, customer, invoice, amount, reason, destination, note, requester) never
-- changes; states only move forward, each transition writing only its own columns, once:
--   requested -> approved | rejected; approved -> processing (gateway) -> processed | failed;
--   approved -> paid (by hand: any method but the gateway); approved -> processed (wallet).
CREATE FUNCTION refunds_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  allowed text[] := array['status', 'updated_at'];
  method payment_mode;
  p record;
  lot record;
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'refunds are never deleted: reject them'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'refunds_immutable';
  END IF;
  IF NEW.status <> OLD.status THEN
    IF NOT ((OLD.status = 'requested' AND NEW.status IN ('approved', 'rejected'))
         OR (OLD.status = 'approved' AND NEW.status IN ('processing', 'paid', 'failed'))
         OR (OLD.status = 'approved' AND NEW.status = 'processed' AND NEW.destination = 'wallet')
         OR (OLD.status = 'processing' AND NEW.status IN ('processed', 'failed'))) THEN
      RAISE EXCEPTION 'refund % cannot go from % to %', OLD.id, OLD.status, NEW.status
        USING ERRCODE = 'check_violation', CONSTRAINT = 'refunds_status_forward';
    END IF;
    allowed := allowed || CASE NEW.status
      WHEN 'approved' THEN array['approved_by', 'approved_at', 'from_wallet_paise']
      WHEN 'rejected' THEN array['rejected_by', 'rejected_at', 'rejection_reason']
      WHEN 'processing' THEN array['provider', 'provider_refund_id', 'sent_at']
      WHEN 'processed' THEN array['processed_at', 'wallet_lot_id']
      WHEN 'paid' THEN array['paid_by', 'paid_at', 'paid_reference']
      WHEN 'failed' THEN array['failed_at', 'failure_reason', 'wallet_lot_id']
        || CASE WHEN OLD.provider IS NULL THEN array['provider', 'sent_at'] ELSE array[]::text[] END
      ELSE array[]::text[] END;
    IF NEW.status IN ('processing', 'paid') THEN
      SELECT pm.method INTO method FROM payments pm WHERE pm.id = NEW.payment_id;
      IF (NEW.status = 'processing') <> (method = 'gateway') THEN
        RAISE EXCEPTION 'refund %: a gateway payment is refunded by the gateway, any other is paid back by hand (%: %)', OLD.id, method, NEW.status
          USING ERRCODE = 'check_violation', CONSTRAINT = 'refunds_settled_by_method';
      END IF;
    END IF;
    IF NEW.status = 'approved' THEN
      SELECT pm.status, pm.cheque_status INTO p FROM payments pm WHERE pm.id = NEW.payment_id;
      IF p.status <> 'captured' OR coalesce(p.cheque_status <> 'cleared', false) THEN
        RAISE EXCEPTION 'payment % is not money in hand (%): the refund cannot be approved', NEW.payment_id, p.status
          USING ERRCODE = 'check_violation', CONSTRAINT = 'refunds_payment_captured';
      END IF;
    END IF;
    -- A wallet lot a refund credits is made for it, in this same transaction: a refund lot of the refund's amount
    -- (destination wallet), or of the wallet part it took back when it failed.
    IF NEW.wallet_lot_id IS NOT NULL THEN
      SELECT l.source, l.amount_paise, l.created_at INTO lot FROM wallet_lots l WHERE l.id = NEW.wallet_lot_id;
      IF FOUND AND (lot.source <> 'refund' OR lot.created_at <> now()
          OR lot.amount_paise <> CASE WHEN NEW.status = 'failed' THEN NEW.from_wallet_paise ELSE NEW.amount_paise END) THEN
        RAISE EXCEPTION 'refund %: wallet lot % is not a refund lot of its amount made with it', OLD.id, NEW.wallet_lot_id
          USING ERRCODE = 'check_violation', CONSTRAINT = 'refunds_wallet_lot_matches';
      END IF;
    END IF;
  END IF;
  IF (to_jsonb(NEW) - allowed) <> (to_jsonb(OLD) - allowed) THEN
    RAISE EXCEPTION 'refund %: what was asked and what was decided never change (% -> %)', OLD.id, OLD.status, NEW.status
      USING ERRCODE = 'check_violation', CONSTRAINT = 'refunds_immutable';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER refunds_guard BEFORE UPDATE OR DELETE ON refunds FOR EACH ROW EXECUTE FUNCTION refunds_guard();
--> statement-breakpoint
-- Approval takes the money out of the payment (payments.refunded_paise, under its row lock): what the wallet part
-- does not cover must be free there (CHECK payments_refunded_within_amount: settled + credited + refunded <= amount),
-- so money refunded can no longer settle an invoice. A failed refund gives it back.
CREATE FUNCTION refunds_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  delta bigint := 0;
BEGIN
  IF OLD.status = 'requested' AND NEW.status = 'approved' THEN
    delta := NEW.amount_paise - NEW.from_wallet_paise;
  ELSIF NEW.status = 'failed' AND OLD.status <> 'failed' THEN
    delta := -(NEW.amount_paise - NEW.from_wallet_paise);
  END IF;
  IF delta <> 0 THEN
    UPDATE payments SET refunded_paise = refunded_paise + delta WHERE id = NEW.payment_id AND customer_id = NEW.customer_id;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'refund %: payment % is not customer %''s', NEW.id, NEW.payment_id, NEW.customer_id
        USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'refunds_payment_fk';
    END IF;
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER refunds_apply AFTER UPDATE OF status ON refunds FOR EACH ROW EXECUTE FUNCTION refunds_apply();
--> statement-breakpoint
-- Credit notes: numbered from their own counter per financial year (a number handed out, then the next; at commit the
-- counter has handed out exactly the numbers on credit notes), as invoices are (0010_invoice_rules).
CREATE FUNCTION credit_notes_seq_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  bad record;
BEGIN
  SELECT n.number INTO bad FROM new_notes n
  LEFT JOIN credit_note_series s ON s.financial_year = n.financial_year
  WHERE s.next_seq IS NULL OR n.seq >= s.next_seq
     OR (n.seq > 1 AND NOT EXISTS (SELECT 1 FROM credit_notes p WHERE p.financial_year = n.financial_year AND p.seq = n.seq - 1))
  LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'credit note % does not take the next number of its series', bad.number
      USING ERRCODE = 'check_violation', CONSTRAINT = 'credit_notes_seq_from_counter';
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER credit_notes_seq_from_counter AFTER INSERT ON credit_notes
  REFERENCING NEW TABLE AS new_notes FOR EACH STATEMENT EXECUTE FUNCTION credit_notes_seq_check();
--> statement-breakpoint
CREATE FUNCTION credit_note_series_used_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  top int;
BEGIN
  SELECT max(seq) INTO top FROM credit_notes WHERE financial_year = NEW.financial_year;
  IF coalesce(top, 0) <> NEW.next_seq - 1 THEN
    RAISE EXCEPTION 'credit notes of %: % numbers handed out but the last one used is %', NEW.financial_year, NEW.next_seq - 1, coalesce(top, 0)
      USING ERRCODE = 'check_violation', CONSTRAINT = 'credit_note_series_no_gap';
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER credit_note_series_no_gap AFTER INSERT OR UPDATE ON credit_note_series
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION credit_note_series_used_check();
--> statement-breakpoint
CREATE FUNCTION credit_note_series_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the credit note counter of % cannot be removed', OLD.financial_year
    USING ERRCODE = 'check_violation', CONSTRAINT = 'credit_note_series_no_gap';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER credit_note_series_guard BEFORE DELETE ON credit_note_series FOR EACH ROW EXECUTE FUNCTION credit_note_series_guard();
--> statement-breakpoint
-- A credit note reduces an issued invoice it cites by number and date; with a refund, it is that approved refund's
-- (same invoice, reason and amount). The invoice's row lock serialises two notes on one invoice, and all its notes
-- together never pass its total.
CREATE FUNCTION credit_notes_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  i record;
  r record;
  noted bigint;
BEGIN
  SELECT number, invoice_date, status, total_paise INTO i FROM invoices WHERE id = NEW.invoice_id AND customer_id = NEW.customer_id FOR UPDATE;
  IF NOT FOUND THEN
    RETURN NEW; -- the composite foreign key credit_notes_invoice_fk refuses it
  END IF;
  IF i.status <> 'issued' THEN
    RAISE EXCEPTION 'invoice % is void: no credit note can reduce it', i.number
      USING ERRCODE = 'check_violation', CONSTRAINT = 'credit_notes_invoice_issued';
  END IF;
  IF (NEW.invoice_number, NEW.invoice_date) IS DISTINCT FROM (i.number, i.invoice_date) THEN
    RAISE EXCEPTION 'credit note % cites invoice % of %, which is % of %', NEW.number, NEW.invoice_number, NEW.invoice_date, i.number, i.invoice_date
      USING ERRCODE = 'check_violation', CONSTRAINT = 'credit_notes_cites_invoice';
  END IF;
  IF NEW.refund_id IS NOT NULL THEN
    SELECT invoice_id, reason, amount_paise, approved_by, status INTO r FROM refunds WHERE id = NEW.refund_id;
    IF FOUND AND (r.invoice_id IS DISTINCT FROM NEW.invoice_id OR r.reason <> NEW.reason OR r.amount_paise <> NEW.total_paise
                  OR r.approved_by IS NULL OR r.status = 'failed') THEN
      RAISE EXCEPTION 'credit note %: refund % is not an approved refund of % paise for % against this invoice', NEW.number, NEW.refund_id, NEW.total_paise, NEW.reason
        USING ERRCODE = 'check_violation', CONSTRAINT = 'credit_notes_match_refund';
    END IF;
  END IF;
  SELECT coalesce(sum(total_paise), 0) INTO noted FROM credit_notes WHERE invoice_id = NEW.invoice_id;
  IF noted + NEW.total_paise > i.total_paise THEN
    RAISE EXCEPTION 'invoice % is for % paise; its credit notes would come to %', i.number, i.total_paise, noted + NEW.total_paise
      USING ERRCODE = 'check_violation', CONSTRAINT = 'credit_notes_within_invoice';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER credit_notes_check BEFORE INSERT ON credit_notes FOR EACH ROW EXECUTE FUNCTION credit_notes_check();
--> statement-breakpoint
-- What a credit note takes off its invoice (invoices.credited_paise: the balance due falls; CHECK
-- invoices_paid_within_total refuses a note past what is still due).
CREATE FUNCTION credit_notes_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE invoices SET credited_paise = credited_paise + NEW.total_paise WHERE id = NEW.invoice_id AND customer_id = NEW.customer_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'credit note %: invoice % is not customer %''s', NEW.number, NEW.invoice_id, NEW.customer_id
      USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'credit_notes_invoice_fk';
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER credit_notes_apply AFTER INSERT ON credit_notes FOR EACH ROW EXECUTE FUNCTION credit_notes_apply();
--> statement-breakpoint
-- At commit: a credit note is the sum of its lines (at least one), column by column.
CREATE FUNCTION credit_notes_lines_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  l record;
BEGIN
  SELECT count(*) AS n,
         coalesce(sum(taxable_paise) FILTER (WHERE gst_rate_bp > 0), 0) AS taxable,
         coalesce(sum(taxable_paise) FILTER (WHERE gst_rate_bp = 0), 0) AS exempt,
         coalesce(sum(cgst_paise), 0) AS cgst, coalesce(sum(sgst_paise), 0) AS sgst
  INTO l FROM credit_note_lines WHERE credit_note_id = NEW.id;
  IF l.n = 0 OR (l.taxable, l.exempt, l.cgst, l.sgst) IS DISTINCT FROM (NEW.taxable_paise, NEW.exempt_paise, NEW.cgst_paise, NEW.sgst_paise) THEN
    RAISE EXCEPTION 'credit note % is not the sum of its % lines', NEW.number, l.n
      USING ERRCODE = 'check_violation', CONSTRAINT = 'credit_notes_total_matches_lines';
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER credit_notes_total_matches_lines AFTER INSERT ON credit_notes
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION credit_notes_lines_check();
--> statement-breakpoint
-- Issued credit notes and their lines never change and are never deleted (a further note corrects a note).
CREATE FUNCTION credit_notes_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'credit_note_lines' THEN
    RAISE EXCEPTION 'credit note lines are issued with their note and never change (% refused)', TG_OP
      USING ERRCODE = 'check_violation', CONSTRAINT = 'credit_note_lines_immutable';
  END IF;
  RAISE EXCEPTION 'credit note % is issued and never changes (% refused)', OLD.number, TG_OP
    USING ERRCODE = 'check_violation', CONSTRAINT = 'credit_notes_immutable';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER credit_notes_immutable BEFORE UPDATE OR DELETE ON credit_notes FOR EACH ROW EXECUTE FUNCTION credit_notes_refuse_change();
--> statement-breakpoint
CREATE TRIGGER credit_note_lines_immutable BEFORE UPDATE OR DELETE ON credit_note_lines FOR EACH ROW EXECUTE FUNCTION credit_notes_refuse_change();
--> statement-breakpoint
-- Lines are written with their note, in the transaction that issues it; each reverses part of a line of the note's
-- invoice (same description, HSN and rate), and all notes together never reverse more of a line than it holds,
-- column by column (the invoice's row lock, taken by the note, serialises them).
CREATE FUNCTION credit_note_lines_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  bad record;
BEGIN
  SELECT n.number INTO bad FROM new_lines x JOIN credit_notes n ON n.id = x.credit_note_id WHERE n.created_at <> now() LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'credit note % is already issued: no line can be added', bad.number
      USING ERRCODE = 'check_violation', CONSTRAINT = 'credit_note_lines_immutable';
  END IF;
  SELECT n.number INTO bad FROM new_lines x JOIN credit_notes n ON n.id = x.credit_note_id
  LEFT JOIN invoice_lines il ON il.id = x.invoice_line_id AND il.invoice_id = n.invoice_id
  WHERE il.id IS NULL OR (il.description, il.hsn_code, il.unit, il.gst_rate_bp) IS DISTINCT FROM (x.description, x.hsn_code, x.unit, x.gst_rate_bp)
  LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'credit note %: a line does not reverse a line of its invoice', bad.number
      USING ERRCODE = 'check_violation', CONSTRAINT = 'credit_note_lines_of_invoice';
  END IF;
  SELECT il.id INTO bad FROM invoice_lines il
  JOIN (SELECT cl.invoice_line_id, sum(cl.taxable_paise) AS taxable, sum(cl.cgst_paise) AS cgst, sum(cl.sgst_paise) AS sgst
        FROM credit_note_lines cl WHERE cl.invoice_line_id IN (SELECT invoice_line_id FROM new_lines) GROUP BY cl.invoice_line_id) s
    ON s.invoice_line_id = il.id
  WHERE s.taxable > il.taxable_paise OR s.cgst > il.cgst_paise OR s.sgst > il.sgst_paise
  LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'credit notes would reverse more of invoice line % than it holds', bad.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'credit_note_lines_within_invoice_line';
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER credit_note_lines_check AFTER INSERT ON credit_note_lines
  REFERENCING NEW TABLE AS new_lines FOR EACH STATEMENT EXECUTE FUNCTION credit_note_lines_check();
--> statement-breakpoint
-- The API's role: refunds are rejected, never deleted; credit notes, their lines and counters are never changed.
REVOKE DELETE ON refunds, credit_note_series FROM milkrun_app;
--> statement-breakpoint
REVOKE UPDATE, DELETE ON credit_notes, credit_note_lines FROM milkrun_app;
