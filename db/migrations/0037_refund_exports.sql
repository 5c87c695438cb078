-- Exports of money going back (GET /api/refunds/export, /api/credit-notes/export): finance downloads the refunds queue
-- and the credit notes it reads. Admin has '*' on '*'.
INSERT INTO permissions (role_id, resource, action, conditions)
SELECT r.id, p.resource, 'export', NULL
FROM (VALUES ('finance', 'refunds'), ('finance', 'credit-notes')) AS p(role, resource)
JOIN roles r ON r.name = p.role
ON CONFLICT DO NOTHING;
