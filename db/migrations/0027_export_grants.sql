-- Exports (GET /api/<list>/export): finance downloads the lists it reads. Billing records and invoices (invoice lines
-- included) are finance's with every action already ('*'); admin has '*' on '*'.
INSERT INTO permissions (role_id, resource, action, conditions)
SELECT r.id, p.resource, 'export', NULL
FROM (VALUES ('finance', 'customers'), ('finance', 'subscriptions'), ('finance', 'orders'), ('finance', 'order-items'),
             ('finance', 'deliveries'), ('finance', 'audit-logs')) AS p(role, resource)
JOIN roles r ON r.name = p.role
ON CONFLICT DO NOTHING;
