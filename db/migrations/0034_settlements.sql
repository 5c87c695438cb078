CREATE TYPE "public"."settlement_exception_kind" AS ENUM('unknown_payment', 'amount_mismatch', 'not_captured', 'not_settled');--> statement-breakpoint
CREATE TYPE "public"."settlement_exception_status" AS ENUM('open', 'resolved');--> statement-breakpoint
CREATE TYPE "public"."settlement_line_status" AS ENUM('matched', 'unknown_payment', 'amount_mismatch', 'not_captured');--> statement-breakpoint
CREATE TABLE "settlement_exceptions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" "settlement_exception_kind" NOT NULL,
	"status" "settlement_exception_status" DEFAULT 'open' NOT NULL,
	"settlement_line_id" uuid,
	"gateway_payment_id" uuid,
	"expected_paise" bigint,
	"actual_paise" bigint,
	"detail" text NOT NULL,
	"resolved_by" uuid,
	"resolved_at" timestamp with time zone,
	"resolution" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "settlement_exceptions_subject" CHECK (("settlement_exceptions"."kind" = 'not_settled') = ("settlement_exceptions"."settlement_line_id" is null)
      and ("settlement_exceptions"."kind" = 'unknown_payment' or "settlement_exceptions"."gateway_payment_id" is not null)),
	CONSTRAINT "settlement_exceptions_resolution_consistent" CHECK (("settlement_exceptions"."status" = 'resolved') = ("settlement_exceptions"."resolved_at" is not null)
      and ("settlement_exceptions"."resolved_at" is null or length(trim(coalesce("settlement_exceptions"."resolution", ''))) > 0)
      and ("settlement_exceptions"."resolution" is null or "settlement_exceptions"."resolved_at" is not null)
      and ("settlement_exceptions"."resolved_by" is null or "settlement_exceptions"."resolved_at" is not null)
      and length("settlement_exceptions"."detail") <= 500 and coalesce(length("settlement_exceptions"."resolution"), 0) <= 500)
);
--> statement-breakpoint
CREATE TABLE "settlement_lines" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"upload_id" uuid NOT NULL,
	"line_no" integer NOT NULL,
	"settlement_id" text NOT NULL,
	"utr" text NOT NULL,
	"payment_ref" text NOT NULL,
	"amount_paise" bigint NOT NULL,
	"fee_paise" bigint NOT NULL,
	"tax_paise" bigint NOT NULL,
	"settled_at" timestamp with time zone NOT NULL,
	"status" "settlement_line_status" NOT NULL,
	"gateway_payment_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "settlement_lines_amounts_valid" CHECK ("settlement_lines"."amount_paise" > 0 and "settlement_lines"."amount_paise" <= 1000000000 and "settlement_lines"."fee_paise" >= 0 and "settlement_lines"."tax_paise" >= 0 and "settlement_lines"."fee_paise" + "settlement_lines"."tax_paise" <= "settlement_lines"."amount_paise"),
	CONSTRAINT "settlement_lines_text_valid" CHECK (length("settlement_lines"."settlement_id") between 1 and 100 and length("settlement_lines"."utr") between 1 and 50 and length("settlement_lines"."payment_ref") between 1 and 100 and "settlement_lines"."line_no" >= 1),
	CONSTRAINT "settlement_lines_payment_when_known" CHECK (("settlement_lines"."status" = 'unknown_payment') = ("settlement_lines"."gateway_payment_id" is null))
);
--> statement-breakpoint
CREATE TABLE "settlement_uploads" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"file_sha256" text NOT NULL,
	"file_name" text NOT NULL,
	"uploaded_by" uuid,
	"line_count" integer NOT NULL,
	"matched_count" integer NOT NULL,
	"exception_count" integer NOT NULL,
	"skipped_count" integer DEFAULT 0 NOT NULL,
	"amount_paise" bigint NOT NULL,
	"fee_paise" bigint NOT NULL,
	"tax_paise" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "settlement_uploads_sha256_format" CHECK ("settlement_uploads"."file_sha256" ~ '^[0-9a-f]{64}$' and length("settlement_uploads"."file_name") between 1 and 200),
	CONSTRAINT "settlement_uploads_counts_valid" CHECK ("settlement_uploads"."line_count" >= 0 and "settlement_uploads"."matched_count" >= 0 and "settlement_uploads"."exception_count" >= 0 and "settlement_uploads"."skipped_count" >= 0
      and "settlement_uploads"."matched_count" + "settlement_uploads"."exception_count" + "settlement_uploads"."skipped_count" = "settlement_uploads"."line_count"
      and "settlement_uploads"."amount_paise" >= 0 and "settlement_uploads"."fee_paise" >= 0 and "settlement_uploads"."tax_paise" >= 0)
);
--> statement-breakpoint
ALTER TABLE "settlement_exceptions" ADD CONSTRAINT "settlement_exceptions_line_fk" FOREIGN KEY ("settlement_line_id") REFERENCES "public"."settlement_lines"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "settlement_exceptions" ADD CONSTRAINT "settlement_exceptions_gateway_payment_fk" FOREIGN KEY ("gateway_payment_id") REFERENCES "public"."gateway_payments"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "settlement_exceptions" ADD CONSTRAINT "settlement_exceptions_resolved_by_fk" FOREIGN KEY ("resolved_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "settlement_lines" ADD CONSTRAINT "settlement_lines_upload_fk" FOREIGN KEY ("upload_id") REFERENCES "public"."settlement_uploads"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "settlement_lines" ADD CONSTRAINT "settlement_lines_gateway_payment_fk" FOREIGN KEY ("gateway_payment_id") REFERENCES "public"."gateway_payments"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "settlement_uploads" ADD CONSTRAINT "settlement_uploads_uploaded_by_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "settlement_exceptions_line_key" ON "settlement_exceptions" USING btree ("settlement_line_id");--> statement-breakpoint
CREATE UNIQUE INDEX "settlement_exceptions_not_settled_key" ON "settlement_exceptions" USING btree ("gateway_payment_id") WHERE "settlement_exceptions"."kind" = 'not_settled';--> statement-breakpoint
CREATE INDEX "settlement_exceptions_created_idx" ON "settlement_exceptions" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "settlement_exceptions_kind_idx" ON "settlement_exceptions" USING btree ("kind","created_at");--> statement-breakpoint
CREATE INDEX "settlement_exceptions_status_idx" ON "settlement_exceptions" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "settlement_exceptions_payment_idx" ON "settlement_exceptions" USING btree ("gateway_payment_id");--> statement-breakpoint
CREATE UNIQUE INDEX "settlement_lines_payment_key" ON "settlement_lines" USING btree ("payment_ref");--> statement-breakpoint
CREATE UNIQUE INDEX "settlement_lines_upload_line_key" ON "settlement_lines" USING btree ("upload_id","line_no");--> statement-breakpoint
CREATE INDEX "settlement_lines_upload_idx" ON "settlement_lines" USING btree ("upload_id","line_no");--> statement-breakpoint
CREATE INDEX "settlement_lines_gateway_payment_idx" ON "settlement_lines" USING btree ("gateway_payment_id");--> statement-breakpoint
CREATE INDEX "settlement_lines_settled_idx" ON "settlement_lines" USING btree ("settled_at","id");--> statement-breakpoint
CREATE INDEX "settlement_lines_amount_idx" ON "settlement_lines" USING btree ("amount_paise","id");--> statement-breakpoint
CREATE INDEX "settlement_lines_status_idx" ON "settlement_lines" USING btree ("status","settled_at");--> statement-breakpoint
CREATE INDEX "settlement_lines_utr_idx" ON "settlement_lines" USING btree ("utr");--> statement-breakpoint
CREATE UNIQUE INDEX "settlement_uploads_file_key" ON "settlement_uploads" USING btree ("file_sha256");--> statement-breakpoint
CREATE INDEX "settlement_uploads_created_idx" ON "settlement_uploads" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "settlement_uploads_lines_idx" ON "settlement_uploads" USING btree ("line_count","id");--> statement-breakpoint
-- ---------------------------------------------------------------------------------------------------------------
-- Settlement reconciliation (issue 12, item 5), hand-written: what no CHECK can state. Each trigger names the rule it
-- enforces (USING CONSTRAINT), which the API maps to a message and a test trips.
-- ---------------------------------------------------------------------------------------------------------------
-- A settlement file and its lines are kept as uploaded: never changed, never deleted.
CREATE FUNCTION settlement_rows_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is kept as uploaded: % refused', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'check_violation', CONSTRAINT = 'settlement_rows_immutable';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER settlement_uploads_immutable BEFORE UPDATE OR DELETE ON settlement_uploads FOR EACH ROW EXECUTE FUNCTION settlement_rows_immutable();
--> statement-breakpoint
CREATE TRIGGER settlement_lines_immutable BEFORE UPDATE OR DELETE ON settlement_lines FOR EACH ROW EXECUTE FUNCTION settlement_rows_immutable();
--> statement-breakpoint
-- A line's verdict is the data's: matched only to a captured payment of exactly its amount; an amount mismatch names
-- a payment of another amount; not captured, one that is not (yet) captured. The line's payment is the one it names.
CREATE FUNCTION settlement_lines_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  g record;
BEGIN
  IF NEW.gateway_payment_id IS NULL THEN
    IF EXISTS (SELECT 1 FROM gateway_payments WHERE gateway_payment_id = NEW.payment_ref) THEN
      RAISE EXCEPTION 'settlement line %: payment % is known', NEW.line_no, NEW.payment_ref
        USING ERRCODE = 'check_violation', CONSTRAINT = 'settlement_lines_verdict';
    END IF;
    RETURN NEW;
  END IF;
  SELECT gateway_payment_id, status, amount_paise INTO g FROM gateway_payments WHERE id = NEW.gateway_payment_id;
  IF NOT FOUND THEN
    RETURN NEW; -- the foreign key settlement_lines_gateway_payment_fk refuses it
  END IF;
  IF g.gateway_payment_id <> NEW.payment_ref
     OR (NEW.status = 'matched') <> (g.status IN ('captured', 'refunded') AND g.amount_paise = NEW.amount_paise)
     OR (NEW.status = 'not_captured') <> (g.status NOT IN ('captured', 'refunded'))
     OR (NEW.status = 'amount_mismatch') <> (g.status IN ('captured', 'refunded') AND g.amount_paise <> NEW.amount_paise) THEN
    RAISE EXCEPTION 'settlement line % (% of % paise) is not %: the payment is % of % paise', NEW.line_no, NEW.payment_ref, NEW.amount_paise, NEW.status, g.status, g.amount_paise
      USING ERRCODE = 'check_violation', CONSTRAINT = 'settlement_lines_verdict';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER settlement_lines_check BEFORE INSERT ON settlement_lines FOR EACH ROW EXECUTE FUNCTION settlement_lines_check();
--> statement-breakpoint
-- An exception is resolved once (by someone, or by the scan when the payment is settled after all) and then stays;
-- what it says never changes; never deleted.
CREATE FUNCTION settlement_exceptions_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  resolving text[] := array['status', 'resolved_by', 'resolved_at', 'resolution'];
BEGIN
  IF TG_OP = 'DELETE' OR OLD.status <> 'open' OR (to_jsonb(NEW) - resolving) <> (to_jsonb(OLD) - resolving) THEN
    RAISE EXCEPTION 'settlement exception %: only an open one is resolved, once (% refused)', OLD.id, TG_OP
      USING ERRCODE = 'check_violation', CONSTRAINT = 'settlement_exceptions_resolved_once';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER settlement_exceptions_guard BEFORE UPDATE OR DELETE ON settlement_exceptions FOR EACH ROW EXECUTE FUNCTION settlement_exceptions_guard();
--> statement-breakpoint
-- The scan (a job in every API process, hourly; also after each upload): payments captured more than three days before
-- `as_of` (within the last 90 days) with no settlement line get one "not settled" exception each (the unique key
-- makes a second scan, or two at once, add nothing); an open one whose payment has a line now is resolved.
CREATE FUNCTION settlement_exceptions_scan(as_of timestamptz) RETURNS TABLE (opened int, closed int) LANGUAGE plpgsql AS $$
DECLARE
  o int;
  c int;
BEGIN
  INSERT INTO settlement_exceptions (kind, gateway_payment_id, expected_paise, detail)
  SELECT 'not_settled', g.id, g.amount_paise,
         'Captured ' || to_char(g.captured_at AT TIME ZONE 'Asia/Kolkata', 'YYYY-MM-DD HH24:MI') || ' IST and not in any settlement file three days later'
  FROM gateway_payments g
  WHERE g.status = 'captured' AND g.captured_at < as_of - interval '3 days' AND g.captured_at >= as_of - interval '90 days'
    AND NOT EXISTS (SELECT 1 FROM settlement_lines l WHERE l.payment_ref = g.gateway_payment_id)
  ON CONFLICT (gateway_payment_id) WHERE kind = 'not_settled' DO NOTHING;
  GET DIAGNOSTICS o = ROW_COUNT;
  UPDATE settlement_exceptions e SET status = 'resolved', resolved_at = now(), resolution = 'Settled: the payment is in settlement file line ' || l.settlement_id || ' / ' || l.utr
  FROM gateway_payments g JOIN settlement_lines l ON l.payment_ref = g.gateway_payment_id
  WHERE e.kind = 'not_settled' AND e.status = 'open' AND g.id = e.gateway_payment_id;
  GET DIAGNOSTICS c = ROW_COUNT;
  RETURN QUERY SELECT o, c;
END;
$$;
--> statement-breakpoint
CREATE INDEX gateway_payments_captured_open_idx ON gateway_payments (captured_at) WHERE status = 'captured';
--> statement-breakpoint
REVOKE UPDATE, DELETE ON settlement_uploads, settlement_lines FROM milkrun_app;
--> statement-breakpoint
REVOKE DELETE ON settlement_exceptions FROM milkrun_app;
--> statement-breakpoint
-- Who may do what: finance uploads settlement files and works the exceptions queue; managers read them.
INSERT INTO permissions (role_id, resource, action, conditions)
SELECT r.id, p.resource, p.action, p.conditions::jsonb
FROM (VALUES
  ('finance', 'settlements', 'list', NULL), ('finance', 'settlements', 'show', NULL), ('finance', 'settlements', 'create', NULL),
  ('finance', 'settlements', 'resolve', NULL),
  ('manager', 'settlements', 'list', NULL), ('manager', 'settlements', 'show', NULL)
) AS p(role, resource, action, conditions)
JOIN roles r ON r.name = p.role
ON CONFLICT DO NOTHING;
