CREATE INDEX "deliveries_delivered_on_idx" ON "deliveries" USING btree ("delivered_on") WHERE "deliveries"."delivered_on" is not null;--> statement-breakpoint
CREATE INDEX "deliveries_delivered_at_idx" ON "deliveries" USING btree ("delivered_at") WHERE "deliveries"."delivered_at" is not null;--> statement-breakpoint
CREATE INDEX "billing_records_product_date_idx" ON "billing_records" USING btree ("product_id","service_date");
--> statement-breakpoint
-- An address as one line ("12 Temple Street, Flat 4, Near Metro"), what lists show and q searches. Written with
-- immutable operators (concat_ws is only stable) so it can be indexed; equal to concat_ws(', ', nullif(line1, ''),
-- nullif(line2, ''), nullif(landmark, '')) since line1 is never blank (addresses_line1_not_blank).
CREATE FUNCTION address_line(line1 text, line2 text, landmark text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT line1 || CASE WHEN line2 <> '' THEN ', ' || line2 ELSE '' END || CASE WHEN landmark <> '' THEN ', ' || landmark ELSE '' END
$$;
--> statement-breakpoint
-- q finds addresses by trigrams (their line, their pin code), then the deliveries and orders at them.
CREATE INDEX addresses_line_trgm_idx ON addresses USING gin (address_line(line1, line2, landmark) gin_trgm_ops);
--> statement-breakpoint
CREATE INDEX addresses_pin_code_trgm_idx ON addresses USING gin (pin_code gin_trgm_ops);
