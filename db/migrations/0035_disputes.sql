CREATE TYPE "public"."dispute_category" AS ENUM('missing_delivery', 'short_quantity', 'spoilt_product', 'wrong_product', 'late_delivery', 'billing_error', 'staff_behaviour', 'other');--> statement-breakpoint
CREATE TYPE "public"."dispute_message_kind" AS ENUM('public_reply', 'internal_note', 'customer_message', 'activity');--> statement-breakpoint
CREATE TYPE "public"."dispute_outcome" AS ENUM('refund', 'wallet_credit', 'redelivery', 'explanation', 'merged');--> statement-breakpoint
CREATE TYPE "public"."dispute_priority" AS ENUM('low', 'normal', 'high', 'urgent');--> statement-breakpoint
CREATE TYPE "public"."dispute_status" AS ENUM('open', 'awaiting_customer', 'awaiting_support', 'resolved', 'closed');--> statement-breakpoint
CREATE TABLE "dispute_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"dispute_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"kind" "dispute_message_kind" NOT NULL,
	"author_user_id" uuid,
	"author_customer_id" uuid,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "dispute_messages_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	CONSTRAINT "dispute_messages_body_length" CHECK (length(trim("dispute_messages"."body")) between 1 and 4000),
	CONSTRAINT "dispute_messages_author_consistent" CHECK (("dispute_messages"."kind" = 'customer_message' and "dispute_messages"."author_customer_id" = "dispute_messages"."customer_id" and "dispute_messages"."author_user_id" is null)
       or ("dispute_messages"."kind" in ('public_reply', 'internal_note') and "dispute_messages"."author_user_id" is not null and "dispute_messages"."author_customer_id" is null)
       or ("dispute_messages"."kind" = 'activity' and "dispute_messages"."author_customer_id" is null))
);
--> statement-breakpoint
CREATE TABLE "dispute_transitions" (
	"from_status" "dispute_status" NOT NULL,
	"to_status" "dispute_status" NOT NULL,
	CONSTRAINT "dispute_transitions_pkey" PRIMARY KEY("from_status","to_status"),
	CONSTRAINT "dispute_transitions_not_same" CHECK ("dispute_transitions"."from_status" <> "dispute_transitions"."to_status")
);
--> statement-breakpoint
CREATE TABLE "disputes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" integer GENERATED ALWAYS AS IDENTITY (sequence name "disputes_number_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"customer_id" uuid NOT NULL,
	"category" "dispute_category" NOT NULL,
	"subject" text NOT NULL,
	"priority" "dispute_priority" DEFAULT 'normal' NOT NULL,
	"status" "dispute_status" DEFAULT 'open' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"assignee_id" uuid,
	"delivery_id" uuid,
	"delivery_order_id" uuid,
	"order_id" uuid,
	"invoice_id" uuid,
	"merged_into_id" uuid,
	"outcome" "dispute_outcome",
	"outcome_note" text,
	"redelivery_order_id" uuid,
	"created_by" uuid,
	"first_response_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "disputes_id_customer_key" UNIQUE("id","customer_id"),
	CONSTRAINT "disputes_delivery_pair" CHECK (("disputes"."delivery_id" is null) = ("disputes"."delivery_order_id" is null)),
	CONSTRAINT "disputes_subject_length" CHECK (length(trim("disputes"."subject")) between 3 and 200),
	CONSTRAINT "disputes_outcome_note_length" CHECK (coalesce(length("disputes"."outcome_note"), 0) <= 1000),
	CONSTRAINT "disputes_version_positive" CHECK ("disputes"."version" > 0),
	CONSTRAINT "disputes_outcome_consistent" CHECK (("disputes"."status" in ('resolved', 'closed') or ("disputes"."outcome" is null and "disputes"."resolved_at" is null))
      and ("disputes"."status" <> 'resolved' or ("disputes"."outcome" is not null and "disputes"."outcome" <> 'merged' and "disputes"."resolved_at" is not null))
      and (("disputes"."status" = 'closed') = ("disputes"."closed_at" is not null))
      and ("disputes"."outcome" is distinct from 'redelivery' or "disputes"."redelivery_order_id" is not null)),
	CONSTRAINT "disputes_merge_consistent" CHECK ((("disputes"."merged_into_id" is not null) = ("disputes"."outcome" is not null and "disputes"."outcome" = 'merged'))
      and ("disputes"."merged_into_id" is null or ("disputes"."status" = 'closed' and "disputes"."merged_into_id" <> "disputes"."id")))
);
--> statement-breakpoint
ALTER TABLE "refunds" ADD COLUMN "dispute_id" uuid;--> statement-breakpoint
ALTER TABLE "dispute_messages" ADD CONSTRAINT "dispute_messages_dispute_fk" FOREIGN KEY ("dispute_id","customer_id") REFERENCES "public"."disputes"("id","customer_id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dispute_messages" ADD CONSTRAINT "dispute_messages_author_user_fk" FOREIGN KEY ("author_user_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dispute_messages" ADD CONSTRAINT "dispute_messages_author_customer_fk" FOREIGN KEY ("author_customer_id") REFERENCES "public"."customers"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disputes" ADD CONSTRAINT "disputes_customer_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disputes" ADD CONSTRAINT "disputes_assignee_fk" FOREIGN KEY ("assignee_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disputes" ADD CONSTRAINT "disputes_created_by_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disputes" ADD CONSTRAINT "disputes_order_fk" FOREIGN KEY ("order_id","customer_id") REFERENCES "public"."orders"("id","customer_id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disputes" ADD CONSTRAINT "disputes_invoice_fk" FOREIGN KEY ("invoice_id","customer_id") REFERENCES "public"."invoices"("id","customer_id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disputes" ADD CONSTRAINT "disputes_delivery_fk" FOREIGN KEY ("delivery_id","delivery_order_id") REFERENCES "public"."deliveries"("id","order_id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disputes" ADD CONSTRAINT "disputes_delivery_order_fk" FOREIGN KEY ("delivery_order_id","customer_id") REFERENCES "public"."orders"("id","customer_id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disputes" ADD CONSTRAINT "disputes_redelivery_order_fk" FOREIGN KEY ("redelivery_order_id","customer_id") REFERENCES "public"."orders"("id","customer_id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disputes" ADD CONSTRAINT "disputes_merged_into_fk" FOREIGN KEY ("merged_into_id","customer_id") REFERENCES "public"."disputes"("id","customer_id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "dispute_messages_dispute_created_idx" ON "dispute_messages" USING btree ("dispute_id","created_at","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "disputes_number_key" ON "disputes" USING btree ("number");--> statement-breakpoint
CREATE INDEX "disputes_created_idx" ON "disputes" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "disputes_updated_idx" ON "disputes" USING btree ("updated_at","id");--> statement-breakpoint
CREATE INDEX "disputes_status_created_idx" ON "disputes" USING btree ("status","created_at","id");--> statement-breakpoint
CREATE INDEX "disputes_priority_created_idx" ON "disputes" USING btree ("priority","created_at");--> statement-breakpoint
CREATE INDEX "disputes_category_created_idx" ON "disputes" USING btree ("category","created_at");--> statement-breakpoint
CREATE INDEX "disputes_customer_created_idx" ON "disputes" USING btree ("customer_id","created_at");--> statement-breakpoint
CREATE INDEX "disputes_assignee_status_idx" ON "disputes" USING btree ("assignee_id","status","created_at");--> statement-breakpoint
CREATE INDEX "disputes_delivery_idx" ON "disputes" USING btree ("delivery_id");--> statement-breakpoint
CREATE INDEX "disputes_order_idx" ON "disputes" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "disputes_invoice_idx" ON "disputes" USING btree ("invoice_id");--> statement-breakpoint
CREATE INDEX "disputes_merged_into_idx" ON "disputes" USING btree ("merged_into_id");--> statement-breakpoint
CREATE INDEX "disputes_subject_trgm_idx" ON "disputes" USING gin ("subject" gin_trgm_ops);--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_dispute_fk" FOREIGN KEY ("dispute_id","customer_id") REFERENCES "public"."disputes"("id","customer_id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "refunds_dispute_idx" ON "refunds" USING btree ("dispute_id") WHERE "refunds"."dispute_id" is not null;
--> statement-breakpoint
-- ---------------------------------------------------------------------------------------------------------------
-- Disputes (issue 13), hand-written: the allowed moves as data, the trigger that enforces them and bumps the version.
-- ---------------------------------------------------------------------------------------------------------------
INSERT INTO dispute_transitions (from_status, to_status) VALUES
  ('open', 'awaiting_customer'), ('open', 'awaiting_support'), ('open', 'resolved'), ('open', 'closed'),
  ('awaiting_customer', 'awaiting_support'), ('awaiting_customer', 'resolved'), ('awaiting_customer', 'closed'),
  ('awaiting_support', 'awaiting_customer'), ('awaiting_support', 'resolved'), ('awaiting_support', 'closed'),
  ('resolved', 'awaiting_support'), ('resolved', 'closed');
--> statement-breakpoint
-- The moves are the schema owner's to change (a migration), never the API's.
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON dispute_transitions FROM milkrun_app;
--> statement-breakpoint
-- A thread is a record: messages and activity entries are never edited nor removed by the API.
REVOKE UPDATE, DELETE, TRUNCATE ON dispute_messages FROM milkrun_app;
--> statement-breakpoint
-- A dispute starts open at version 1, and keeps its customer, number, author and time of opening.
CREATE FUNCTION disputes_start() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status <> 'open' OR NEW.version <> 1 OR NEW.merged_into_id IS NOT NULL THEN
    RAISE EXCEPTION 'a dispute starts open, at version 1, merged into nothing (not %, version %)', NEW.status, NEW.version
      USING ERRCODE = 'check_violation', CONSTRAINT = 'disputes_starts_open';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER disputes_start BEFORE INSERT ON disputes FOR EACH ROW EXECUTE FUNCTION disputes_start();
--> statement-breakpoint
-- Every change: closed is final; a change of status must be a row of dispute_transitions (the error names the allowed
-- ones); who and when it was opened never change; the version goes up by one (the API's optimistic lock: an UPDATE
-- ... WHERE version = the one read finds no row once someone else changed it).
CREATE FUNCTION disputes_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  allowed text;
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'dispute %: disputes are closed, never deleted', OLD.number
      USING ERRCODE = 'check_violation', CONSTRAINT = 'disputes_closed_final';
  END IF;
  IF OLD.status = 'closed' THEN
    RAISE EXCEPTION 'dispute % is closed: a closed dispute never changes', OLD.number
      USING ERRCODE = 'check_violation', CONSTRAINT = 'disputes_closed_final';
  END IF;
  IF NEW.status <> OLD.status AND NOT EXISTS (SELECT 1 FROM dispute_transitions WHERE from_status = OLD.status AND to_status = NEW.status) THEN
    SELECT string_agg(to_status::text, ', ' ORDER BY to_status) INTO allowed FROM dispute_transitions WHERE from_status = OLD.status;
    RAISE EXCEPTION 'dispute % cannot move from % to %; allowed: %', OLD.number, OLD.status, NEW.status, coalesce(allowed, 'none')
      USING ERRCODE = 'check_violation', CONSTRAINT = 'disputes_transition_allowed';
  END IF;
  IF NEW.customer_id <> OLD.customer_id OR NEW.number <> OLD.number OR NEW.created_at <> OLD.created_at OR NEW.created_by IS DISTINCT FROM OLD.created_by THEN
    RAISE EXCEPTION 'dispute %: its customer, number, author and time of opening never change', OLD.number
      USING ERRCODE = 'check_violation', CONSTRAINT = 'disputes_identity_fixed';
  END IF;
  NEW.version := OLD.version + 1;
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER disputes_guard BEFORE UPDATE OR DELETE ON disputes FOR EACH ROW EXECUTE FUNCTION disputes_guard();
