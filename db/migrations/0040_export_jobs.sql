CREATE TYPE "public"."export_job_status" AS ENUM('queued', 'running', 'done', 'failed');--> statement-breakpoint
CREATE TABLE "export_chunks" (
	"job_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"data" "bytea" NOT NULL,
	CONSTRAINT "export_chunks_pkey" PRIMARY KEY("job_id","seq")
);
--> statement-breakpoint
CREATE TABLE "export_job_ids" (
	"job_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"id" uuid NOT NULL,
	CONSTRAINT "export_job_ids_pkey" PRIMARY KEY("job_id","seq")
);
--> statement-breakpoint
CREATE TABLE "export_jobs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"resource" text NOT NULL,
	"format" text NOT NULL,
	"params" text DEFAULT '' NOT NULL,
	"status" "export_job_status" DEFAULT 'queued' NOT NULL,
	"rows_done" integer DEFAULT 0 NOT NULL,
	"rows_total" integer,
	"bytes" bigint DEFAULT 0 NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"error" text,
	"heartbeat_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"expires_at" timestamp with time zone,
	CONSTRAINT "export_jobs_format_valid" CHECK ("export_jobs"."format" in ('csv', 'xlsx', 'json')),
	CONSTRAINT "export_jobs_progress_valid" CHECK ("export_jobs"."rows_done" >= 0 and ("export_jobs"."rows_total" is null or "export_jobs"."rows_total" >= 0) and "export_jobs"."bytes" >= 0 and "export_jobs"."attempts" >= 0),
	CONSTRAINT "export_jobs_finished_consistent" CHECK (("export_jobs"."status" in ('done', 'failed')) = ("export_jobs"."finished_at" is not null) and ("export_jobs"."status" = 'done') = ("export_jobs"."expires_at" is not null) and ("export_jobs"."status" = 'failed') = ("export_jobs"."error" is not null))
);
--> statement-breakpoint
ALTER TABLE "export_chunks" ADD CONSTRAINT "export_chunks_job_fk" FOREIGN KEY ("job_id") REFERENCES "public"."export_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "export_job_ids" ADD CONSTRAINT "export_job_ids_job_fk" FOREIGN KEY ("job_id") REFERENCES "public"."export_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "export_jobs" ADD CONSTRAINT "export_jobs_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "export_jobs_queue_idx" ON "export_jobs" USING btree ("created_at") WHERE "export_jobs"."status" in ('queued', 'running');--> statement-breakpoint
CREATE INDEX "export_jobs_user_idx" ON "export_jobs" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "export_jobs_expires_idx" ON "export_jobs" USING btree ("expires_at") WHERE "export_jobs"."expires_at" is not null;