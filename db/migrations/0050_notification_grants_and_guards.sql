-- Notifications, inbound messages and round-robin assignment (issue 13 items 5, 7, 8).

-- Who may do what: support reads the outbox and replays dead letters, works the inbound inbox (assigns an unknown
-- sender's message to a customer) and may resolve a dispute with a goodwill wallet credit of at most Rs 500 (the
-- 'credit' grant on disputes, bounded by max_amount_paise; more than that is finance's, which holds wallets promo).
-- Finance reads the outbox. Admin has '*' on '*'.
INSERT INTO permissions (role_id, resource, action, conditions)
SELECT r.id, p.resource, p.action, p.conditions::jsonb
FROM (VALUES
  ('support', 'notifications', 'list', NULL), ('support', 'notifications', 'show', NULL), ('support', 'notifications', 'replay', NULL),
  ('support', 'inbound-messages', 'list', NULL), ('support', 'inbound-messages', 'show', NULL), ('support', 'inbound-messages', 'assign', NULL),
  ('support', 'disputes', 'credit', '{"max_amount_paise": 50000}'),
  ('finance', 'notifications', 'list', NULL), ('finance', 'notifications', 'show', NULL)
) AS p(role, resource, action, conditions)
JOIN roles r ON r.name = p.role
ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO assignment_rotation (queue) VALUES ('disputes') ON CONFLICT DO NOTHING;
--> statement-breakpoint
-- A sent message stays sent (it cannot be sent again by a replay or a stray update); a dead one only comes back as
-- pending (the replay), never straight to sent.
CREATE OR REPLACE FUNCTION notifications_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'sent' AND NEW.status <> 'sent' THEN
    RAISE EXCEPTION 'A sent notification stays sent' USING ERRCODE = '23514', CONSTRAINT = 'notifications_sent_final';
  END IF;
  IF OLD.status = 'dead' AND NEW.status NOT IN ('dead', 'pending') THEN
    RAISE EXCEPTION 'A dead notification is replayed (back to pending) before it is sent again' USING ERRCODE = '23514', CONSTRAINT = 'notifications_dead_replayed';
  END IF;
  IF NEW.recipient IS DISTINCT FROM OLD.recipient OR NEW.customer_id IS DISTINCT FROM OLD.customer_id OR NEW.template IS DISTINCT FROM OLD.template THEN
    RAISE EXCEPTION 'A notification keeps its recipient, customer and template' USING ERRCODE = '23514', CONSTRAINT = 'notifications_addressee_fixed';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER notifications_guard BEFORE UPDATE ON notifications FOR EACH ROW EXECUTE FUNCTION notifications_guard();
--> statement-breakpoint
-- An inbound message is what the customer said: its sender, words and provider id never change; once it is in a
-- customer's thread it stays that customer's; an unmatched one is assigned once.
CREATE OR REPLACE FUNCTION inbound_messages_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.provider_message_id IS DISTINCT FROM OLD.provider_message_id OR NEW.from_phone IS DISTINCT FROM OLD.from_phone
     OR NEW.body IS DISTINCT FROM OLD.body OR NEW.sent_at IS DISTINCT FROM OLD.sent_at THEN
    RAISE EXCEPTION 'An inbound message keeps what was sent' USING ERRCODE = '23514', CONSTRAINT = 'inbound_messages_immutable';
  END IF;
  IF OLD.status <> 'unmatched' AND (NEW.customer_id IS DISTINCT FROM OLD.customer_id OR NEW.dispute_id IS DISTINCT FROM OLD.dispute_id OR NEW.status <> OLD.status) THEN
    RAISE EXCEPTION 'An inbound message in a customer''s thread stays there' USING ERRCODE = '23514', CONSTRAINT = 'inbound_messages_immutable';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER inbound_messages_guard BEFORE UPDATE ON inbound_messages FOR EACH ROW EXECUTE FUNCTION inbound_messages_guard();
