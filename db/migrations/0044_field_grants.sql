-- Field operations (issue 15): delivery staff post their own GPS positions; managers see the live map (and its event
-- stream) and put run sheets in order; admin has '*'.
INSERT INTO permissions (role_id, resource, action, conditions)
SELECT r.id, p.resource, p.action, NULL
FROM (VALUES
  ('delivery_staff', 'staff-positions', 'create'),
  ('manager', 'map', 'show'),
  ('manager', 'run-sheets', 'edit')
) AS p(role, resource, action)
JOIN roles r ON r.name = p.role
ON CONFLICT DO NOTHING;
