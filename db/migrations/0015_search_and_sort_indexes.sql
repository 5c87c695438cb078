-- Trigram indexes for q (ILIKE '%word%'), on PostgreSQL and PGlite (contrib pg_trgm, loaded in db/client.ts).
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
DROP INDEX "orders_created_idx";--> statement-breakpoint
CREATE INDEX "customers_name_trgm_idx" ON "customers" USING gin ("name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "customers_phone_trgm_idx" ON "customers" USING gin ("phone" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "customers_email_trgm_idx" ON "customers" USING gin ("email" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "orders_date_id_idx" ON "orders" USING btree ("delivery_date","id");--> statement-breakpoint
CREATE INDEX "orders_total_idx" ON "orders" USING btree ("total_paise","id");--> statement-breakpoint
CREATE INDEX "orders_note_trgm_idx" ON "orders" USING gin ("note" gin_trgm_ops) WHERE "orders"."note" <> '';--> statement-breakpoint
CREATE INDEX "deliveries_date_id_idx" ON "deliveries" USING btree ("order_date","id");--> statement-breakpoint
CREATE INDEX "billing_records_date_id_idx" ON "billing_records" USING btree ("service_date","id");--> statement-breakpoint
CREATE INDEX "invoices_number_trgm_idx" ON "invoices" USING gin ("number" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "orders_created_idx" ON "orders" USING btree ("created_at","id");