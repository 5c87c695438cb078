CREATE INDEX "invoices_invoice_date_idx" ON "invoices" USING btree ("invoice_date","series","seq");--> statement-breakpoint
-- Reports (issue 14): the GST report of a month on screen (show) and as a file (export), for finance; admin has '*'.
INSERT INTO permissions (role_id, resource, action)
SELECT r.id, 'reports', a.action FROM roles r, (VALUES ('show'), ('export')) AS a(action) WHERE r.name = 'finance'
ON CONFLICT DO NOTHING;
