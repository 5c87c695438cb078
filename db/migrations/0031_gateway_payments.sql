CREATE TYPE "public"."gateway_event_outcome" AS ENUM('received', 'applied', 'stale', 'unmatched', 'ignored');--> statement-breakpoint
CREATE TABLE "gateway_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" text NOT NULL,
	"event" text NOT NULL,
	"gateway_payment_id" text,
	"gateway_refund_id" text,
	"outcome" "gateway_event_outcome" DEFAULT 'received' NOT NULL,
	"detail" text DEFAULT '' NOT NULL,
	"payload" jsonb NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "gateway_events_text_lengths" CHECK (length("gateway_events"."event_id") between 1 and 100 and length("gateway_events"."event") between 1 and 60 and length("gateway_events"."detail") <= 500
      and coalesce(length("gateway_events"."gateway_payment_id"), 0) <= 100 and coalesce(length("gateway_events"."gateway_refund_id"), 0) <= 100)
);
--> statement-breakpoint
CREATE TABLE "gateway_payments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"gateway_payment_id" text NOT NULL,
	"status" "payment_status" DEFAULT 'created' NOT NULL,
	"amount_paise" bigint NOT NULL,
	"method" text,
	"email" text,
	"contact" text,
	"customer_id" uuid,
	"notes_customer_id" text,
	"payment_id" uuid,
	"authorized_at" timestamp with time zone,
	"captured_at" timestamp with time zone,
	"failed_at" timestamp with time zone,
	"failure_reason" text,
	"assigned_by" uuid,
	"assigned_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "gateway_payments_amount_valid" CHECK ("gateway_payments"."amount_paise" > 0 and "gateway_payments"."amount_paise" <= 1000000000),
	CONSTRAINT "gateway_payments_id_format" CHECK (length("gateway_payments"."gateway_payment_id") between 1 and 100),
	CONSTRAINT "gateway_payments_text_lengths" CHECK (coalesce(length("gateway_payments"."method"), 0) <= 40 and coalesce(length("gateway_payments"."email"), 0) <= 200 and coalesce(length("gateway_payments"."contact"), 0) <= 40
      and coalesce(length("gateway_payments"."notes_customer_id"), 0) <= 100 and coalesce(length("gateway_payments"."failure_reason"), 0) <= 500),
	CONSTRAINT "gateway_payments_recorded_when_captured" CHECK ("gateway_payments"."payment_id" is null or ("gateway_payments"."status" in ('captured', 'refunded') and "gateway_payments"."customer_id" is not null)),
	CONSTRAINT "gateway_payments_dates_follow_status" CHECK (("gateway_payments"."captured_at" is not null) = ("gateway_payments"."status" in ('captured', 'refunded'))
      and ("gateway_payments"."failed_at" is not null) = ("gateway_payments"."status" = 'failed')
      and ("gateway_payments"."failure_reason" is null or "gateway_payments"."failed_at" is not null)),
	CONSTRAINT "gateway_payments_assignment_consistent" CHECK (("gateway_payments"."assigned_at" is null or "gateway_payments"."customer_id" is not null) and ("gateway_payments"."assigned_by" is null or "gateway_payments"."assigned_at" is not null))
);
--> statement-breakpoint
ALTER TABLE "gateway_payments" ADD CONSTRAINT "gateway_payments_customer_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gateway_payments" ADD CONSTRAINT "gateway_payments_payment_fk" FOREIGN KEY ("payment_id","customer_id") REFERENCES "public"."payments"("id","customer_id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gateway_payments" ADD CONSTRAINT "gateway_payments_assigned_by_fk" FOREIGN KEY ("assigned_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "gateway_events_event_id_key" ON "gateway_events" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "gateway_events_received_idx" ON "gateway_events" USING btree ("received_at","id");--> statement-breakpoint
CREATE INDEX "gateway_events_payment_idx" ON "gateway_events" USING btree ("gateway_payment_id","received_at");--> statement-breakpoint
CREATE INDEX "gateway_events_refund_idx" ON "gateway_events" USING btree ("gateway_refund_id");--> statement-breakpoint
CREATE UNIQUE INDEX "gateway_payments_gateway_id_key" ON "gateway_payments" USING btree ("gateway_payment_id");--> statement-breakpoint
CREATE UNIQUE INDEX "gateway_payments_payment_key" ON "gateway_payments" USING btree ("payment_id");--> statement-breakpoint
CREATE INDEX "gateway_payments_created_idx" ON "gateway_payments" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "gateway_payments_captured_idx" ON "gateway_payments" USING btree ("captured_at","id");--> statement-breakpoint
CREATE INDEX "gateway_payments_amount_idx" ON "gateway_payments" USING btree ("amount_paise","id");--> statement-breakpoint
CREATE INDEX "gateway_payments_status_idx" ON "gateway_payments" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "gateway_payments_customer_idx" ON "gateway_payments" USING btree ("customer_id","created_at");--> statement-breakpoint
CREATE INDEX "gateway_payments_unmatched_idx" ON "gateway_payments" USING btree ("created_at","id") WHERE "gateway_payments"."customer_id" is null;--> statement-breakpoint
CREATE INDEX "gateway_payments_gateway_id_trgm_idx" ON "gateway_payments" USING gin ("gateway_payment_id" gin_trgm_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "payments_gateway_reference_key" ON "payments" USING btree ("reference") WHERE "payments"."method" = 'gateway';--> statement-breakpoint
-- ---------------------------------------------------------------------------------------------------------------
-- Gateway payments (issue 12, item 4), hand-written: the rules no CHECK or foreign key can state. Each trigger names
-- the rule it enforces (USING CONSTRAINT), which the API maps to a message and a test trips.
-- ---------------------------------------------------------------------------------------------------------------
-- A gateway payment's state only moves forward (created, authorized, captured, refunded; or failed before capture),
-- whatever order its events arrive in: the webhook moves it with a conditional UPDATE, and this refuses any other
-- move, so a late payment.authorized can never take a captured payment back. What the gateway said was paid (its id,
-- the amount) never changes; a customer once set (matched or assigned) stays; the payment recorded for it stays.
-- Never deleted.
CREATE FUNCTION gateway_payments_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'gateway payments are never deleted'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'gateway_payments_immutable';
  END IF;
  IF (NEW.gateway_payment_id, NEW.amount_paise, NEW.created_at) IS DISTINCT FROM (OLD.gateway_payment_id, OLD.amount_paise, OLD.created_at)
     OR (OLD.customer_id IS NOT NULL AND NEW.customer_id IS DISTINCT FROM OLD.customer_id)
     OR (OLD.payment_id IS NOT NULL AND NEW.payment_id IS DISTINCT FROM OLD.payment_id) THEN
    RAISE EXCEPTION 'gateway payment %: what was paid, its customer and its recorded payment never change', OLD.gateway_payment_id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'gateway_payments_immutable';
  END IF;
  IF NEW.status <> OLD.status AND NOT (
       (OLD.status = 'created' AND NEW.status IN ('authorized', 'captured', 'failed'))
    OR (OLD.status = 'authorized' AND NEW.status IN ('captured', 'failed'))
    OR (OLD.status = 'captured' AND NEW.status = 'refunded')) THEN
    RAISE EXCEPTION 'gateway payment % cannot go from % to %', OLD.gateway_payment_id, OLD.status, NEW.status
      USING ERRCODE = 'check_violation', CONSTRAINT = 'gateway_payments_status_forward';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER gateway_payments_guard BEFORE UPDATE OR DELETE ON gateway_payments FOR EACH ROW EXECUTE FUNCTION gateway_payments_guard();
--> statement-breakpoint
-- The payment recorded for a gateway payment is that payment: a gateway payment of the same amount and reference.
CREATE FUNCTION gateway_payments_payment_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  p record;
BEGIN
  IF NEW.payment_id IS NULL THEN
    RETURN NEW;
  END IF;
  SELECT method, reference, amount_paise INTO p FROM payments WHERE id = NEW.payment_id;
  IF FOUND AND (p.method <> 'gateway' OR p.reference IS DISTINCT FROM NEW.gateway_payment_id OR p.amount_paise <> NEW.amount_paise) THEN
    RAISE EXCEPTION 'gateway payment %: payment % is not it (%, %, % paise)', NEW.gateway_payment_id, NEW.payment_id, p.method, p.reference, p.amount_paise
      USING ERRCODE = 'check_violation', CONSTRAINT = 'gateway_payments_payment_matches';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER gateway_payments_payment_check BEFORE INSERT OR UPDATE OF payment_id ON gateway_payments FOR EACH ROW EXECUTE FUNCTION gateway_payments_payment_check();
--> statement-breakpoint
-- Events are kept as received. The one change: the outcome of a claimed event ('received') is written once, in the
-- transaction that claimed it and applied its effect. Never deleted (the app role has no DELETE either).
CREATE FUNCTION gateway_events_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' OR OLD.outcome <> 'received' OR NEW.outcome = 'received'
     OR (to_jsonb(NEW) - array['outcome', 'detail']) <> (to_jsonb(OLD) - array['outcome', 'detail']) THEN
    RAISE EXCEPTION 'gateway event %: kept as received; only its outcome is written, once (% refused)', OLD.event_id, TG_OP
      USING ERRCODE = 'check_violation', CONSTRAINT = 'gateway_events_append_only';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER gateway_events_guard BEFORE UPDATE OR DELETE ON gateway_events FOR EACH ROW EXECUTE FUNCTION gateway_events_guard();
--> statement-breakpoint
REVOKE DELETE ON gateway_payments, gateway_events FROM milkrun_app;
--> statement-breakpoint
-- Who may do what: finance reads gateway payments and assigns unmatched ones to their customer; support and managers
-- read them (a customer on the phone says they paid online). The webhook itself is signed, not signed in.
INSERT INTO permissions (role_id, resource, action, conditions)
SELECT r.id, p.resource, p.action, p.conditions::jsonb
FROM (VALUES
  ('finance', 'gateway-payments', 'list', NULL), ('finance', 'gateway-payments', 'show', NULL), ('finance', 'gateway-payments', 'assign', NULL),
  ('support', 'gateway-payments', 'list', NULL), ('support', 'gateway-payments', 'show', NULL),
  ('manager', 'gateway-payments', 'list', NULL), ('manager', 'gateway-payments', 'show', NULL)
) AS p(role, resource, action, conditions)
JOIN roles r ON r.name = p.role
ON CONFLICT DO NOTHING;
