-- What each role is for, as the README's "Who may do what" table says (its grants are unchanged: support works a
-- customer on a phone call, their subscriptions and one-time orders included; admins alone edit the settings).
UPDATE roles SET description = 'Customers on a call: their addresses, subscriptions, one-time orders; product requests' WHERE name = 'support';
--> statement-breakpoint
UPDATE roles SET description = 'Everything, including users, permissions and settings' WHERE name = 'admin';
