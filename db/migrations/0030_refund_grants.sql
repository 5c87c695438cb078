-- Who may do what: finance requests, approves (above Rs 2,000 with a fresh second-factor code), rejects and pays
-- refunds by hand, and issues credit notes; support requests refunds and reads credit notes. Admin has '*'.
INSERT INTO permissions (role_id, resource, action, conditions)
SELECT r.id, p.resource, p.action, p.conditions::jsonb
FROM (VALUES
  ('finance', 'refunds', 'list', NULL), ('finance', 'refunds', 'show', NULL), ('finance', 'refunds', 'create', NULL),
  ('finance', 'refunds', 'approve', '{"max_amount_paise": 200000}'), ('finance', 'refunds', 'reject', NULL), ('finance', 'refunds', 'pay', NULL),
  ('finance', 'credit-notes', 'list', NULL), ('finance', 'credit-notes', 'show', NULL), ('finance', 'credit-notes', 'create', NULL),
  ('support', 'refunds', 'list', NULL), ('support', 'refunds', 'show', NULL), ('support', 'refunds', 'create', NULL),
  ('support', 'credit-notes', 'list', NULL), ('support', 'credit-notes', 'show', NULL)
) AS p(role, resource, action, conditions)
JOIN roles r ON r.name = p.role
ON CONFLICT DO NOTHING;
