-- Who may do what with disputes (issue 13): support works them (opens, replies and notes, moves, assigns, merges,
-- resolves); finance and admin see them (admin has '*'); delivery staff and managers never.
INSERT INTO permissions (role_id, resource, action, conditions)
SELECT r.id, p.resource, p.action, NULL
FROM (VALUES
  ('support', 'disputes', 'list'), ('support', 'disputes', 'show'), ('support', 'disputes', 'export'), ('support', 'disputes', 'create'),
  ('support', 'disputes', 'edit'), ('support', 'disputes', 'reply'), ('support', 'disputes', 'transition'), ('support', 'disputes', 'merge'),
  ('support', 'disputes', 'resolve'),
  ('finance', 'disputes', 'list'), ('finance', 'disputes', 'show'), ('finance', 'disputes', 'export')
) AS p(role, resource, action)
JOIN roles r ON r.name = p.role
ON CONFLICT DO NOTHING;
