CREATE TYPE "public"."failure_fault" AS ENUM('staff', 'customer', 'business');--> statement-breakpoint
CREATE TYPE "public"."earnings_type" AS ENUM('base', 'litres', 'on_time', 'attempt', 'failure_deduction', 'adjustment');--> statement-breakpoint
CREATE TYPE "public"."payout_batch_status" AS ENUM('draft', 'approved', 'paid', 'failed', 'reversed');--> statement-breakpoint
CREATE TYPE "public"."payout_item_status" AS ENUM('pending', 'paid', 'failed', 'reversed');--> statement-breakpoint
CREATE TABLE "failure_reasons" (
	"code" text PRIMARY KEY NOT NULL,
	"label" text NOT NULL,
	"fault" "failure_fault" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "failure_reasons_code_format" CHECK ("failure_reasons"."code" ~ '^[a-z][a-z0-9_]{1,39}$'),
	CONSTRAINT "failure_reasons_label_length" CHECK (length(trim("failure_reasons"."label")) between 3 and 120)
);
--> statement-breakpoint
CREATE TABLE "earnings_lines" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"staff_id" uuid NOT NULL,
	"delivery_id" uuid,
	"type" "earnings_type" NOT NULL,
	"amount_paise" bigint NOT NULL,
	"earned_on" date NOT NULL,
	"rate_card_id" uuid,
	"quantity_ml" integer,
	"reason" text,
	"created_by" uuid,
	"payout_batch_id" uuid,
	"payout_item_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "earnings_lines_kind_consistent" CHECK (("earnings_lines"."type" = 'adjustment') = ("earnings_lines"."delivery_id" is null)
       and ("earnings_lines"."type" = 'adjustment') = (length(trim(coalesce("earnings_lines"."reason", ''))) >= 3)
       and ("earnings_lines"."type" = 'litres') = ("earnings_lines"."quantity_ml" is not null and "earnings_lines"."quantity_ml" > 0)
       and coalesce(length("earnings_lines"."reason"), 0) <= 500),
	CONSTRAINT "earnings_lines_amount_sign" CHECK (abs("earnings_lines"."amount_paise") <= 100000000 and case "earnings_lines"."type" when 'failure_deduction' then "earnings_lines"."amount_paise" <= 0
        when 'adjustment' then "earnings_lines"."amount_paise" <> 0 else "earnings_lines"."amount_paise" >= 0 end),
	CONSTRAINT "earnings_lines_payout_pair" CHECK (("earnings_lines"."payout_batch_id" is null) = ("earnings_lines"."payout_item_id" is null))
);
--> statement-breakpoint
CREATE TABLE "payout_batches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"month" date NOT NULL,
	"period_end" date NOT NULL,
	"status" "payout_batch_status" DEFAULT 'draft' NOT NULL,
	"total_paise" bigint DEFAULT 0 NOT NULL,
	"staff_count" integer DEFAULT 0 NOT NULL,
	"created_by" uuid NOT NULL,
	"approved_by" uuid,
	"approved_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payout_batches_month_first_day" CHECK (extract(day from "payout_batches"."month") = 1 and "payout_batches"."period_end" = ("payout_batches"."month" + interval '1 month' - interval '1 day')::date),
	CONSTRAINT "payout_batches_four_eyes" CHECK ("payout_batches"."approved_by" is null or "payout_batches"."approved_by" <> "payout_batches"."created_by"),
	CONSTRAINT "payout_batches_approval_consistent" CHECK (("payout_batches"."status" = 'draft') = ("payout_batches"."approved_by" is null) and ("payout_batches"."approved_by" is null) = ("payout_batches"."approved_at" is null)),
	CONSTRAINT "payout_batches_totals_nonnegative" CHECK ("payout_batches"."total_paise" >= 0 and "payout_batches"."staff_count" >= 0)
);
--> statement-breakpoint
CREATE TABLE "payout_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"batch_id" uuid NOT NULL,
	"staff_id" uuid NOT NULL,
	"beneficiary_name" text NOT NULL,
	"account_number" text,
	"ifsc" text,
	"upi_id" text,
	"amount_paise" bigint NOT NULL,
	"line_count" integer NOT NULL,
	"status" "payout_item_status" DEFAULT 'pending' NOT NULL,
	"bank_reference" text,
	"failure_reason" text,
	"paid_at" timestamp with time zone,
	"settled_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payout_items_id_batch_staff_key" UNIQUE("id","batch_id","staff_id"),
	CONSTRAINT "payout_items_amount_positive" CHECK ("payout_items"."amount_paise" > 0 and "payout_items"."line_count" > 0),
	CONSTRAINT "payout_items_destination_valid" CHECK (("payout_items"."account_number" is not null and "payout_items"."ifsc" is not null and "payout_items"."upi_id" is null
          and "payout_items"."account_number" ~ '^[0-9]{9,18}$' and "payout_items"."ifsc" ~ '^[A-Z]{4}0[A-Z0-9]{6}$')
        or ("payout_items"."upi_id" is not null and "payout_items"."account_number" is null and "payout_items"."ifsc" is null
          and "payout_items"."upi_id" ~ '^[a-zA-Z0-9._-]{2,200}@[a-zA-Z][a-zA-Z0-9]{1,63}$')),
	CONSTRAINT "payout_items_result_consistent" CHECK (("payout_items"."status" in ('paid', 'reversed')) = ("payout_items"."paid_at" is not null and length(trim(coalesce("payout_items"."bank_reference", ''))) > 0)
       and ("payout_items"."status" in ('failed', 'reversed')) = (length(trim(coalesce("payout_items"."failure_reason", ''))) > 0)
       and ("payout_items"."status" = 'pending') = ("payout_items"."settled_by" is null)
       and coalesce(length("payout_items"."bank_reference"), 0) <= 100 and coalesce(length("payout_items"."failure_reason"), 0) <= 500)
);
--> statement-breakpoint
CREATE TABLE "rate_cards" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"zone_id" uuid,
	"effective_from" date NOT NULL,
	"effective_to" date,
	"base_per_drop_paise" integer NOT NULL,
	"per_litre_paise" integer NOT NULL,
	"on_time_bonus_paise" integer NOT NULL,
	"failure_deduction_paise" integer NOT NULL,
	"failed_attempt_paise" integer DEFAULT 0 NOT NULL,
	"morning_start" time DEFAULT '05:00' NOT NULL,
	"morning_end" time DEFAULT '08:00' NOT NULL,
	"evening_start" time DEFAULT '17:00' NOT NULL,
	"evening_end" time DEFAULT '20:00' NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rate_cards_amounts_valid" CHECK ("rate_cards"."base_per_drop_paise" between 0 and 10000000 and "rate_cards"."per_litre_paise" between 0 and 10000000 and "rate_cards"."on_time_bonus_paise" between 0 and 10000000
       and "rate_cards"."failure_deduction_paise" between 0 and 10000000 and "rate_cards"."failed_attempt_paise" between 0 and 10000000),
	CONSTRAINT "rate_cards_period_valid" CHECK ("rate_cards"."effective_to" is null or "rate_cards"."effective_to" >= "rate_cards"."effective_from"),
	CONSTRAINT "rate_cards_windows_valid" CHECK ("rate_cards"."morning_start" < "rate_cards"."morning_end" and "rate_cards"."evening_start" < "rate_cards"."evening_end"),
	CONSTRAINT "rate_cards_note_length" CHECK (length("rate_cards"."note") <= 500)
);
--> statement-breakpoint
ALTER TABLE "staff" ADD COLUMN "bank_account_number" text;--> statement-breakpoint
ALTER TABLE "staff" ADD COLUMN "bank_ifsc" text;--> statement-breakpoint
ALTER TABLE "staff" ADD COLUMN "upi_id" text;--> statement-breakpoint
ALTER TABLE "deliveries" ADD COLUMN "failure_code" text;--> statement-breakpoint
ALTER TABLE "earnings_lines" ADD CONSTRAINT "earnings_lines_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "earnings_lines" ADD CONSTRAINT "earnings_lines_delivery_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "public"."deliveries"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "earnings_lines" ADD CONSTRAINT "earnings_lines_rate_card_id_fk" FOREIGN KEY ("rate_card_id") REFERENCES "public"."rate_cards"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "earnings_lines" ADD CONSTRAINT "earnings_lines_created_by_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "earnings_lines" ADD CONSTRAINT "earnings_lines_payout_item_fk" FOREIGN KEY ("payout_item_id","payout_batch_id","staff_id") REFERENCES "public"."payout_items"("id","batch_id","staff_id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payout_batches" ADD CONSTRAINT "payout_batches_created_by_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payout_batches" ADD CONSTRAINT "payout_batches_approved_by_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payout_items" ADD CONSTRAINT "payout_items_batch_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."payout_batches"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payout_items" ADD CONSTRAINT "payout_items_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payout_items" ADD CONSTRAINT "payout_items_settled_by_fk" FOREIGN KEY ("settled_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rate_cards" ADD CONSTRAINT "rate_cards_zone_id_fk" FOREIGN KEY ("zone_id") REFERENCES "public"."zones"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rate_cards" ADD CONSTRAINT "rate_cards_created_by_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "earnings_lines_delivery_type_key" ON "earnings_lines" USING btree ("delivery_id","type");--> statement-breakpoint
CREATE INDEX "earnings_lines_staff_day_idx" ON "earnings_lines" USING btree ("staff_id","earned_on","id");--> statement-breakpoint
CREATE INDEX "earnings_lines_day_idx" ON "earnings_lines" USING btree ("earned_on","id");--> statement-breakpoint
CREATE INDEX "earnings_lines_type_day_idx" ON "earnings_lines" USING btree ("type","earned_on");--> statement-breakpoint
CREATE INDEX "earnings_lines_batch_idx" ON "earnings_lines" USING btree ("payout_batch_id") WHERE "earnings_lines"."payout_batch_id" is not null;--> statement-breakpoint
CREATE INDEX "earnings_lines_item_idx" ON "earnings_lines" USING btree ("payout_item_id") WHERE "earnings_lines"."payout_item_id" is not null;--> statement-breakpoint
CREATE INDEX "earnings_lines_unpaid_idx" ON "earnings_lines" USING btree ("staff_id","earned_on") WHERE "earnings_lines"."payout_item_id" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "payout_batches_one_draft_per_month" ON "payout_batches" USING btree ("month") WHERE "payout_batches"."status" = 'draft';--> statement-breakpoint
CREATE INDEX "payout_batches_month_idx" ON "payout_batches" USING btree ("month","created_at");--> statement-breakpoint
CREATE INDEX "payout_batches_status_idx" ON "payout_batches" USING btree ("status","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "payout_items_batch_staff_key" ON "payout_items" USING btree ("batch_id","staff_id");--> statement-breakpoint
CREATE INDEX "payout_items_staff_idx" ON "payout_items" USING btree ("staff_id");--> statement-breakpoint
CREATE INDEX "rate_cards_zone_from_idx" ON "rate_cards" USING btree ("zone_id","effective_from");--> statement-breakpoint
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_failure_code_fk" FOREIGN KEY ("failure_code") REFERENCES "public"."failure_reasons"("code") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff" ADD CONSTRAINT "staff_payout_details_valid" CHECK (("staff"."bank_account_number" is null) = ("staff"."bank_ifsc" is null)
       and ("staff"."bank_account_number" is null or "staff"."bank_account_number" ~ '^[0-9]{9,18}$')
       and ("staff"."bank_ifsc" is null or "staff"."bank_ifsc" ~ '^[A-Z]{4}0[A-Z0-9]{6}$')
       and ("staff"."upi_id" is null or "staff"."upi_id" ~ '^[a-zA-Z0-9._-]{2,200}@[a-zA-Z][a-zA-Z0-9]{1,63}$'));--> statement-breakpoint
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_failure_code_when_failed" CHECK ("deliveries"."failure_code" is null or "deliveries"."status" = 'failed');