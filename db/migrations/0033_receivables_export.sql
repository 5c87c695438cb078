-- Receivables export (GET /api/receivables/export): finance downloads the aged balances it reads. Admin has '*' on '*';
-- payments are finance's with every action already ('*').
INSERT INTO permissions (role_id, resource, action, conditions)
SELECT r.id, 'receivables', 'export', NULL
FROM roles r WHERE r.name = 'finance'
ON CONFLICT DO NOTHING;
