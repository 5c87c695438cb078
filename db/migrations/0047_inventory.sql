CREATE TYPE "public"."purchase_order_status" AS ENUM('draft', 'approved', 'sent', 'partially_received', 'received', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."stock_run_shift" AS ENUM('morning', 'evening');--> statement-breakpoint
CREATE TYPE "public"."stock_movement_kind" AS ENUM('receipt', 'dispatch', 'return', 'wastage', 'spoilage', 'transfer_out', 'transfer_in', 'adjustment', 'expiry');--> statement-breakpoint
CREATE TABLE "purchase_order_lines" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"purchase_order_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"quantity" integer NOT NULL,
	"unit_price_paise" integer NOT NULL,
	"quantity_accepted" integer DEFAULT 0 NOT NULL,
	"quantity_rejected" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "purchase_order_lines_product_key" UNIQUE("purchase_order_id","product_id"),
	CONSTRAINT "purchase_order_lines_quantity_positive" CHECK ("purchase_order_lines"."quantity" between 1 and 1000000),
	CONSTRAINT "purchase_order_lines_price_nonnegative" CHECK ("purchase_order_lines"."unit_price_paise" >= 0),
	CONSTRAINT "purchase_order_lines_not_over_received" CHECK ("purchase_order_lines"."quantity_accepted" >= 0 and "purchase_order_lines"."quantity_rejected" >= 0 and "purchase_order_lines"."quantity_accepted" + "purchase_order_lines"."quantity_rejected" <= "purchase_order_lines"."quantity")
);
--> statement-breakpoint
CREATE TABLE "purchase_orders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" integer GENERATED ALWAYS AS IDENTITY (sequence name "purchase_orders_number_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"supplier_id" uuid NOT NULL,
	"depot_id" uuid NOT NULL,
	"status" "purchase_order_status" DEFAULT 'draft' NOT NULL,
	"expected_date" date,
	"note" text DEFAULT '' NOT NULL,
	"total_paise" integer DEFAULT 0 NOT NULL,
	"created_by" uuid NOT NULL,
	"approved_by" uuid,
	"approved_at" timestamp with time zone,
	"sent_at" timestamp with time zone,
	"received_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"cancel_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "purchase_orders_number_key" UNIQUE("number"),
	CONSTRAINT "purchase_orders_approver_differs" CHECK ("purchase_orders"."approved_by" is null or "purchase_orders"."approved_by" <> "purchase_orders"."created_by"),
	CONSTRAINT "purchase_orders_approval_consistent" CHECK (("purchase_orders"."approved_by" is null) = ("purchase_orders"."approved_at" is null) and ("purchase_orders"."status" in ('draft', 'cancelled') or "purchase_orders"."approved_by" is not null)),
	CONSTRAINT "purchase_orders_cancel_consistent" CHECK (("purchase_orders"."status" = 'cancelled') = ("purchase_orders"."cancelled_at" is not null)),
	CONSTRAINT "purchase_orders_total_nonnegative" CHECK ("purchase_orders"."total_paise" >= 0)
);
--> statement-breakpoint
CREATE TABLE "safety_stocks" (
	"product_id" uuid PRIMARY KEY NOT NULL,
	"quantity" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "safety_stocks_quantity_nonnegative" CHECK ("safety_stocks"."quantity" >= 0)
);
--> statement-breakpoint
CREATE TABLE "stock_batches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"product_id" uuid NOT NULL,
	"depot_id" uuid NOT NULL,
	"batch_code" text NOT NULL,
	"expiry_date" date NOT NULL,
	"quantity" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stock_batches_code_key" UNIQUE("product_id","depot_id","batch_code"),
	CONSTRAINT "stock_batches_id_product_depot_key" UNIQUE("id","product_id","depot_id"),
	CONSTRAINT "stock_batches_quantity_nonnegative" CHECK ("stock_batches"."quantity" >= 0),
	CONSTRAINT "stock_batches_code_valid" CHECK (length(trim("stock_batches"."batch_code")) between 1 and 60)
);
--> statement-breakpoint
CREATE TABLE "stock_movements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" "stock_movement_kind" NOT NULL,
	"product_id" uuid NOT NULL,
	"depot_id" uuid NOT NULL,
	"batch_id" uuid NOT NULL,
	"quantity" integer NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"run_date" date,
	"run_shift" "stock_run_shift",
	"staff_id" uuid,
	"purchase_order_line_id" uuid,
	"transfer_id" uuid,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stock_movements_sign_by_kind" CHECK (case when "stock_movements"."kind" in ('receipt', 'return', 'transfer_in') then "stock_movements"."quantity" > 0 when "stock_movements"."kind" = 'adjustment' then "stock_movements"."quantity" <> 0 else "stock_movements"."quantity" < 0 end),
	CONSTRAINT "stock_movements_reason_given" CHECK ("stock_movements"."kind" not in ('wastage', 'spoilage', 'adjustment') or length(trim("stock_movements"."reason")) between 3 and 500),
	CONSTRAINT "stock_movements_run_given" CHECK (("stock_movements"."kind" in ('dispatch', 'return')) = ("stock_movements"."run_date" is not null and "stock_movements"."run_shift" is not null and "stock_movements"."staff_id" is not null)),
	CONSTRAINT "stock_movements_receipt_has_line" CHECK (("stock_movements"."kind" = 'receipt') = ("stock_movements"."purchase_order_line_id" is not null)),
	CONSTRAINT "stock_movements_transfer_has_id" CHECK (("stock_movements"."kind" in ('transfer_out', 'transfer_in')) = ("stock_movements"."transfer_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "supplier_products" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"supplier_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"price_paise" integer NOT NULL,
	"lead_time_days" integer DEFAULT 1 NOT NULL,
	"pack_size" integer DEFAULT 1 NOT NULL,
	"pack_label" text DEFAULT '' NOT NULL,
	"is_preferred" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "supplier_products_supplier_product_key" UNIQUE("supplier_id","product_id"),
	CONSTRAINT "supplier_products_price_nonnegative" CHECK ("supplier_products"."price_paise" >= 0),
	CONSTRAINT "supplier_products_lead_time_valid" CHECK ("supplier_products"."lead_time_days" between 0 and 60),
	CONSTRAINT "supplier_products_pack_size_positive" CHECK ("supplier_products"."pack_size" between 1 and 10000)
);
--> statement-breakpoint
CREATE TABLE "suppliers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"gstin" text NOT NULL,
	"contact_name" text DEFAULT '' NOT NULL,
	"phone" text DEFAULT '' NOT NULL,
	"email" text DEFAULT '' NOT NULL,
	"address" text DEFAULT '' NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "suppliers_name_not_blank" CHECK (length(trim("suppliers"."name")) between 1 and 120),
	CONSTRAINT "suppliers_gstin_format" CHECK ("suppliers"."gstin" ~ '^[0-9]{2}[A-Z]{5}[0-9]{4}[A-Z][1-9A-Z]Z[0-9A-Z]$')
);
--> statement-breakpoint
ALTER TABLE "purchase_order_lines" ADD CONSTRAINT "purchase_order_lines_order_fk" FOREIGN KEY ("purchase_order_id") REFERENCES "public"."purchase_orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "purchase_order_lines" ADD CONSTRAINT "purchase_order_lines_product_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "purchase_orders" ADD CONSTRAINT "purchase_orders_supplier_id_fk" FOREIGN KEY ("supplier_id") REFERENCES "public"."suppliers"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "purchase_orders" ADD CONSTRAINT "purchase_orders_depot_id_fk" FOREIGN KEY ("depot_id") REFERENCES "public"."depots"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "purchase_orders" ADD CONSTRAINT "purchase_orders_created_by_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "purchase_orders" ADD CONSTRAINT "purchase_orders_approved_by_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "safety_stocks" ADD CONSTRAINT "safety_stocks_product_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_batches" ADD CONSTRAINT "stock_batches_product_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_batches" ADD CONSTRAINT "stock_batches_depot_id_fk" FOREIGN KEY ("depot_id") REFERENCES "public"."depots"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_batch_fk" FOREIGN KEY ("batch_id","product_id","depot_id") REFERENCES "public"."stock_batches"("id","product_id","depot_id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_po_line_fk" FOREIGN KEY ("purchase_order_line_id") REFERENCES "public"."purchase_order_lines"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_created_by_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supplier_products" ADD CONSTRAINT "supplier_products_supplier_id_fk" FOREIGN KEY ("supplier_id") REFERENCES "public"."suppliers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supplier_products" ADD CONSTRAINT "supplier_products_product_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "purchase_orders_status_idx" ON "purchase_orders" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "purchase_orders_supplier_idx" ON "purchase_orders" USING btree ("supplier_id","created_at");--> statement-breakpoint
CREATE INDEX "purchase_orders_depot_idx" ON "purchase_orders" USING btree ("depot_id","status");--> statement-breakpoint
CREATE INDEX "purchase_orders_created_idx" ON "purchase_orders" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "stock_batches_fefo_idx" ON "stock_batches" USING btree ("product_id","depot_id","expiry_date") WHERE "stock_batches"."quantity" > 0;--> statement-breakpoint
CREATE INDEX "stock_batches_expiry_idx" ON "stock_batches" USING btree ("expiry_date") WHERE "stock_batches"."quantity" > 0;--> statement-breakpoint
CREATE INDEX "stock_movements_product_depot_idx" ON "stock_movements" USING btree ("product_id","depot_id","created_at");--> statement-breakpoint
CREATE INDEX "stock_movements_batch_idx" ON "stock_movements" USING btree ("batch_id");--> statement-breakpoint
CREATE INDEX "stock_movements_created_idx" ON "stock_movements" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "stock_movements_kind_idx" ON "stock_movements" USING btree ("kind","created_at");--> statement-breakpoint
CREATE INDEX "stock_movements_run_idx" ON "stock_movements" USING btree ("run_date","run_shift","staff_id") WHERE "stock_movements"."run_date" is not null;--> statement-breakpoint
CREATE INDEX "stock_movements_po_line_idx" ON "stock_movements" USING btree ("purchase_order_line_id") WHERE "stock_movements"."purchase_order_line_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "supplier_products_one_preferred" ON "supplier_products" USING btree ("product_id") WHERE "supplier_products"."is_preferred";--> statement-breakpoint
CREATE UNIQUE INDEX "suppliers_gstin_key" ON "suppliers" USING btree ("gstin");--> statement-breakpoint
CREATE UNIQUE INDEX "suppliers_name_key" ON "suppliers" USING btree (lower("name"));