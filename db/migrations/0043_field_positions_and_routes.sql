CREATE TABLE "staff_positions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"staff_id" uuid NOT NULL,
	"lat" double precision NOT NULL,
	"lng" double precision NOT NULL,
	"accuracy_m" double precision,
	"recorded_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"bucket" bigint GENERATED ALWAYS AS (floor(extract(epoch from (recorded_at - timestamptz '1970-01-01 00:00:00+00')) / 10)::bigint) STORED NOT NULL,
	CONSTRAINT "staff_positions_in_india" CHECK ("staff_positions"."lat" between 6 and 37.5 and "staff_positions"."lng" between 68 and 97.5),
	CONSTRAINT "staff_positions_accuracy_range" CHECK ("staff_positions"."accuracy_m" is null or "staff_positions"."accuracy_m" between 0 and 100000),
	CONSTRAINT "staff_positions_recorded_bounds" CHECK ("staff_positions"."recorded_at" <= "staff_positions"."received_at" + interval '2 minutes' and "staff_positions"."recorded_at" >= "staff_positions"."received_at" - interval '1 day')
);
--> statement-breakpoint
CREATE TABLE "staff_route_stops" (
	"route_id" uuid NOT NULL,
	"address_id" uuid NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "staff_route_stops_position_positive" CHECK ("staff_route_stops"."position" >= 1)
);
--> statement-breakpoint
CREATE TABLE "staff_routes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"staff_id" uuid NOT NULL,
	"shift" "shift" NOT NULL,
	"distance_m" integer NOT NULL,
	"updated_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "staff_routes_distance_nonnegative" CHECK ("staff_routes"."distance_m" >= 0)
);
--> statement-breakpoint
ALTER TABLE "staff_positions" ADD CONSTRAINT "staff_positions_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_route_stops" ADD CONSTRAINT "staff_route_stops_route_id_fk" FOREIGN KEY ("route_id") REFERENCES "public"."staff_routes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_route_stops" ADD CONSTRAINT "staff_route_stops_address_id_fk" FOREIGN KEY ("address_id") REFERENCES "public"."addresses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_routes" ADD CONSTRAINT "staff_routes_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_routes" ADD CONSTRAINT "staff_routes_updated_by_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "staff_positions_staff_bucket_key" ON "staff_positions" USING btree ("staff_id","bucket");--> statement-breakpoint
CREATE INDEX "staff_positions_recorded_idx" ON "staff_positions" USING btree ("recorded_at");--> statement-breakpoint
CREATE UNIQUE INDEX "staff_route_stops_route_address_key" ON "staff_route_stops" USING btree ("route_id","address_id");--> statement-breakpoint
CREATE UNIQUE INDEX "staff_route_stops_route_position_key" ON "staff_route_stops" USING btree ("route_id","position");--> statement-breakpoint
CREATE INDEX "staff_route_stops_address_idx" ON "staff_route_stops" USING btree ("address_id");--> statement-breakpoint
CREATE UNIQUE INDEX "staff_routes_staff_shift_key" ON "staff_routes" USING btree ("staff_id","shift");