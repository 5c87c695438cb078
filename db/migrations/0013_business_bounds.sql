-- Business bounds on magnitudes (issue 9, item 8). Each is far above anything a doorstep dairy business writes,
-- and far below where integer paise overflow, so an absurd value is refused instead of billed:
--   unit price      <= 1,00,00,000 paise (Rs 1 lakh per unit; the API's own limit on a product price)
--   item quantity   <= 1,000 of one product per order (the API's limit); invoice line <= 10,00,000 (a month of them)
--   order total     <= 10,00,00,000 paise (Rs 10 lakh per order)
--   invoice total   <= 1,00,00,00,000 paise (Rs 1 crore per customer per month)
--   invoice seq     <= 999999 (six digits: the number's lpad would cut a seventh), counter <= 1,000,000
--   dates           2000-01-01 .. 2100-12-31 (the API's one date range), pauses included
--   invoice runs    counts and amount >= 0, processed <= total, invoices <= processed
ALTER TABLE products ADD CONSTRAINT products_price_paise_max CHECK (price_paise <= 10000000);
--> statement-breakpoint
ALTER TABLE product_requests ADD CONSTRAINT product_requests_price_paise_max CHECK (price_paise <= 10000000);
--> statement-breakpoint
ALTER TABLE order_items ADD CONSTRAINT order_items_bounds CHECK (quantity <= 1000 AND unit_price_paise <= 10000000);
--> statement-breakpoint
ALTER TABLE orders ADD CONSTRAINT orders_total_max CHECK (total_paise <= 100000000);
--> statement-breakpoint
ALTER TABLE orders ADD CONSTRAINT orders_date_range CHECK (delivery_date BETWEEN '2000-01-01' AND '2100-12-31');
--> statement-breakpoint
ALTER TABLE billing_records ADD CONSTRAINT billing_records_unit_price_max CHECK (unit_price_paise <= 10000000);
--> statement-breakpoint
ALTER TABLE invoice_lines ADD CONSTRAINT invoice_lines_bounds
  CHECK (quantity <= 1000000 AND unit_price_paise BETWEEN 0 AND 10000000
         AND taxable_paise >= 0 AND cgst_paise >= 0 AND sgst_paise >= 0);
--> statement-breakpoint
ALTER TABLE invoices ADD CONSTRAINT invoices_total_max CHECK (total_paise <= 1000000000);
--> statement-breakpoint
ALTER TABLE invoices ADD CONSTRAINT invoices_seq_max CHECK (seq <= 999999);
--> statement-breakpoint
ALTER TABLE invoices ADD CONSTRAINT invoices_date_range
  CHECK (invoice_date BETWEEN '2000-01-01' AND '2100-12-31' AND period_start >= '2000-01-01' AND due_date <= '2100-12-31');
--> statement-breakpoint
ALTER TABLE document_series ADD CONSTRAINT document_series_next_max CHECK (next_seq <= 1000000);
--> statement-breakpoint
ALTER TABLE invoice_runs ADD CONSTRAINT invoice_runs_counts_valid
  CHECK (amount_paise >= 0 AND total_customers >= 0 AND processed_customers BETWEEN 0 AND total_customers
         AND invoices_created BETWEEN 0 AND processed_customers);
--> statement-breakpoint
ALTER TABLE invoice_runs ADD CONSTRAINT invoice_runs_month_range CHECK (month BETWEEN '2000-01-01' AND '2100-12-01');
--> statement-breakpoint
ALTER TABLE subscriptions ADD CONSTRAINT subscriptions_date_range
  CHECK (start_date >= '2000-01-01' AND coalesce(end_date, start_date) <= '2100-12-31' AND start_date <= '2100-12-31');
--> statement-breakpoint
ALTER TABLE subscription_pauses ADD CONSTRAINT subscription_pauses_date_range CHECK (from_date >= '2000-01-01' AND to_date <= '2100-12-31');
--> statement-breakpoint
ALTER TABLE subscription_overrides ADD CONSTRAINT subscription_overrides_date_range CHECK (date BETWEEN '2000-01-01' AND '2100-12-31');
