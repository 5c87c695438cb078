CREATE TABLE "business_holidays" (
	"day" date PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	CONSTRAINT "business_holidays_name_length" CHECK (length(trim("business_holidays"."name")) between 1 and 100)
);
--> statement-breakpoint
CREATE TABLE "business_hours" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"weekday" smallint NOT NULL,
	"opens" time NOT NULL,
	"closes" time NOT NULL,
	CONSTRAINT "business_hours_weekday_range" CHECK ("business_hours"."weekday" between 1 and 7),
	CONSTRAINT "business_hours_window_valid" CHECK ("business_hours"."opens" < "business_hours"."closes")
);
--> statement-breakpoint
CREATE TABLE "sla_policies" (
	"priority" "dispute_priority" PRIMARY KEY NOT NULL,
	"first_response_minutes" integer NOT NULL,
	"resolution_minutes" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sla_policies_minutes_range" CHECK ("sla_policies"."first_response_minutes" between 1 and 100000 and "sla_policies"."resolution_minutes" between 1 and 100000),
	CONSTRAINT "sla_policies_resolution_after_response" CHECK ("sla_policies"."resolution_minutes" >= "sla_policies"."first_response_minutes")
);
--> statement-breakpoint
ALTER TABLE "disputes" ADD COLUMN "first_response_due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "disputes" ADD COLUMN "resolution_due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "disputes" ADD COLUMN "paused_since" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "disputes" ADD COLUMN "paused_minutes" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "disputes" ADD COLUMN "escalated_at" timestamp with time zone;--> statement-breakpoint
CREATE UNIQUE INDEX "business_hours_weekday_opens_key" ON "business_hours" USING btree ("weekday","opens");--> statement-breakpoint
CREATE INDEX "disputes_first_response_due_idx" ON "disputes" USING btree ("first_response_due_at") WHERE "disputes"."first_response_at" is null and "disputes"."status" in ('open', 'awaiting_support');--> statement-breakpoint
CREATE INDEX "disputes_resolution_due_idx" ON "disputes" USING btree ("resolution_due_at") WHERE "disputes"."status" in ('open', 'awaiting_customer', 'awaiting_support');--> statement-breakpoint
-- Disputes already awaiting the customer: their resolution clock paused since their last change.
UPDATE disputes SET paused_since = updated_at WHERE status = 'awaiting_customer';--> statement-breakpoint
ALTER TABLE "disputes" ADD CONSTRAINT "disputes_pause_consistent" CHECK ((("disputes"."status" = 'awaiting_customer') = ("disputes"."paused_since" is not null)) and "disputes"."paused_minutes" >= 0 and ("disputes"."paused_since" is null or "disputes"."resolution_due_at" is null));--> statement-breakpoint
-- ---------------------------------------------------------------------------------------------------------------
-- SLA on business hours (issue 13, item 5), hand-written: windows of one weekday never overlap; the defaults.
-- ---------------------------------------------------------------------------------------------------------------
CREATE FUNCTION business_hours_check() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Serialise writers of the hours (PUT replaces them all), so two overlapping windows cannot both pass.
  PERFORM pg_advisory_xact_lock(hashtext('business_hours'));
  IF EXISTS (SELECT 1 FROM business_hours h WHERE h.weekday = NEW.weekday AND h.id <> NEW.id AND h.opens < NEW.closes AND NEW.opens < h.closes) THEN
    RAISE EXCEPTION 'business hours: % - % overlaps another window of weekday %', NEW.opens, NEW.closes, NEW.weekday
      USING ERRCODE = 'check_violation', CONSTRAINT = 'business_hours_no_overlap';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER business_hours_check BEFORE INSERT OR UPDATE ON business_hours FOR EACH ROW EXECUTE FUNCTION business_hours_check();
--> statement-breakpoint
-- Monday to Saturday 06:00-12:00 and 16:00-20:00 (Asia/Kolkata), Sunday closed.
INSERT INTO business_hours (weekday, opens, closes)
SELECT d, w.opens::time, w.closes::time FROM generate_series(1, 6) d, (VALUES ('06:00', '12:00'), ('16:00', '20:00')) AS w(opens, closes);
--> statement-breakpoint
-- Business minutes: a business day is 600 of them.
INSERT INTO sla_policies (priority, first_response_minutes, resolution_minutes) VALUES
  ('urgent', 30, 240), ('high', 60, 600), ('normal', 120, 1200), ('low', 240, 3000);
--> statement-breakpoint
INSERT INTO permissions (role_id, resource, action, conditions)
SELECT r.id, p.resource, p.action, NULL
FROM (VALUES
  ('support', 'business-hours', 'show'), ('support', 'sla-policies', 'show'),
  ('finance', 'business-hours', 'show'), ('finance', 'sla-policies', 'show')
) AS p(role, resource, action)
JOIN roles r ON r.name = p.role
ON CONFLICT DO NOTHING;
