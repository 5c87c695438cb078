-- 0021 made admin and finance require a second factor, as a real deployment wants. A database that already holds the
-- demo logins (the demo business, a benchmark database) keeps them usable with the password alone, as the README says
-- and as seeds/users.ts sets them on a new demo: the role of each demo login present is left without the requirement.
-- (.test is a reserved domain: no real user has these addresses.) It runs once, right after 0021 on such a database.
UPDATE roles SET requires_totp = false
WHERE name IN ('admin', 'finance')
  AND EXISTS (SELECT 1 FROM users WHERE email = roles.name || '@milkrun.test');
