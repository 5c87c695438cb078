CREATE TYPE "public"."alert_kind" AS ENUM('data_health_broken', 'error_rate', 'p99_latency', 'invoice_run_failed', 'unbilled_at_midnight', 'notifications_backlog');--> statement-breakpoint
CREATE TABLE "alert_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" "alert_kind" NOT NULL,
	"name" text NOT NULL,
	"threshold" integer NOT NULL,
	"window_minutes" integer NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "alert_rules_name_valid" CHECK (length(btrim("alert_rules"."name")) between 3 and 80),
	CONSTRAINT "alert_rules_threshold_valid" CHECK ("alert_rules"."threshold" between 0 and 100000000),
	CONSTRAINT "alert_rules_window_valid" CHECK ("alert_rules"."window_minutes" between 1 and 10080)
);
--> statement-breakpoint
CREATE TABLE "alerts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"rule_id" uuid NOT NULL,
	"fired_at" timestamp with time zone DEFAULT now() NOT NULL,
	"cleared_at" timestamp with time zone,
	"value" integer NOT NULL,
	"threshold" integer NOT NULL,
	"last_value" integer NOT NULL,
	"cleared_value" integer,
	"note" text,
	CONSTRAINT "alerts_cleared_after_fired" CHECK ("alerts"."cleared_at" is null or "alerts"."cleared_at" >= "alerts"."fired_at"),
	CONSTRAINT "alerts_values_nonnegative" CHECK ("alerts"."value" >= 0 and "alerts"."threshold" >= 0 and "alerts"."last_value" >= 0 and coalesce("alerts"."cleared_value", 0) >= 0)
);
--> statement-breakpoint
CREATE TABLE "request_stats" (
	"minute" timestamp with time zone NOT NULL,
	"process_id" text NOT NULL,
	"requests" integer DEFAULT 0 NOT NULL,
	"errors" integer DEFAULT 0 NOT NULL,
	"buckets" integer[] NOT NULL,
	CONSTRAINT "request_stats_pkey" PRIMARY KEY("minute","process_id"),
	CONSTRAINT "request_stats_counts_valid" CHECK ("request_stats"."requests" >= 0 and "request_stats"."errors" between 0 and "request_stats"."requests"),
	CONSTRAINT "request_stats_minute_whole" CHECK ("request_stats"."minute" = date_trunc('minute', "request_stats"."minute"))
);
--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_rule_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."alert_rules"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "alert_rules_name_key" ON "alert_rules" USING btree ("name");--> statement-breakpoint
CREATE UNIQUE INDEX "alerts_one_open_per_rule" ON "alerts" USING btree ("rule_id") WHERE "alerts"."cleared_at" is null;--> statement-breakpoint
CREATE INDEX "alerts_fired_idx" ON "alerts" USING btree ("fired_at","id");--> statement-breakpoint
CREATE INDEX "alerts_rule_idx" ON "alerts" USING btree ("rule_id","fired_at");