-- Analytics (GET /api/analytics/<chart>, issue 14): the charts of the business for finance and managers; admin has '*'.
INSERT INTO permissions (role_id, resource, action, conditions)
SELECT r.id, 'analytics', 'show', NULL FROM roles r WHERE r.name IN ('finance', 'manager')
ON CONFLICT DO NOTHING;
