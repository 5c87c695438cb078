-- The audit log is append-only: history cannot be edited or erased, even from a SQL prompt.
CREATE FUNCTION audit_logs_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_logs is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege', CONSTRAINT = 'audit_logs_append_only';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_logs_append_only
  BEFORE UPDATE OR DELETE ON audit_logs
  FOR EACH ROW EXECUTE FUNCTION audit_logs_refuse_change();
--> statement-breakpoint
-- The roles are part of the product; what each may do is data (permissions) and can be changed later.
INSERT INTO roles (name, description) VALUES
  ('admin', 'Everything, including users and permissions'),
  ('finance', 'Billing, payments, refunds, exports'),
  ('support', 'Customers, disputes, requests'),
  ('manager', 'Catalogue, zones, staff, approvals'),
  ('delivery_staff', 'Own deliveries, through the API');
--> statement-breakpoint
INSERT INTO permissions (role_id, resource, action)
SELECT r.id, p.resource, p.action
FROM (VALUES
  ('admin', '*', '*'),
  ('finance', 'customers', 'list'), ('finance', 'customers', 'show'),
  ('finance', 'addresses', 'list'), ('finance', 'addresses', 'show'),
  ('finance', 'zones', 'list'), ('finance', 'zones', 'show'),
  ('finance', 'products', 'list'), ('finance', 'products', 'show'),
  ('finance', 'product-requests', 'list'), ('finance', 'product-requests', 'show'),
  ('finance', 'audit-logs', 'list'), ('finance', 'audit-logs', 'show'),
  ('support', 'customers', 'list'), ('support', 'customers', 'show'), ('support', 'customers', 'create'), ('support', 'customers', 'edit'),
  ('support', 'addresses', 'list'), ('support', 'addresses', 'show'), ('support', 'addresses', 'create'), ('support', 'addresses', 'edit'), ('support', 'addresses', 'delete'),
  ('support', 'zones', 'list'), ('support', 'zones', 'show'),
  ('support', 'products', 'list'), ('support', 'products', 'show'),
  ('support', 'product-requests', 'list'), ('support', 'product-requests', 'show'), ('support', 'product-requests', 'create'),
  ('manager', 'customers', 'list'), ('manager', 'customers', 'show'), ('manager', 'customers', 'create'), ('manager', 'customers', 'edit'),
  ('manager', 'addresses', 'list'), ('manager', 'addresses', 'show'), ('manager', 'addresses', 'create'), ('manager', 'addresses', 'edit'), ('manager', 'addresses', 'delete'),
  ('manager', 'zones', '*'),
  ('manager', 'products', '*'),
  ('manager', 'product-requests', '*'),
  ('manager', 'audit-logs', 'list'), ('manager', 'audit-logs', 'show')
) AS p(role, resource, action)
JOIN roles r ON r.name = p.role;
