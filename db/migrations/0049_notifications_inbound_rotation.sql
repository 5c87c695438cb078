CREATE TYPE "public"."customer_language" AS ENUM('en', 'kn', 'hi');--> statement-breakpoint
CREATE TYPE "public"."inbound_message_status" AS ENUM('matched', 'unmatched', 'assigned');--> statement-breakpoint
CREATE TABLE "assignment_rotation" (
	"queue" text PRIMARY KEY NOT NULL,
	"last_user_id" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "assignment_rotation_queue_known" CHECK ("assignment_rotation"."queue" in ('disputes'))
);
--> statement-breakpoint
CREATE TABLE "inbound_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"provider_message_id" text NOT NULL,
	"from_phone" text NOT NULL,
	"profile_name" text,
	"body" text NOT NULL,
	"sent_at" timestamp with time zone NOT NULL,
	"status" "inbound_message_status" NOT NULL,
	"customer_id" uuid,
	"dispute_id" uuid,
	"assigned_by" uuid,
	"assigned_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inbound_messages_phone_valid" CHECK ("inbound_messages"."from_phone" ~ '^\+[1-9][0-9]{6,14}$'),
	CONSTRAINT "inbound_messages_body_length" CHECK (length("inbound_messages"."body") between 1 and 4096 and length("inbound_messages"."provider_message_id") between 1 and 200),
	CONSTRAINT "inbound_messages_status_consistent" CHECK ((("inbound_messages"."status" = 'unmatched') = ("inbound_messages"."customer_id" is null)) and (("inbound_messages"."status" = 'unmatched') = ("inbound_messages"."dispute_id" is null))
      and (("inbound_messages"."status" = 'assigned') = ("inbound_messages"."assigned_at" is not null)) and (("inbound_messages"."status" = 'assigned') = ("inbound_messages"."assigned_by" is not null)))
);
--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "language" "customer_language" DEFAULT 'en' NOT NULL;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "language" "customer_language" DEFAULT 'en' NOT NULL;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "last_attempt_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "provider_message_id" text;--> statement-breakpoint
ALTER TABLE "assignment_rotation" ADD CONSTRAINT "assignment_rotation_last_user_fk" FOREIGN KEY ("last_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_messages" ADD CONSTRAINT "inbound_messages_customer_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_messages" ADD CONSTRAINT "inbound_messages_dispute_fk" FOREIGN KEY ("dispute_id","customer_id") REFERENCES "public"."disputes"("id","customer_id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_messages" ADD CONSTRAINT "inbound_messages_assigned_by_fk" FOREIGN KEY ("assigned_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "inbound_messages_provider_message_key" ON "inbound_messages" USING btree ("provider_message_id");--> statement-breakpoint
CREATE INDEX "inbound_messages_status_idx" ON "inbound_messages" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "inbound_messages_created_idx" ON "inbound_messages" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "inbound_messages_customer_idx" ON "inbound_messages" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "inbound_messages_dispute_idx" ON "inbound_messages" USING btree ("dispute_id");