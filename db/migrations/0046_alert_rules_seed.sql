-- An incident is history once written: its rule, firing time, value and threshold never change, and a cleared one
-- stays cleared (the job opens a new incident when the rule fires again).
CREATE FUNCTION alerts_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.rule_id <> OLD.rule_id OR NEW.fired_at <> OLD.fired_at OR NEW.value <> OLD.value OR NEW.threshold <> OLD.threshold
     OR (OLD.cleared_at IS NOT NULL AND (NEW.cleared_at IS DISTINCT FROM OLD.cleared_at OR NEW.last_value <> OLD.last_value
         OR NEW.cleared_value IS DISTINCT FROM OLD.cleared_value)) THEN
    RAISE EXCEPTION 'An alert incident is history: only an open one is updated, and only to clear it.'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'alerts_history_immutable';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER alerts_history_immutable BEFORE UPDATE ON alerts FOR EACH ROW EXECUTE FUNCTION alerts_guard();
--> statement-breakpoint
CREATE FUNCTION alerts_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'Alert incidents are kept: they are the history of what went wrong.'
    USING ERRCODE = 'insufficient_privilege', CONSTRAINT = 'alerts_append_only';
END $$;
--> statement-breakpoint
CREATE TRIGGER alerts_append_only BEFORE DELETE ON alerts FOR EACH ROW EXECUTE FUNCTION alerts_no_delete();
--> statement-breakpoint
-- The rules the issue names, enabled. Units: counts, basis points of requests (100 = 1%), milliseconds.
INSERT INTO alert_rules (kind, name, threshold, window_minutes) VALUES
  ('data_health_broken', 'Broken links found by data health', 0, 60),
  ('error_rate', 'Error rate over 1% for 5 minutes', 100, 5),
  ('p99_latency', 'p99 latency over 1 s', 1000, 5),
  ('invoice_run_failed', 'Invoice run failed or stalled', 0, 1440),
  ('unbilled_at_midnight', 'Delivered items still unbilled at midnight', 0, 2880),
  ('notifications_backlog', 'Notifications backlog', 100, 15)
ON CONFLICT DO NOTHING;
--> statement-breakpoint
-- Alert rules and incidents are the admin's alone: the admin role's '*' grant (0001) covers alert-rules and alerts,
-- and no other role is granted them.
SELECT 1;
