CREATE TABLE "delivery_staff_day_counts" (
	"order_date" date NOT NULL,
	"zone_id" uuid NOT NULL,
	"staff_id" uuid,
	"failure_reason" text,
	"slot" smallint NOT NULL,
	"delivered" integer DEFAULT 0 NOT NULL,
	"on_time" integer DEFAULT 0 NOT NULL,
	"partial" integer DEFAULT 0 NOT NULL,
	"failed" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "delivery_staff_day_counts_key" UNIQUE NULLS NOT DISTINCT("order_date","zone_id","staff_id","failure_reason","slot")
);
--> statement-breakpoint
CREATE INDEX "deliveries_status_date_idx" ON "deliveries" USING btree ("status","order_date","id");--> statement-breakpoint
-- Deliveries made or failed by order date, zone, staff member and failure reason (db/schema/totals.ts), for the staff
-- performance and failure reasons charts, which read a quarter's deliveries on every request before (1.5 million a month
-- at 50,000 customers; issue 10). Kept by the statement-level triggers that keep delivery_zone_day_counts (no per-row
-- trigger on deliveries), in the same pass: one function takes a statement's changed rows, finds their zones once and
-- adds to both tables (delivery_zone_day_counts_add before, which it replaces). Rows whose date, order, staff member,
-- status, day delivered or reason changed count: a reassignment or a staff member deleted (ON DELETE SET NULL is an
-- UPDATE) moves the staff counts (and adds nothing to the zone counts: its -1 and +1 cancel out). Pending deliveries
-- are not in the staff counts, so the day's generation and the reassignment of a pending delivery write nothing there.
CREATE FUNCTION delivery_counts_add(days date[], order_ids uuid[], staff_ids uuid[], statuses delivery_status[], delivered_ons date[], reasons text[], deltas int[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  WITH u AS MATERIALIZED (
    SELECT u.day, c.zone_id, u.staff_id, u.status, u.delivered_on, CASE WHEN u.status = 'failed' THEN trim(u.reason) END AS reason, u.delta
    FROM unnest(days, order_ids, staff_ids, statuses, delivered_ons, reasons, deltas) AS u(day, order_id, staff_id, status, delivered_on, reason, delta)
    JOIN orders o ON o.id = u.order_id
    JOIN customers c ON c.id = o.customer_id
  ), zones AS (
    INSERT INTO delivery_zone_day_counts AS t (order_date, zone_id, slot, pending, delivered, on_time, late, partial, failed)
    SELECT s.day, s.zone_id, totals_slot(), s.pending, s.delivered, s.on_time, s.late, s.partial, s.failed
    FROM (SELECT u.day, u.zone_id,
                 coalesce(sum(u.delta) FILTER (WHERE u.status = 'pending'), 0)::int AS pending,
                 coalesce(sum(u.delta) FILTER (WHERE u.status = 'delivered'), 0)::int AS delivered,
                 coalesce(sum(u.delta) FILTER (WHERE u.status = 'delivered' AND u.delivered_on = u.day), 0)::int AS on_time,
                 coalesce(sum(u.delta) FILTER (WHERE u.status = 'delivered' AND u.delivered_on > u.day), 0)::int AS late,
                 coalesce(sum(u.delta) FILTER (WHERE u.status = 'partial'), 0)::int AS partial,
                 coalesce(sum(u.delta) FILTER (WHERE u.status = 'failed'), 0)::int AS failed
          FROM u GROUP BY u.day, u.zone_id) s
    WHERE (s.pending, s.delivered, s.on_time, s.late, s.partial, s.failed) <> (0, 0, 0, 0, 0, 0)
    ORDER BY s.day, s.zone_id
    ON CONFLICT (order_date, zone_id, slot) DO UPDATE
    SET pending = t.pending + excluded.pending, delivered = t.delivered + excluded.delivered, on_time = t.on_time + excluded.on_time,
        late = t.late + excluded.late, partial = t.partial + excluded.partial, failed = t.failed + excluded.failed
  )
  INSERT INTO delivery_staff_day_counts AS t (order_date, zone_id, staff_id, failure_reason, slot, delivered, on_time, partial, failed)
  SELECT s.day, s.zone_id, s.staff_id, s.reason, totals_slot(), s.delivered, s.on_time, s.partial, s.failed
  FROM (SELECT u.day, u.zone_id, u.staff_id, u.reason,
               coalesce(sum(u.delta) FILTER (WHERE u.status = 'delivered'), 0)::int AS delivered,
               coalesce(sum(u.delta) FILTER (WHERE u.status = 'delivered' AND u.delivered_on = u.day), 0)::int AS on_time,
               coalesce(sum(u.delta) FILTER (WHERE u.status = 'partial'), 0)::int AS partial,
               coalesce(sum(u.delta) FILTER (WHERE u.status = 'failed'), 0)::int AS failed
        FROM u WHERE u.status <> 'pending'
        GROUP BY u.day, u.zone_id, u.staff_id, u.reason) s
  WHERE (s.delivered, s.on_time, s.partial, s.failed) <> (0, 0, 0, 0)
  ORDER BY s.day, s.zone_id, s.staff_id, s.reason
  ON CONFLICT (order_date, zone_id, staff_id, failure_reason, slot) DO UPDATE
  SET delivered = t.delivered + excluded.delivered, on_time = t.on_time + excluded.on_time, partial = t.partial + excluded.partial, failed = t.failed + excluded.failed;
END;
$$;
--> statement-breakpoint
-- Planned once per connection, as delivery_zone_day_counts_add was (a confirmation's one row, thousands of times a day).
ALTER FUNCTION delivery_counts_add(date[], uuid[], uuid[], delivery_status[], date[], text[], int[]) SET plan_cache_mode = force_generic_plan;
--> statement-breakpoint
-- Deliveries inserted or deleted (a day's orders, thousands in one statement).
CREATE OR REPLACE FUNCTION deliveries_keep_totals() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM delivery_day_counts_add(array_agg(n.order_date), array_agg(n.status), array_agg(1))
    FROM new_rows n WHERE NOT EXISTS (SELECT 1 FROM orders x WHERE x.id = n.order_id AND x.status = 'cancelled');
    PERFORM delivery_counts_add(array_agg(n.order_date), array_agg(n.order_id), array_agg(n.staff_id), array_agg(n.status), array_agg(n.delivered_on),
                                array_agg(n.failure_reason), array_agg(1))
    FROM new_rows n;
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM delivery_day_counts_add(array_agg(o.order_date), array_agg(o.status), array_agg(-1))
    FROM old_rows o WHERE NOT EXISTS (SELECT 1 FROM orders x WHERE x.id = o.order_id AND x.status = 'cancelled');
    PERFORM delivery_counts_add(array_agg(o.order_date), array_agg(o.order_id), array_agg(o.staff_id), array_agg(o.status), array_agg(o.delivered_on),
                                array_agg(o.failure_reason), array_agg(-1))
    FROM old_rows o;
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
-- Deliveries updated (a confirmation, a failure, a day's settlement, a reassignment): once per statement, from its
-- transition tables, the rows where anything either kept table counts by changed.
CREATE OR REPLACE FUNCTION deliveries_statement_keeps_totals() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  PERFORM delivery_day_counts_add(array_agg(v.day), array_agg(v.status), array_agg(v.delta))
  FROM old_rows o
  JOIN new_rows n ON n.id = o.id
  CROSS JOIN LATERAL (VALUES (o.order_date, o.status, -1), (n.order_date, n.status, 1)) AS v(day, status, delta)
  WHERE (o.order_date, o.status) IS DISTINCT FROM (n.order_date, n.status)
    AND NOT EXISTS (SELECT 1 FROM orders x WHERE x.id = n.order_id AND x.status = 'cancelled');
  PERFORM delivery_counts_add(array_agg(v.day), array_agg(v.order_id), array_agg(v.staff_id), array_agg(v.status), array_agg(v.delivered_on),
                              array_agg(v.reason), array_agg(v.delta))
  FROM old_rows o
  JOIN new_rows n ON n.id = o.id
  CROSS JOIN LATERAL (VALUES (o.order_date, o.order_id, o.staff_id, o.status, o.delivered_on, o.failure_reason, -1),
                             (n.order_date, n.order_id, n.staff_id, n.status, n.delivered_on, n.failure_reason, 1))
    AS v(day, order_id, staff_id, status, delivered_on, reason, delta)
  WHERE (o.order_date, o.order_id, o.staff_id, o.status, o.delivered_on, o.failure_reason)
        IS DISTINCT FROM (n.order_date, n.order_id, n.staff_id, n.status, n.delivered_on, n.failure_reason);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
DROP FUNCTION delivery_zone_day_counts_add(date[], uuid[], delivery_status[], date[], int[]);
--> statement-breakpoint
-- A customer moved to another zone takes their deliveries' staff counts along too.
CREATE OR REPLACE FUNCTION customers_zone_keeps_totals() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  INSERT INTO delivery_zone_day_counts AS t (order_date, zone_id, slot, pending, delivered, on_time, late, partial, failed)
  SELECT d.order_date, z.zone_id, totals_slot(),
         z.sign * count(*) FILTER (WHERE d.status = 'pending'), z.sign * count(*) FILTER (WHERE d.status = 'delivered'),
         z.sign * count(*) FILTER (WHERE d.status = 'delivered' AND d.delivered_on = d.order_date),
         z.sign * count(*) FILTER (WHERE d.status = 'delivered' AND d.delivered_on > d.order_date),
         z.sign * count(*) FILTER (WHERE d.status = 'partial'), z.sign * count(*) FILTER (WHERE d.status = 'failed')
  FROM orders o JOIN deliveries d ON d.order_id = o.id CROSS JOIN (VALUES (OLD.zone_id, -1), (NEW.zone_id, 1)) AS z(zone_id, sign)
  WHERE o.customer_id = NEW.id
  GROUP BY d.order_date, z.zone_id, z.sign
  ORDER BY d.order_date, z.zone_id
  ON CONFLICT (order_date, zone_id, slot) DO UPDATE
  SET pending = t.pending + excluded.pending, delivered = t.delivered + excluded.delivered, on_time = t.on_time + excluded.on_time,
      late = t.late + excluded.late, partial = t.partial + excluded.partial, failed = t.failed + excluded.failed;

  INSERT INTO billing_zone_day_totals AS t (service_date, zone_id, slot, records, amount_paise, orders)
  SELECT b.service_date, z.zone_id, totals_slot(), z.sign * count(*), z.sign * sum(b.total_paise::bigint), z.sign * count(DISTINCT b.order_id)
  FROM billing_records b CROSS JOIN (VALUES (OLD.zone_id, -1), (NEW.zone_id, 1)) AS z(zone_id, sign)
  WHERE b.customer_id = NEW.id
  GROUP BY b.service_date, z.zone_id, z.sign
  ORDER BY b.service_date, z.zone_id
  ON CONFLICT (service_date, zone_id, slot) DO UPDATE
  SET records = t.records + excluded.records, amount_paise = t.amount_paise + excluded.amount_paise, orders = t.orders + excluded.orders;

  INSERT INTO billing_product_day_totals AS t (service_date, zone_id, product_id, shift, slot, records, units, amount_paise)
  SELECT b.service_date, z.zone_id, b.product_id, o.shift, totals_slot(), z.sign * count(*), z.sign * sum(b.quantity::bigint), z.sign * sum(b.total_paise::bigint)
  FROM billing_records b JOIN orders o ON o.id = b.order_id CROSS JOIN (VALUES (OLD.zone_id, -1), (NEW.zone_id, 1)) AS z(zone_id, sign)
  WHERE b.customer_id = NEW.id
  GROUP BY b.service_date, z.zone_id, b.product_id, o.shift, z.sign
  ORDER BY b.service_date, z.zone_id, b.product_id, o.shift
  ON CONFLICT (service_date, zone_id, product_id, shift, slot) DO UPDATE
  SET records = t.records + excluded.records, units = t.units + excluded.units, amount_paise = t.amount_paise + excluded.amount_paise;

  INSERT INTO delivery_staff_day_counts AS t (order_date, zone_id, staff_id, failure_reason, slot, delivered, on_time, partial, failed)
  SELECT d.order_date, z.zone_id, d.staff_id, CASE WHEN d.status = 'failed' THEN trim(d.failure_reason) END, totals_slot(),
         z.sign * count(*) FILTER (WHERE d.status = 'delivered'), z.sign * count(*) FILTER (WHERE d.status = 'delivered' AND d.delivered_on = d.order_date),
         z.sign * count(*) FILTER (WHERE d.status = 'partial'), z.sign * count(*) FILTER (WHERE d.status = 'failed')
  FROM orders o JOIN deliveries d ON d.order_id = o.id CROSS JOIN (VALUES (OLD.zone_id, -1), (NEW.zone_id, 1)) AS z(zone_id, sign)
  WHERE o.customer_id = NEW.id AND d.status <> 'pending'
  GROUP BY d.order_date, z.zone_id, d.staff_id, 4, z.sign
  ORDER BY d.order_date, z.zone_id, d.staff_id, 4
  ON CONFLICT (order_date, zone_id, staff_id, failure_reason, slot) DO UPDATE
  SET delivered = t.delivered + excluded.delivered, on_time = t.on_time + excluded.on_time, partial = t.partial + excluded.partial, failed = t.failed + excluded.failed;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION truncate_keeps_totals() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF TG_TABLE_NAME = 'deliveries' THEN DELETE FROM delivery_day_counts; DELETE FROM delivery_zone_day_counts; DELETE FROM delivery_staff_day_counts;
  ELSIF TG_TABLE_NAME = 'billing_records' THEN
    DELETE FROM billing_day_totals; DELETE FROM customer_unbilled;
    DELETE FROM billing_zone_day_totals; DELETE FROM billing_product_day_totals; DELETE FROM customer_billed_days;
  ELSIF TG_TABLE_NAME = 'invoices' THEN DELETE FROM invoice_day_totals;
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
-- The recount: every key whose kept figures differ from its rows, now the staff counts too (data health reports it).
CREATE OR REPLACE VIEW analytics_totals_drift AS
WITH kept_zone_billing AS (
  SELECT service_date AS day, zone_id, sum(records) AS records, sum(amount_paise) AS amount, sum(orders) AS orders
  FROM billing_zone_day_totals GROUP BY service_date, zone_id
), counted_zone_billing AS (
  SELECT b.service_date AS day, c.zone_id, count(*) AS records, sum(b.total_paise::bigint) AS amount, count(DISTINCT b.order_id) AS orders
  FROM billing_records b JOIN customers c ON c.id = b.customer_id GROUP BY b.service_date, c.zone_id
), kept_products AS (
  SELECT service_date AS day, zone_id, product_id, shift, sum(records) AS records, sum(units) AS units, sum(amount_paise) AS amount
  FROM billing_product_day_totals GROUP BY service_date, zone_id, product_id, shift
), counted_products AS (
  SELECT b.service_date AS day, c.zone_id, b.product_id, o.shift, count(*) AS records, sum(b.quantity::bigint) AS units, sum(b.total_paise::bigint) AS amount
  FROM billing_records b JOIN customers c ON c.id = b.customer_id JOIN orders o ON o.id = b.order_id
  GROUP BY b.service_date, c.zone_id, b.product_id, o.shift
), counted_days AS (
  SELECT date_trunc('month', service_date)::date AS month, customer_id, product_id, bit_or(1 << (extract(day FROM service_date)::int - 1)) AS days
  FROM billing_records GROUP BY 1, 2, 3
), kept_deliveries AS (
  SELECT order_date AS day, zone_id, sum(pending) AS pending, sum(delivered) AS delivered, sum(on_time) AS on_time, sum(late) AS late,
         sum(partial) AS partial, sum(failed) AS failed
  FROM delivery_zone_day_counts GROUP BY order_date, zone_id
), counted_deliveries AS (
  SELECT d.order_date AS day, c.zone_id, count(*) FILTER (WHERE d.status = 'pending') AS pending, count(*) FILTER (WHERE d.status = 'delivered') AS delivered,
         count(*) FILTER (WHERE d.status = 'delivered' AND d.delivered_on = d.order_date) AS on_time,
         count(*) FILTER (WHERE d.status = 'delivered' AND d.delivered_on > d.order_date) AS late,
         count(*) FILTER (WHERE d.status = 'partial') AS partial, count(*) FILTER (WHERE d.status = 'failed') AS failed
  FROM deliveries d JOIN orders o ON o.id = d.order_id JOIN customers c ON c.id = o.customer_id GROUP BY d.order_date, c.zone_id
), kept_staff AS (
  SELECT order_date AS day, zone_id, coalesce(staff_id::text, '') AS staff, coalesce(failure_reason, '') AS reason,
         sum(delivered) AS delivered, sum(on_time) AS on_time, sum(partial) AS partial, sum(failed) AS failed
  FROM delivery_staff_day_counts GROUP BY 1, 2, 3, 4
), counted_staff AS (
  SELECT d.order_date AS day, c.zone_id, coalesce(d.staff_id::text, '') AS staff, CASE WHEN d.status = 'failed' THEN trim(d.failure_reason) ELSE '' END AS reason,
         count(*) FILTER (WHERE d.status = 'delivered') AS delivered, count(*) FILTER (WHERE d.status = 'delivered' AND d.delivered_on = d.order_date) AS on_time,
         count(*) FILTER (WHERE d.status = 'partial') AS partial, count(*) FILTER (WHERE d.status = 'failed') AS failed
  FROM deliveries d JOIN orders o ON o.id = d.order_id JOIN customers c ON c.id = o.customer_id WHERE d.status <> 'pending' GROUP BY 1, 2, 3, 4
)
SELECT 'billing_zone_day_totals'::text AS totals, coalesce(k.day, c.day)::text || ' ' || coalesce(k.zone_id, c.zone_id)::text AS key,
       format('records %s, paise %s, orders %s', coalesce(k.records, 0), coalesce(k.amount, 0), coalesce(k.orders, 0)) AS kept,
       format('records %s, paise %s, orders %s', coalesce(c.records, 0), coalesce(c.amount, 0), coalesce(c.orders, 0)) AS counted
FROM kept_zone_billing k FULL JOIN counted_zone_billing c ON c.day = k.day AND c.zone_id = k.zone_id
WHERE (coalesce(k.records, 0), coalesce(k.amount, 0), coalesce(k.orders, 0)) <> (coalesce(c.records, 0), coalesce(c.amount, 0), coalesce(c.orders, 0))
UNION ALL
SELECT 'billing_product_day_totals', concat_ws(' ', coalesce(k.day, c.day)::text, coalesce(k.zone_id, c.zone_id)::text, coalesce(k.product_id, c.product_id)::text, coalesce(k.shift, c.shift)::text),
       format('records %s, units %s, paise %s', coalesce(k.records, 0), coalesce(k.units, 0), coalesce(k.amount, 0)),
       format('records %s, units %s, paise %s', coalesce(c.records, 0), coalesce(c.units, 0), coalesce(c.amount, 0))
FROM kept_products k FULL JOIN counted_products c ON c.day = k.day AND c.zone_id = k.zone_id AND c.product_id = k.product_id AND c.shift = k.shift
WHERE (coalesce(k.records, 0), coalesce(k.units, 0), coalesce(k.amount, 0)) <> (coalesce(c.records, 0), coalesce(c.units, 0), coalesce(c.amount, 0))
UNION ALL
SELECT 'customer_billed_days', concat_ws(' ', coalesce(k.month, c.month)::text, coalesce(k.customer_id, c.customer_id)::text, coalesce(k.product_id, c.product_id)::text),
       format('days %s', coalesce(k.days, 0)::bit(31)), format('days %s', coalesce(c.days, 0)::bit(31))
FROM customer_billed_days k FULL JOIN counted_days c ON c.month = k.month AND c.customer_id = k.customer_id AND c.product_id = k.product_id
WHERE coalesce(k.days, 0) <> coalesce(c.days, 0)
UNION ALL
SELECT 'delivery_zone_day_counts', coalesce(k.day, c.day)::text || ' ' || coalesce(k.zone_id, c.zone_id)::text,
       format('pending %s, delivered %s (on time %s, late %s), partial %s, failed %s', coalesce(k.pending, 0), coalesce(k.delivered, 0), coalesce(k.on_time, 0), coalesce(k.late, 0), coalesce(k.partial, 0), coalesce(k.failed, 0)),
       format('pending %s, delivered %s (on time %s, late %s), partial %s, failed %s', coalesce(c.pending, 0), coalesce(c.delivered, 0), coalesce(c.on_time, 0), coalesce(c.late, 0), coalesce(c.partial, 0), coalesce(c.failed, 0))
FROM kept_deliveries k FULL JOIN counted_deliveries c ON c.day = k.day AND c.zone_id = k.zone_id
WHERE (coalesce(k.pending, 0), coalesce(k.delivered, 0), coalesce(k.on_time, 0), coalesce(k.late, 0), coalesce(k.partial, 0), coalesce(k.failed, 0))
      <> (coalesce(c.pending, 0), coalesce(c.delivered, 0), coalesce(c.on_time, 0), coalesce(c.late, 0), coalesce(c.partial, 0), coalesce(c.failed, 0))
UNION ALL
SELECT 'delivery_staff_day_counts', concat_ws(' ', coalesce(k.day, c.day)::text, coalesce(k.zone_id, c.zone_id)::text, coalesce(nullif(coalesce(k.staff, c.staff), ''), 'unassigned'), nullif(coalesce(k.reason, c.reason), '')),
       format('delivered %s (on time %s), partial %s, failed %s', coalesce(k.delivered, 0), coalesce(k.on_time, 0), coalesce(k.partial, 0), coalesce(k.failed, 0)),
       format('delivered %s (on time %s), partial %s, failed %s', coalesce(c.delivered, 0), coalesce(c.on_time, 0), coalesce(c.partial, 0), coalesce(c.failed, 0))
FROM kept_staff k FULL JOIN counted_staff c ON c.day = k.day AND c.zone_id = k.zone_id AND c.staff = k.staff AND c.reason = k.reason
WHERE (coalesce(k.delivered, 0), coalesce(k.on_time, 0), coalesce(k.partial, 0), coalesce(k.failed, 0))
      <> (coalesce(c.delivered, 0), coalesce(c.on_time, 0), coalesce(c.partial, 0), coalesce(c.failed, 0));
--> statement-breakpoint
-- The counts of what is already there (the triggers above count from here on).
INSERT INTO delivery_staff_day_counts (order_date, zone_id, staff_id, failure_reason, slot, delivered, on_time, partial, failed)
SELECT d.order_date, c.zone_id, d.staff_id, CASE WHEN d.status = 'failed' THEN trim(d.failure_reason) END, 0,
       count(*) FILTER (WHERE d.status = 'delivered'), count(*) FILTER (WHERE d.status = 'delivered' AND d.delivered_on = d.order_date),
       count(*) FILTER (WHERE d.status = 'partial'), count(*) FILTER (WHERE d.status = 'failed')
FROM deliveries d JOIN orders o ON o.id = d.order_id JOIN customers c ON c.id = o.customer_id
WHERE d.status <> 'pending'
GROUP BY 1, 2, 3, 4;
--> statement-breakpoint
-- Derived data: the API reads it; only the triggers above (running as the owner) write it.
REVOKE INSERT, UPDATE, DELETE ON delivery_staff_day_counts FROM milkrun_app;
