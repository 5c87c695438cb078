CREATE TABLE "settings" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"supplier_name" text NOT NULL,
	"supplier_address" text NOT NULL,
	"supplier_gstin" text NOT NULL,
	"supplier_pan" text NOT NULL,
	"supplier_state" text NOT NULL,
	"supplier_state_code" text NOT NULL,
	"supplier_phone" text NOT NULL,
	"supplier_email" text NOT NULL,
	"supplier_upi_id" text NOT NULL,
	"payment_term_days" integer NOT NULL,
	"series_taxed" text NOT NULL,
	"series_exempt" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid,
	CONSTRAINT "settings_single_row" CHECK ("settings"."id" = 1),
	CONSTRAINT "settings_supplier_name_length" CHECK (char_length(btrim("settings"."supplier_name")) between 1 and 120),
	CONSTRAINT "settings_supplier_address_lines" CHECK ("settings"."supplier_address" ~ '^[^\n]{1,100}(\n[^\n]{1,100}){0,3}$'),
	CONSTRAINT "settings_gstin_format" CHECK ("settings"."supplier_gstin" ~ '^[0-9]{2}[A-Z]{5}[0-9]{4}[A-Z][1-9A-Z]Z[0-9A-Z]$'),
	CONSTRAINT "settings_pan_format" CHECK ("settings"."supplier_pan" ~ '^[A-Z]{5}[0-9]{4}[A-Z]$'),
	CONSTRAINT "settings_pan_in_gstin" CHECK (substr("settings"."supplier_gstin", 3, 10) = "settings"."supplier_pan"),
	CONSTRAINT "settings_state_code_of_gstin" CHECK ("settings"."supplier_state_code" = left("settings"."supplier_gstin", 2)),
	CONSTRAINT "settings_supplier_state_length" CHECK (char_length(btrim("settings"."supplier_state")) between 1 and 60),
	CONSTRAINT "settings_supplier_phone_format" CHECK ("settings"."supplier_phone" ~ '^\+?[0-9][0-9 -]{5,18}[0-9]$'),
	CONSTRAINT "settings_supplier_email_format" CHECK (char_length("settings"."supplier_email") <= 254 and "settings"."supplier_email" ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
	CONSTRAINT "settings_upi_id_format" CHECK ("settings"."supplier_upi_id" ~ '^[A-Za-z0-9._-]{2,64}@[A-Za-z][A-Za-z0-9]{1,63}$'),
	CONSTRAINT "settings_payment_term_range" CHECK ("settings"."payment_term_days" between 0 and 365),
	CONSTRAINT "settings_series_format" CHECK ("settings"."series_taxed" ~ '^[A-Z0-9]{1,3}$' and "settings"."series_exempt" ~ '^[A-Z0-9]{1,3}$'),
	CONSTRAINT "settings_series_distinct" CHECK ("settings"."series_taxed" <> "settings"."series_exempt")
);
--> statement-breakpoint
ALTER TABLE "invoices" ALTER COLUMN "place_of_supply" DROP DEFAULT;--> statement-breakpoint
-- Invoices issued before settings existed were printed from the constants in api/modules/invoices/supplier.ts:
-- they keep exactly that block. A constant DEFAULT fills existing rows without an UPDATE (so no trigger guarding
-- issued invoices fires, whichever migration added it); dropping it afterwards makes every new invoice name its own.
ALTER TABLE "invoices" ADD COLUMN "supplier" jsonb NOT NULL DEFAULT '{"name": "Milkrun Dairy Pvt Ltd", "address_lines": ["No. 42, 3rd Cross, HSR Layout Sector 2", "Bengaluru, Karnataka 560102"], "gstin": "29AAACM1234A1Z5", "pan": "AAACM1234A", "state": "Karnataka", "state_code": "29", "phone": "+91 80 4000 1234", "email": "billing@milkrun.example", "upi_id": "milkrun@upi"}'::jsonb;--> statement-breakpoint
ALTER TABLE "invoices" ALTER COLUMN "supplier" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "settings" ADD CONSTRAINT "settings_updated_by_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_supplier_block" CHECK (jsonb_typeof("invoices"."supplier") = 'object' and "invoices"."supplier" ?& array['name', 'address_lines', 'gstin', 'pan', 'state', 'state_code', 'phone', 'email', 'upi_id']);--> statement-breakpoint
-- The one settings row, with the demo business's values (an admin replaces them on the Settings page). The GSTIN's
-- last character is corrected to its checksum (the old constant's was wrong), so the page saves without a complaint.
INSERT INTO "settings" ("supplier_name", "supplier_address", "supplier_gstin", "supplier_pan", "supplier_state", "supplier_state_code",
  "supplier_phone", "supplier_email", "supplier_upi_id", "payment_term_days", "series_taxed", "series_exempt")
VALUES ('Milkrun Dairy Pvt Ltd', E'No. 42, 3rd Cross, HSR Layout Sector 2\nBengaluru, Karnataka 560102', '29AAACM1234A1Z4', 'AAACM1234A',
  'Karnataka', '29', '+91 80 4000 1234', 'billing@milkrun.example', 'milkrun@upi', 15, 'MR', 'BS');
--> statement-breakpoint
-- The API changes the one row and never adds or removes one (see 0008_app_role).
REVOKE INSERT, DELETE ON "settings" FROM milkrun_app;
