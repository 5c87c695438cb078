-- GST rates live in one list, here (issue 9, item 22), instead of CHECK lists repeated per table and constants in
-- the API, the admin and the seeds. Products, product requests, billing records and invoice lines reference it.
-- Since 22 September 2025 the slabs are 0, 5%, 18% and 40%: 12% and 28% are gone. They stay in the table, not in
-- use, because billing records and invoice lines of earlier supplies carry them for good; the API offers and
-- accepts only rates in use for a product (GET /api/gst-rates).
CREATE TABLE gst_rates (
  rate_bp integer PRIMARY KEY,
  label text NOT NULL,
  in_use boolean NOT NULL DEFAULT true,
  CONSTRAINT gst_rates_rate_range CHECK (rate_bp BETWEEN 0 AND 10000)
);
--> statement-breakpoint
INSERT INTO gst_rates (rate_bp, label, in_use) VALUES
  (0, '0% (exempt: fresh milk, curd, paneer, eggs, bread)', true),
  (500, '5%', true),
  (1800, '18%', true),
  (4000, '40%', true),
  (1200, '12% (until 21 Sep 2025)', false),
  (2800, '28% (until 21 Sep 2025)', false);
--> statement-breakpoint
-- Products on a removed slab move where the September 2025 change put such goods: 12% (butter, ghee, cheese, milk
-- drinks, dry fruit) to 5%; 28% (mostly consumer goods) to 18%. A pending product request moves the same way;
-- decided requests are history and keep theirs.
UPDATE products SET gst_rate_bp = CASE gst_rate_bp WHEN 1200 THEN 500 ELSE 1800 END WHERE gst_rate_bp IN (1200, 2800);
--> statement-breakpoint
UPDATE product_requests SET gst_rate_bp = CASE gst_rate_bp WHEN 1200 THEN 500 ELSE 1800 END WHERE gst_rate_bp IN (1200, 2800) AND status = 'pending';
--> statement-breakpoint
ALTER TABLE products DROP CONSTRAINT products_gst_rate_bp_slab;
--> statement-breakpoint
ALTER TABLE product_requests DROP CONSTRAINT product_requests_gst_rate_bp_slab;
--> statement-breakpoint
ALTER TABLE billing_records DROP CONSTRAINT billing_records_gst_rate_bp_slab;
--> statement-breakpoint
ALTER TABLE products ADD CONSTRAINT products_gst_rate_fk FOREIGN KEY (gst_rate_bp) REFERENCES gst_rates (rate_bp) ON DELETE RESTRICT;
--> statement-breakpoint
ALTER TABLE product_requests ADD CONSTRAINT product_requests_gst_rate_fk FOREIGN KEY (gst_rate_bp) REFERENCES gst_rates (rate_bp) ON DELETE RESTRICT;
--> statement-breakpoint
ALTER TABLE billing_records ADD CONSTRAINT billing_records_gst_rate_fk FOREIGN KEY (gst_rate_bp) REFERENCES gst_rates (rate_bp) ON DELETE RESTRICT;
--> statement-breakpoint
ALTER TABLE invoice_lines ADD CONSTRAINT invoice_lines_gst_rate_fk FOREIGN KEY (gst_rate_bp) REFERENCES gst_rates (rate_bp) ON DELETE RESTRICT;
