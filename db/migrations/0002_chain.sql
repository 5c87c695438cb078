CREATE TYPE "public"."schedule_kind" AS ENUM('daily', 'alternate', 'weekdays');--> statement-breakpoint
CREATE TYPE "public"."shift" AS ENUM('morning', 'evening');--> statement-breakpoint
CREATE TYPE "public"."subscription_status" AS ENUM('active', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."order_kind" AS ENUM('subscription', 'one_time');--> statement-breakpoint
CREATE TYPE "public"."order_status" AS ENUM('pending', 'delivered', 'partially_delivered', 'failed', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."payment_method" AS ENUM('postpaid', 'cash', 'upi', 'card', 'wallet');--> statement-breakpoint
CREATE TYPE "public"."delivery_status" AS ENUM('pending', 'delivered', 'partial', 'failed');--> statement-breakpoint
CREATE TYPE "public"."billing_source" AS ENUM('delivery', 'legacy_import');--> statement-breakpoint
CREATE TYPE "public"."invoice_kind" AS ENUM('tax_invoice', 'bill_of_supply', 'invoice_cum_bill_of_supply');--> statement-breakpoint
CREATE TYPE "public"."invoice_run_status" AS ENUM('running', 'completed', 'failed');--> statement-breakpoint
CREATE TYPE "public"."invoice_status" AS ENUM('issued', 'void');--> statement-breakpoint
CREATE TABLE "staff" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"phone" text NOT NULL,
	"zone_id" uuid,
	"user_id" uuid,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "staff_phone_format" CHECK ("staff"."phone" ~ '^\+91[6-9][0-9]{9}$')
);
--> statement-breakpoint
CREATE TABLE "subscription_overrides" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"subscription_id" uuid NOT NULL,
	"date" date NOT NULL,
	"quantity" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "subscription_overrides_quantity_range" CHECK ("subscription_overrides"."quantity" >= 0 and "subscription_overrides"."quantity" <= 100)
);
--> statement-breakpoint
CREATE TABLE "subscription_pauses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"subscription_id" uuid NOT NULL,
	"from_date" date NOT NULL,
	"to_date" date NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "subscription_pauses_range_valid" CHECK ("subscription_pauses"."to_date" >= "subscription_pauses"."from_date")
);
--> statement-breakpoint
CREATE TABLE "subscriptions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"customer_id" uuid NOT NULL,
	"address_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"quantity" integer NOT NULL,
	"schedule" "schedule_kind" NOT NULL,
	"weekdays" smallint DEFAULT 0 NOT NULL,
	"shift" "shift" DEFAULT 'morning' NOT NULL,
	"start_date" date NOT NULL,
	"end_date" date,
	"status" "subscription_status" DEFAULT 'active' NOT NULL,
	"cancelled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "subscriptions_id_customer_key" UNIQUE("id","customer_id"),
	CONSTRAINT "subscriptions_quantity_positive" CHECK ("subscriptions"."quantity" > 0 and "subscriptions"."quantity" <= 100),
	CONSTRAINT "subscriptions_end_after_start" CHECK ("subscriptions"."end_date" is null or "subscriptions"."end_date" >= "subscriptions"."start_date"),
	CONSTRAINT "subscriptions_weekdays_valid" CHECK (("subscriptions"."schedule" = 'weekdays') = ("subscriptions"."weekdays" <> 0) and "subscriptions"."weekdays" between 0 and 254 and "subscriptions"."weekdays" % 2 = 0),
	CONSTRAINT "subscriptions_cancelled_consistent" CHECK (("subscriptions"."status" = 'cancelled') = ("subscriptions"."cancelled_at" is not null))
);
--> statement-breakpoint
CREATE TABLE "order_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"order_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"quantity" integer NOT NULL,
	"unit_price_paise" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "order_items_order_id_id_key" UNIQUE("order_id","id"),
	CONSTRAINT "order_items_id_quantity_key" UNIQUE("id","quantity"),
	CONSTRAINT "order_items_quantity_positive" CHECK ("order_items"."quantity" > 0),
	CONSTRAINT "order_items_unit_price_nonnegative" CHECK ("order_items"."unit_price_paise" >= 0)
);
--> statement-breakpoint
CREATE TABLE "orders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"customer_id" uuid NOT NULL,
	"address_id" uuid NOT NULL,
	"kind" "order_kind" NOT NULL,
	"subscription_id" uuid,
	"delivery_date" date NOT NULL,
	"shift" "shift" DEFAULT 'morning' NOT NULL,
	"status" "order_status" DEFAULT 'pending' NOT NULL,
	"payment_method" "payment_method" DEFAULT 'postpaid' NOT NULL,
	"total_paise" integer DEFAULT 0 NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "orders_id_date_key" UNIQUE("id","delivery_date"),
	CONSTRAINT "orders_id_customer_key" UNIQUE("id","customer_id"),
	CONSTRAINT "orders_kind_subscription" CHECK (("orders"."kind" = 'subscription') = ("orders"."subscription_id" is not null)),
	CONSTRAINT "orders_total_nonnegative" CHECK ("orders"."total_paise" >= 0)
);
--> statement-breakpoint
CREATE TABLE "deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"order_id" uuid NOT NULL,
	"order_date" date NOT NULL,
	"staff_id" uuid,
	"status" "delivery_status" DEFAULT 'pending' NOT NULL,
	"delivered_at" timestamp with time zone,
	"delivered_on" date,
	"lat" double precision,
	"lng" double precision,
	"proof_note" text DEFAULT '' NOT NULL,
	"failure_reason" text,
	"confirmed_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "deliveries_id_order_key" UNIQUE("id","order_id"),
	CONSTRAINT "deliveries_not_before_order" CHECK ("deliveries"."delivered_on" is null or "deliveries"."delivered_on" >= "deliveries"."order_date"),
	CONSTRAINT "deliveries_outcome_consistent" CHECK (("deliveries"."status" = 'pending' and "deliveries"."delivered_at" is null and "deliveries"."delivered_on" is null and "deliveries"."failure_reason" is null)
       or ("deliveries"."status" in ('delivered', 'partial') and "deliveries"."delivered_at" is not null and "deliveries"."delivered_on" is not null and "deliveries"."failure_reason" is null)
       or ("deliveries"."status" = 'failed' and "deliveries"."delivered_at" is not null and "deliveries"."delivered_on" is not null and length(trim(coalesce("deliveries"."failure_reason", ''))) > 0)),
	CONSTRAINT "deliveries_lat_range" CHECK ("deliveries"."lat" is null or "deliveries"."lat" between -90 and 90),
	CONSTRAINT "deliveries_lng_range" CHECK ("deliveries"."lng" is null or "deliveries"."lng" between -180 and 180)
);
--> statement-breakpoint
CREATE TABLE "delivery_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"delivery_id" uuid NOT NULL,
	"order_id" uuid NOT NULL,
	"order_item_id" uuid NOT NULL,
	"ordered_quantity" integer NOT NULL,
	"quantity" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "delivery_items_id_quantity_key" UNIQUE("id","quantity"),
	CONSTRAINT "delivery_items_quantity_range" CHECK ("delivery_items"."quantity" >= 0 and "delivery_items"."quantity" <= "delivery_items"."ordered_quantity")
);
--> statement-breakpoint
CREATE TABLE "billing_records" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"delivery_item_id" uuid NOT NULL,
	"quantity" integer NOT NULL,
	"customer_id" uuid NOT NULL,
	"order_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"service_date" date NOT NULL,
	"unit_price_paise" integer NOT NULL,
	"hsn_code" text NOT NULL,
	"gst_rate_bp" integer NOT NULL,
	"taxable_paise" integer NOT NULL,
	"cgst_paise" integer NOT NULL,
	"sgst_paise" integer NOT NULL,
	"total_paise" integer NOT NULL,
	"source" "billing_source" DEFAULT 'delivery' NOT NULL,
	"legacy_billed" boolean DEFAULT false NOT NULL,
	"invoice_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "billing_records_quantity_positive" CHECK ("billing_records"."quantity" > 0),
	CONSTRAINT "billing_records_unit_price_nonnegative" CHECK ("billing_records"."unit_price_paise" >= 0),
	CONSTRAINT "billing_records_gst_rate_bp_slab" CHECK ("billing_records"."gst_rate_bp" in (0, 500, 1200, 1800, 2800)),
	CONSTRAINT "billing_records_taxable_exact" CHECK ("billing_records"."taxable_paise"::bigint = "billing_records"."quantity"::bigint * "billing_records"."unit_price_paise"),
	CONSTRAINT "billing_records_tax_exact" CHECK ("billing_records"."cgst_paise"::bigint = ("billing_records"."taxable_paise"::bigint * "billing_records"."gst_rate_bp" + 10000) / 20000 and "billing_records"."sgst_paise" = "billing_records"."cgst_paise"),
	CONSTRAINT "billing_records_total_exact" CHECK ("billing_records"."total_paise" = "billing_records"."taxable_paise" + "billing_records"."cgst_paise" + "billing_records"."sgst_paise"),
	CONSTRAINT "billing_records_legacy_not_invoiced" CHECK (not ("billing_records"."legacy_billed" and "billing_records"."invoice_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "document_series" (
	"series" text NOT NULL,
	"financial_year" text NOT NULL,
	"next_seq" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "document_series_pkey" PRIMARY KEY("series","financial_year"),
	CONSTRAINT "document_series_next_positive" CHECK ("document_series"."next_seq" > 0)
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"key" text NOT NULL,
	"user_id" uuid NOT NULL,
	"scope" text NOT NULL,
	"status" integer,
	"response" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotency_keys_pkey" PRIMARY KEY("key","user_id")
);
--> statement-breakpoint
CREATE TABLE "invoice_lines" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"invoice_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"description" text NOT NULL,
	"hsn_code" text NOT NULL,
	"unit" text NOT NULL,
	"quantity" integer NOT NULL,
	"unit_price_paise" integer NOT NULL,
	"gst_rate_bp" integer NOT NULL,
	"taxable_paise" integer NOT NULL,
	"cgst_paise" integer NOT NULL,
	"sgst_paise" integer NOT NULL,
	"total_paise" integer NOT NULL,
	CONSTRAINT "invoice_lines_quantity_positive" CHECK ("invoice_lines"."quantity" > 0),
	CONSTRAINT "invoice_lines_total_exact" CHECK ("invoice_lines"."total_paise" = "invoice_lines"."taxable_paise" + "invoice_lines"."cgst_paise" + "invoice_lines"."sgst_paise")
);
--> statement-breakpoint
CREATE TABLE "invoice_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"month" date NOT NULL,
	"customer_id" uuid,
	"status" "invoice_run_status" DEFAULT 'running' NOT NULL,
	"total_customers" integer DEFAULT 0 NOT NULL,
	"processed_customers" integer DEFAULT 0 NOT NULL,
	"invoices_created" integer DEFAULT 0 NOT NULL,
	"amount_paise" integer DEFAULT 0 NOT NULL,
	"error" text,
	"started_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "invoice_runs_month_first_day" CHECK (extract(day from "invoice_runs"."month") = 1)
);
--> statement-breakpoint
CREATE TABLE "invoices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" text NOT NULL,
	"series" text NOT NULL,
	"financial_year" text NOT NULL,
	"seq" integer NOT NULL,
	"kind" "invoice_kind" NOT NULL,
	"status" "invoice_status" DEFAULT 'issued' NOT NULL,
	"customer_id" uuid NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"issued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"invoice_date" date NOT NULL,
	"due_date" date NOT NULL,
	"place_of_supply" text DEFAULT 'Karnataka (29)' NOT NULL,
	"taxable_paise" integer NOT NULL,
	"exempt_paise" integer NOT NULL,
	"cgst_paise" integer NOT NULL,
	"sgst_paise" integer NOT NULL,
	"total_paise" integer NOT NULL,
	"run_id" uuid,
	"replaces_invoice_id" uuid,
	"void_reason" text,
	"voided_at" timestamp with time zone,
	"voided_by" uuid,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "invoices_series_year_seq_key" UNIQUE("series","financial_year","seq"),
	CONSTRAINT "invoices_number_format" CHECK ("invoices"."number" ~ '^[A-Z0-9/-]{1,16}$'),
	CONSTRAINT "invoices_seq_positive" CHECK ("invoices"."seq" > 0),
	CONSTRAINT "invoices_financial_year_format" CHECK ("invoices"."financial_year" ~ '^[0-9]{2}-[0-9]{2}$'),
	CONSTRAINT "invoices_amounts_nonnegative" CHECK ("invoices"."taxable_paise" >= 0 and "invoices"."exempt_paise" >= 0 and "invoices"."cgst_paise" >= 0 and "invoices"."sgst_paise" >= 0),
	CONSTRAINT "invoices_total_exact" CHECK ("invoices"."total_paise" = "invoices"."taxable_paise" + "invoices"."exempt_paise" + "invoices"."cgst_paise" + "invoices"."sgst_paise"),
	CONSTRAINT "invoices_period_valid" CHECK ("invoices"."period_end" >= "invoices"."period_start" and "invoices"."due_date" >= "invoices"."invoice_date"),
	CONSTRAINT "invoices_void_consistent" CHECK (("invoices"."status" = 'void') = ("invoices"."voided_at" is not null and "invoices"."void_reason" is not null))
);
--> statement-breakpoint
ALTER TABLE "staff" ADD CONSTRAINT "staff_zone_id_fk" FOREIGN KEY ("zone_id") REFERENCES "public"."zones"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff" ADD CONSTRAINT "staff_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscription_overrides" ADD CONSTRAINT "subscription_overrides_subscription_id_fk" FOREIGN KEY ("subscription_id") REFERENCES "public"."subscriptions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscription_pauses" ADD CONSTRAINT "subscription_pauses_subscription_id_fk" FOREIGN KEY ("subscription_id") REFERENCES "public"."subscriptions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_customer_address_fk" FOREIGN KEY ("customer_id","address_id") REFERENCES "public"."addresses"("customer_id","id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_customer_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_product_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_items" ADD CONSTRAINT "order_items_order_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_items" ADD CONSTRAINT "order_items_product_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_customer_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_customer_address_fk" FOREIGN KEY ("customer_id","address_id") REFERENCES "public"."addresses"("customer_id","id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_subscription_customer_fk" FOREIGN KEY ("subscription_id","customer_id") REFERENCES "public"."subscriptions"("id","customer_id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_created_by_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_order_fk" FOREIGN KEY ("order_id","order_date") REFERENCES "public"."orders"("id","delivery_date") ON DELETE restrict ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_confirmed_by_fk" FOREIGN KEY ("confirmed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_items" ADD CONSTRAINT "delivery_items_delivery_fk" FOREIGN KEY ("delivery_id","order_id") REFERENCES "public"."deliveries"("id","order_id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_items" ADD CONSTRAINT "delivery_items_order_item_fk" FOREIGN KEY ("order_id","order_item_id") REFERENCES "public"."order_items"("order_id","id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_items" ADD CONSTRAINT "delivery_items_ordered_quantity_fk" FOREIGN KEY ("order_item_id","ordered_quantity") REFERENCES "public"."order_items"("id","quantity") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing_records" ADD CONSTRAINT "billing_records_delivery_item_fk" FOREIGN KEY ("delivery_item_id","quantity") REFERENCES "public"."delivery_items"("id","quantity") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing_records" ADD CONSTRAINT "billing_records_order_customer_fk" FOREIGN KEY ("order_id","customer_id") REFERENCES "public"."orders"("id","customer_id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing_records" ADD CONSTRAINT "billing_records_customer_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing_records" ADD CONSTRAINT "billing_records_product_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing_records" ADD CONSTRAINT "billing_records_invoice_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD CONSTRAINT "idempotency_keys_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice_lines" ADD CONSTRAINT "invoice_lines_invoice_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice_lines" ADD CONSTRAINT "invoice_lines_product_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice_runs" ADD CONSTRAINT "invoice_runs_customer_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice_runs" ADD CONSTRAINT "invoice_runs_started_by_fk" FOREIGN KEY ("started_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_customer_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_replaces_fk" FOREIGN KEY ("replaces_invoice_id") REFERENCES "public"."invoices"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_voided_by_fk" FOREIGN KEY ("voided_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_created_by_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "staff_phone_key" ON "staff" USING btree ("phone");--> statement-breakpoint
CREATE UNIQUE INDEX "staff_user_id_key" ON "staff" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "staff_zone_idx" ON "staff" USING btree ("zone_id");--> statement-breakpoint
CREATE UNIQUE INDEX "subscription_overrides_subscription_date_key" ON "subscription_overrides" USING btree ("subscription_id","date");--> statement-breakpoint
CREATE INDEX "subscription_pauses_subscription_idx" ON "subscription_pauses" USING btree ("subscription_id");--> statement-breakpoint
CREATE INDEX "subscriptions_customer_idx" ON "subscriptions" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "subscriptions_active_idx" ON "subscriptions" USING btree ("shift","start_date") WHERE "subscriptions"."status" = 'active';--> statement-breakpoint
CREATE UNIQUE INDEX "order_items_order_product_key" ON "order_items" USING btree ("order_id","product_id");--> statement-breakpoint
CREATE UNIQUE INDEX "orders_subscription_date_shift_key" ON "orders" USING btree ("subscription_id","delivery_date","shift");--> statement-breakpoint
CREATE INDEX "orders_date_status_idx" ON "orders" USING btree ("delivery_date","status");--> statement-breakpoint
CREATE INDEX "orders_customer_date_idx" ON "orders" USING btree ("customer_id","delivery_date");--> statement-breakpoint
CREATE INDEX "orders_created_idx" ON "orders" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "deliveries_order_id_key" ON "deliveries" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "deliveries_staff_date_idx" ON "deliveries" USING btree ("staff_id","order_date");--> statement-breakpoint
CREATE INDEX "deliveries_date_status_idx" ON "deliveries" USING btree ("order_date","status");--> statement-breakpoint
CREATE UNIQUE INDEX "delivery_items_order_item_key" ON "delivery_items" USING btree ("order_item_id");--> statement-breakpoint
CREATE INDEX "delivery_items_delivery_idx" ON "delivery_items" USING btree ("delivery_id");--> statement-breakpoint
CREATE UNIQUE INDEX "billing_records_delivery_item_key" ON "billing_records" USING btree ("delivery_item_id");--> statement-breakpoint
CREATE INDEX "billing_records_customer_date_idx" ON "billing_records" USING btree ("customer_id","service_date");--> statement-breakpoint
CREATE INDEX "billing_records_unbilled_idx" ON "billing_records" USING btree ("service_date","customer_id") WHERE "billing_records"."invoice_id" is null and not "billing_records"."legacy_billed";--> statement-breakpoint
CREATE INDEX "billing_records_invoice_idx" ON "billing_records" USING btree ("invoice_id");--> statement-breakpoint
CREATE INDEX "invoice_lines_invoice_idx" ON "invoice_lines" USING btree ("invoice_id");--> statement-breakpoint
CREATE INDEX "invoice_runs_created_idx" ON "invoice_runs" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "invoices_number_key" ON "invoices" USING btree ("number");--> statement-breakpoint
CREATE INDEX "invoices_customer_period_idx" ON "invoices" USING btree ("customer_id","period_start");--> statement-breakpoint
CREATE INDEX "invoices_issued_idx" ON "invoices" USING btree ("issued_at");