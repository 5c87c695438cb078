CREATE TYPE "public"."import_anomaly_kind" AS ENUM('orphan_order', 'phantom_delivery', 'duplicate_delivery_mark', 'rejected_document', 'customer_without_user', 'merged_record', 'unmatched_billing_record', 'unbilled_delivery');--> statement-breakpoint
CREATE TYPE "public"."import_run_status" AS ENUM('running', 'completed', 'failed');--> statement-breakpoint
CREATE TABLE "import_anomalies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"run_id" uuid NOT NULL,
	"kind" "import_anomaly_kind" NOT NULL,
	"collection" text NOT NULL,
	"legacy_id" text,
	"record_id" uuid,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "import_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"status" "import_run_status" DEFAULT 'running' NOT NULL,
	"dry_run" boolean DEFAULT false NOT NULL,
	"source" text NOT NULL,
	"report" jsonb,
	"error" text,
	"actor_id" uuid,
	CONSTRAINT "import_runs_finished_consistent" CHECK (("import_runs"."status" = 'running') = ("import_runs"."finished_at" is null))
);
--> statement-breakpoint
CREATE TABLE "legacy_ids" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"collection" text NOT NULL,
	"legacy_oid" text,
	"legacy_uuid" uuid,
	"record_id" uuid NOT NULL,
	"run_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "legacy_ids_some_id" CHECK ("legacy_ids"."legacy_oid" is not null or "legacy_ids"."legacy_uuid" is not null),
	CONSTRAINT "legacy_ids_oid_format" CHECK ("legacy_ids"."legacy_oid" is null or "legacy_ids"."legacy_oid" ~ '^[0-9a-f]{24}$')
);
--> statement-breakpoint
ALTER TABLE "import_anomalies" ADD CONSTRAINT "import_anomalies_run_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."import_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_runs" ADD CONSTRAINT "import_runs_actor_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "legacy_ids" ADD CONSTRAINT "legacy_ids_run_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."import_runs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "import_anomalies_run_kind_idx" ON "import_anomalies" USING btree ("run_id","kind");--> statement-breakpoint
CREATE INDEX "import_runs_started_idx" ON "import_runs" USING btree ("started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "legacy_ids_collection_oid_key" ON "legacy_ids" USING btree ("collection","legacy_oid");--> statement-breakpoint
CREATE UNIQUE INDEX "legacy_ids_collection_uuid_key" ON "legacy_ids" USING btree ("collection","legacy_uuid");--> statement-breakpoint
CREATE INDEX "legacy_ids_record_idx" ON "legacy_ids" USING btree ("record_id");--> statement-breakpoint
-- The last import's report and its anomalies are read by admin (who has '*') and finance.
INSERT INTO permissions (role_id, resource, action)
SELECT r.id, p.resource, p.action
FROM (VALUES
  ('finance', 'imports', 'list'), ('finance', 'imports', 'show'),
  ('finance', 'import-anomalies', 'list'), ('finance', 'import-anomalies', 'show')
) AS p(role, resource, action)
JOIN roles r ON r.name = p.role
ON CONFLICT DO NOTHING;
