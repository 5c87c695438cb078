CREATE INDEX "invoices_payment_status_id_idx" ON "invoices" USING btree ("payment_status","id");--> statement-breakpoint
CREATE INDEX "payment_allocations_created_idx" ON "payment_allocations" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "wallet_lots_customer_idx" ON "wallet_lots" USING btree ("customer_id","created_at");--> statement-breakpoint
CREATE INDEX "wallet_transactions_created_idx" ON "wallet_transactions" USING btree ("created_at","id");--> statement-breakpoint
-- Who may do what with money in (README "Who may do what"): finance everything; support records payments and reads
-- the rest; managers read; delivery staff record payments of their own customers (cash collected on the run).
INSERT INTO permissions (role_id, resource, action, conditions)
SELECT r.id, p.resource, p.action, p.conditions::jsonb
FROM (VALUES
  ('finance', 'payments', '*', NULL), ('finance', 'wallets', '*', NULL),
  ('finance', 'statements', 'show', NULL), ('finance', 'receivables', 'list', NULL),
  ('support', 'payments', 'list', NULL), ('support', 'payments', 'show', NULL), ('support', 'payments', 'create', NULL),
  ('support', 'wallets', 'list', NULL), ('support', 'wallets', 'show', NULL),
  ('support', 'statements', 'show', NULL), ('support', 'receivables', 'list', NULL),
  ('manager', 'payments', 'list', NULL), ('manager', 'payments', 'show', NULL),
  ('manager', 'wallets', 'list', NULL), ('manager', 'wallets', 'show', NULL),
  ('manager', 'statements', 'show', NULL), ('manager', 'receivables', 'list', NULL),
  ('delivery_staff', 'payments', 'list', '{"own": true}'), ('delivery_staff', 'payments', 'show', '{"own": true}'),
  ('delivery_staff', 'payments', 'create', '{"own": true}')
) AS p(role, resource, action, conditions)
JOIN roles r ON r.name = p.role
ON CONFLICT DO NOTHING;
