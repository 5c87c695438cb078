CREATE TABLE "data_health_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"result" jsonb,
	"error" text,
	"started_by" uuid,
	CONSTRAINT "data_health_runs_finished_consistent" CHECK ("data_health_runs"."finished_at" is not null or ("data_health_runs"."result" is null and "data_health_runs"."error" is null))
);
--> statement-breakpoint
ALTER TABLE "data_health_runs" ADD CONSTRAINT "data_health_runs_started_by_fk" FOREIGN KEY ("started_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "data_health_runs_one_running" ON "data_health_runs" USING btree ((true)) WHERE "data_health_runs"."finished_at" is null;--> statement-breakpoint
CREATE INDEX "data_health_runs_finished_idx" ON "data_health_runs" USING btree ("finished_at");