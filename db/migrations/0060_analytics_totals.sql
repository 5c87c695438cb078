CREATE TABLE "billing_product_day_totals" (
	"service_date" date NOT NULL,
	"zone_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"shift" "shift" NOT NULL,
	"slot" smallint NOT NULL,
	"records" integer DEFAULT 0 NOT NULL,
	"units" bigint DEFAULT 0 NOT NULL,
	"amount_paise" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "billing_product_day_totals_pkey" PRIMARY KEY("service_date","zone_id","product_id","shift","slot")
);
--> statement-breakpoint
CREATE TABLE "billing_zone_day_totals" (
	"service_date" date NOT NULL,
	"zone_id" uuid NOT NULL,
	"slot" smallint NOT NULL,
	"records" integer DEFAULT 0 NOT NULL,
	"amount_paise" bigint DEFAULT 0 NOT NULL,
	"orders" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "billing_zone_day_totals_pkey" PRIMARY KEY("service_date","zone_id","slot")
);
--> statement-breakpoint
CREATE TABLE "customer_billed_days" (
	"month" date NOT NULL,
	"customer_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"days" integer NOT NULL,
	CONSTRAINT "customer_billed_days_pkey" PRIMARY KEY("month","customer_id","product_id")
);
--> statement-breakpoint
CREATE TABLE "delivery_zone_day_counts" (
	"order_date" date NOT NULL,
	"zone_id" uuid NOT NULL,
	"slot" smallint NOT NULL,
	"pending" integer DEFAULT 0 NOT NULL,
	"delivered" integer DEFAULT 0 NOT NULL,
	"on_time" integer DEFAULT 0 NOT NULL,
	"late" integer DEFAULT 0 NOT NULL,
	"partial" integer DEFAULT 0 NOT NULL,
	"failed" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "delivery_zone_day_counts_pkey" PRIMARY KEY("order_date","zone_id","slot")
);
--> statement-breakpoint
-- The analytics charts' figures kept per day (db/schema/totals.ts), by the dashboard's triggers (migrations 0019, 0029
-- and 0059), which now also add here: a chart then reads a few thousand rows for a quarter instead of summing millions of
-- billing records and deliveries on every request (issue 10). The zone of a row is its customer's zone now: moving a
-- customer moves their rows. Day-keyed tables are split into the writer's slot, as the dashboard's are.

-- Billing records by day and zone (records, value, orders billed that day) and by day, zone, product and the order's
-- shift (records, units, value). An order counts on its day while it has a record there, probed as billing_totals_add
-- does.
CREATE FUNCTION analytics_billing_add(days date[], customer_ids uuid[], order_ids uuid[], product_ids uuid[], quantities bigint[], totals bigint[], deltas int[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  WITH c AS (
    SELECT u.day, u.customer_id, u.order_id, u.total, u.delta, cu.zone_id
    FROM unnest(days, customer_ids, order_ids, totals, deltas) AS u(day, customer_id, order_id, total, delta)
    JOIN customers cu ON cu.id = u.customer_id
  ), per_order AS (
    SELECT c.day, c.zone_id, c.customer_id, c.order_id, sum(c.delta)::int AS delta FROM c
    GROUP BY c.day, c.zone_id, c.customer_id, c.order_id HAVING sum(c.delta) <> 0
  ), per_day AS (
    SELECT c.day, c.zone_id, sum(c.delta)::int AS records, sum(c.delta * c.total)::bigint AS amount, 0 AS orders FROM c GROUP BY c.day, c.zone_id
    UNION ALL
    SELECT p.day, p.zone_id, 0, 0, (cnt.n > 0)::int - (cnt.n - p.delta > 0)::int
    FROM per_order p
    CROSS JOIN LATERAL (SELECT count(*)::int AS n FROM billing_records b
                        WHERE b.customer_id = p.customer_id AND b.service_date = p.day AND b.order_id = p.order_id) cnt
  )
  INSERT INTO billing_zone_day_totals AS t (service_date, zone_id, slot, records, amount_paise, orders)
  SELECT d.day, d.zone_id, totals_slot(), sum(d.records), sum(d.amount), sum(d.orders)
  FROM per_day d GROUP BY d.day, d.zone_id
  HAVING (sum(d.records), sum(d.amount), sum(d.orders)) <> (0, 0, 0)
  ORDER BY d.day, d.zone_id
  ON CONFLICT (service_date, zone_id, slot) DO UPDATE
  SET records = t.records + excluded.records, amount_paise = t.amount_paise + excluded.amount_paise, orders = t.orders + excluded.orders;

  INSERT INTO billing_product_day_totals AS t (service_date, zone_id, product_id, shift, slot, records, units, amount_paise)
  SELECT u.day, cu.zone_id, u.product_id, o.shift, totals_slot(), sum(u.delta), sum(u.delta * u.quantity), sum(u.delta * u.total)
  FROM unnest(days, customer_ids, order_ids, product_ids, quantities, totals, deltas) AS u(day, customer_id, order_id, product_id, quantity, total, delta)
  JOIN customers cu ON cu.id = u.customer_id
  JOIN orders o ON o.id = u.order_id
  GROUP BY u.day, cu.zone_id, u.product_id, o.shift
  HAVING (sum(u.delta), sum(u.delta * u.quantity), sum(u.delta * u.total)) <> (0, 0, 0)
  ORDER BY u.day, cu.zone_id, u.product_id, o.shift
  ON CONFLICT (service_date, zone_id, product_id, shift, slot) DO UPDATE
  SET records = t.records + excluded.records, units = t.units + excluded.units, amount_paise = t.amount_paise + excluded.amount_paise;
END;
$$;
--> statement-breakpoint
-- New records set their day's bit (no row is rewritten when it is set already: a second order of the day).
CREATE FUNCTION customer_billed_days_mark(days date[], customer_ids uuid[], product_ids uuid[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO customer_billed_days AS t (month, customer_id, product_id, days)
  SELECT date_trunc('month', u.day)::date, u.customer_id, u.product_id, bit_or(1 << (extract(day FROM u.day)::int - 1))
  FROM unnest(days, customer_ids, product_ids) AS u(day, customer_id, product_id)
  GROUP BY 1, 2, 3
  ORDER BY 1, 2, 3
  ON CONFLICT (month, customer_id, product_id) DO UPDATE SET days = t.days | excluded.days
  WHERE t.days | excluded.days <> t.days;
END;
$$;
--> statement-breakpoint
-- Records gone or moved (only with the guards off: billing records are never deleted or changed but for their
-- invoice): each month, customer and product they touched is counted again from its records.
CREATE FUNCTION customer_billed_days_recount(days date[], customer_ids uuid[], product_ids uuid[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  WITH k AS (
    SELECT k.month, k.customer_id, k.product_id,
           (SELECT coalesce(bit_or(1 << (extract(day FROM b.service_date)::int - 1)), 0) FROM billing_records b
            WHERE b.customer_id = k.customer_id AND b.product_id = k.product_id
              AND b.service_date >= k.month AND b.service_date < (k.month + interval '1 month')::date) AS days
    FROM (SELECT DISTINCT date_trunc('month', u.day)::date AS month, u.customer_id, u.product_id
          FROM unnest(days, customer_ids, product_ids) AS u(day, customer_id, product_id)) k
  ), gone AS (
    DELETE FROM customer_billed_days t USING k
    WHERE k.days = 0 AND t.month = k.month AND t.customer_id = k.customer_id AND t.product_id = k.product_id
  )
  INSERT INTO customer_billed_days AS t (month, customer_id, product_id, days)
  SELECT k.month, k.customer_id, k.product_id, k.days FROM k WHERE k.days <> 0 ORDER BY 1, 2, 3
  ON CONFLICT (month, customer_id, product_id) DO UPDATE SET days = excluded.days;
END;
$$;
--> statement-breakpoint
-- Deliveries by order date and zone: pending, delivered (on time: on the order's day; late: after it), partial, failed.
CREATE FUNCTION delivery_zone_day_counts_add(days date[], order_ids uuid[], statuses delivery_status[], delivered_ons date[], deltas int[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO delivery_zone_day_counts AS t (order_date, zone_id, slot, pending, delivered, on_time, late, partial, failed)
  SELECT s.day, s.zone_id, totals_slot(), s.pending, s.delivered, s.on_time, s.late, s.partial, s.failed
  FROM (SELECT u.day, c.zone_id,
               coalesce(sum(u.delta) FILTER (WHERE u.status = 'pending'), 0)::int AS pending,
               coalesce(sum(u.delta) FILTER (WHERE u.status = 'delivered'), 0)::int AS delivered,
               coalesce(sum(u.delta) FILTER (WHERE u.status = 'delivered' AND u.delivered_on = u.day), 0)::int AS on_time,
               coalesce(sum(u.delta) FILTER (WHERE u.status = 'delivered' AND u.delivered_on > u.day), 0)::int AS late,
               coalesce(sum(u.delta) FILTER (WHERE u.status = 'partial'), 0)::int AS partial,
               coalesce(sum(u.delta) FILTER (WHERE u.status = 'failed'), 0)::int AS failed
        FROM unnest(days, order_ids, statuses, delivered_ons, deltas) AS u(day, order_id, status, delivered_on, delta)
        JOIN orders o ON o.id = u.order_id
        JOIN customers c ON c.id = o.customer_id
        GROUP BY u.day, c.zone_id) s
  WHERE (s.pending, s.delivered, s.on_time, s.late, s.partial, s.failed) <> (0, 0, 0, 0, 0, 0)
  ORDER BY s.day, s.zone_id
  ON CONFLICT (order_date, zone_id, slot) DO UPDATE
  SET pending = t.pending + excluded.pending, delivered = t.delivered + excluded.delivered, on_time = t.on_time + excluded.on_time,
      late = t.late + excluded.late, partial = t.partial + excluded.partial, failed = t.failed + excluded.failed;
END;
$$;
--> statement-breakpoint
-- Their statements are planned once per connection (a confirmation's one or two rows, thousands of times a day): a
-- custom plan for each call's arrays cost more than running it (measured: about 2 ms a confirmation).
ALTER FUNCTION analytics_billing_add(date[], uuid[], uuid[], uuid[], bigint[], bigint[], int[]) SET plan_cache_mode = force_generic_plan;
--> statement-breakpoint
ALTER FUNCTION customer_billed_days_mark(date[], uuid[], uuid[]) SET plan_cache_mode = force_generic_plan;
--> statement-breakpoint
ALTER FUNCTION delivery_zone_day_counts_add(date[], uuid[], delivery_status[], date[], int[]) SET plan_cache_mode = force_generic_plan;
--> statement-breakpoint
-- Billing records: one pass over the statement's rows hands each kept table its share. An update counts only where a
-- counted column changed (an invoice run only links records to invoices: nothing for the analytics tables).
CREATE OR REPLACE FUNCTION billing_records_keep_totals() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  d date[]; c uuid[]; o uuid[]; p uuid[]; q bigint[]; t bigint[]; u boolean[]; dl int[];
  md date[]; mc uuid[]; mo uuid[]; mp uuid[]; mq bigint[]; mt bigint[]; mdl int[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(n.service_date), array_agg(n.customer_id), array_agg(n.order_id), array_agg(n.product_id), array_agg(n.quantity::bigint),
           array_agg(n.total_paise::bigint), array_agg(n.invoice_id IS NULL AND NOT n.legacy_billed)
    INTO d, c, o, p, q, t, u FROM new_rows n;
    dl := array_fill(1, ARRAY[coalesce(cardinality(d), 0)]);
    PERFORM billing_totals_add(d, c, o, t, u, dl);
    PERFORM analytics_billing_add(d, c, o, p, q, t, dl);
    PERFORM customer_billed_days_mark(d, c, p);
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(x.service_date), array_agg(x.customer_id), array_agg(x.order_id), array_agg(x.product_id), array_agg(x.quantity::bigint),
           array_agg(x.total_paise::bigint), array_agg(x.invoice_id IS NULL AND NOT x.legacy_billed)
    INTO d, c, o, p, q, t, u FROM old_rows x;
    dl := array_fill(-1, ARRAY[coalesce(cardinality(d), 0)]);
    PERFORM billing_totals_add(d, c, o, t, u, dl);
    PERFORM analytics_billing_add(d, c, o, p, q, t, dl);
    PERFORM customer_billed_days_recount(d, c, p);
  ELSE
    SELECT array_agg(v.day), array_agg(v.customer_id), array_agg(v.order_id), array_agg(v.total), array_agg(v.unbilled), array_agg(v.delta),
           array_agg(v.day) FILTER (WHERE v.moved), array_agg(v.customer_id) FILTER (WHERE v.moved), array_agg(v.order_id) FILTER (WHERE v.moved),
           array_agg(v.product_id) FILTER (WHERE v.moved), array_agg(v.quantity) FILTER (WHERE v.moved), array_agg(v.total) FILTER (WHERE v.moved),
           array_agg(v.delta) FILTER (WHERE v.moved)
    INTO d, c, o, t, u, dl, md, mc, mo, mp, mq, mt, mdl
    FROM old_rows x JOIN new_rows n ON n.id = x.id
    CROSS JOIN LATERAL (SELECT (x.service_date, x.customer_id, x.order_id, x.product_id, x.quantity, x.total_paise)
                               IS DISTINCT FROM (n.service_date, n.customer_id, n.order_id, n.product_id, n.quantity, n.total_paise) AS moved) m
    CROSS JOIN LATERAL (VALUES (x.service_date, x.customer_id, x.order_id, x.product_id, x.quantity::bigint, x.total_paise::bigint, x.invoice_id IS NULL AND NOT x.legacy_billed, -1, m.moved),
                               (n.service_date, n.customer_id, n.order_id, n.product_id, n.quantity::bigint, n.total_paise::bigint, n.invoice_id IS NULL AND NOT n.legacy_billed, 1, m.moved))
      AS v(day, customer_id, order_id, product_id, quantity, total, unbilled, delta, moved)
    WHERE m.moved OR (x.invoice_id IS NULL AND NOT x.legacy_billed) IS DISTINCT FROM (n.invoice_id IS NULL AND NOT n.legacy_billed);
    PERFORM billing_totals_add(d, c, o, t, u, dl);
    IF md IS NOT NULL THEN
      PERFORM analytics_billing_add(md, mc, mo, mp, mq, mt, mdl);
      PERFORM customer_billed_days_recount(md, mc, mp);
    END IF;
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
-- Deliveries inserted or deleted (a day's orders, thousands in one statement).
CREATE OR REPLACE FUNCTION deliveries_keep_totals() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM delivery_day_counts_add(array_agg(n.order_date), array_agg(n.status), array_agg(1))
    FROM new_rows n WHERE NOT EXISTS (SELECT 1 FROM orders x WHERE x.id = n.order_id AND x.status = 'cancelled');
    PERFORM delivery_zone_day_counts_add(array_agg(n.order_date), array_agg(n.order_id), array_agg(n.status), array_agg(n.delivered_on), array_agg(1)) FROM new_rows n;
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM delivery_day_counts_add(array_agg(o.order_date), array_agg(o.status), array_agg(-1))
    FROM old_rows o WHERE NOT EXISTS (SELECT 1 FROM orders x WHERE x.id = o.order_id AND x.status = 'cancelled');
    PERFORM delivery_zone_day_counts_add(array_agg(o.order_date), array_agg(o.order_id), array_agg(o.status), array_agg(o.delivered_on), array_agg(-1)) FROM old_rows o;
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
-- Deliveries updated (a confirmation, a failure, a day's settlement): once per statement (migration 0059), those whose
-- status, date or day delivered changed, whatever their order's status.
CREATE OR REPLACE FUNCTION deliveries_statement_keeps_totals() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  PERFORM delivery_day_counts_add(array_agg(v.day), array_agg(v.status), array_agg(v.delta))
  FROM old_rows o
  JOIN new_rows n ON n.id = o.id
  CROSS JOIN LATERAL (VALUES (o.order_date, o.status, -1), (n.order_date, n.status, 1)) AS v(day, status, delta)
  WHERE (o.order_date, o.status) IS DISTINCT FROM (n.order_date, n.status)
    AND NOT EXISTS (SELECT 1 FROM orders x WHERE x.id = n.order_id AND x.status = 'cancelled');
  PERFORM delivery_zone_day_counts_add(array_agg(v.day), array_agg(v.order_id), array_agg(v.status), array_agg(v.delivered_on), array_agg(v.delta))
  FROM old_rows o
  JOIN new_rows n ON n.id = o.id
  CROSS JOIN LATERAL (VALUES (o.order_date, o.order_id, o.status, o.delivered_on, -1), (n.order_date, n.order_id, n.status, n.delivered_on, 1))
    AS v(day, order_id, status, delivered_on, delta)
  WHERE (o.order_date, o.order_id, o.status, o.delivered_on) IS DISTINCT FROM (n.order_date, n.order_id, n.status, n.delivered_on);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
-- A customer moved to another zone takes their deliveries and billing records along: out of the old zone's rows,
-- into the new one's (their orders and records through the customer's indexes).
CREATE FUNCTION customers_zone_keeps_totals() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
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
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER customers_zone_keeps_totals AFTER UPDATE OF zone_id ON customers FOR EACH ROW
  WHEN (OLD.zone_id IS DISTINCT FROM NEW.zone_id) EXECUTE FUNCTION customers_zone_keeps_totals();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION truncate_keeps_totals() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF TG_TABLE_NAME = 'deliveries' THEN DELETE FROM delivery_day_counts; DELETE FROM delivery_zone_day_counts;
  ELSIF TG_TABLE_NAME = 'billing_records' THEN
    DELETE FROM billing_day_totals; DELETE FROM customer_unbilled;
    DELETE FROM billing_zone_day_totals; DELETE FROM billing_product_day_totals; DELETE FROM customer_billed_days;
  ELSIF TG_TABLE_NAME = 'invoices' THEN DELETE FROM invoice_day_totals;
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
-- The recount, as dashboard_totals_drift: every key whose kept figures differ from its rows; empty when all is well.
-- Reads every delivery and billing record: a check (data health), not for requests.
CREATE VIEW analytics_totals_drift AS
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
      <> (coalesce(c.pending, 0), coalesce(c.delivered, 0), coalesce(c.on_time, 0), coalesce(c.late, 0), coalesce(c.partial, 0), coalesce(c.failed, 0));
--> statement-breakpoint
-- The totals of what is already there (the triggers above count from here on).
INSERT INTO billing_zone_day_totals (service_date, zone_id, slot, records, amount_paise, orders)
SELECT b.service_date, c.zone_id, 0, count(*), sum(b.total_paise::bigint), count(DISTINCT b.order_id)
FROM billing_records b JOIN customers c ON c.id = b.customer_id GROUP BY b.service_date, c.zone_id;
--> statement-breakpoint
INSERT INTO billing_product_day_totals (service_date, zone_id, product_id, shift, slot, records, units, amount_paise)
SELECT b.service_date, c.zone_id, b.product_id, o.shift, 0, count(*), sum(b.quantity::bigint), sum(b.total_paise::bigint)
FROM billing_records b JOIN customers c ON c.id = b.customer_id JOIN orders o ON o.id = b.order_id
GROUP BY b.service_date, c.zone_id, b.product_id, o.shift;
--> statement-breakpoint
INSERT INTO customer_billed_days (month, customer_id, product_id, days)
SELECT date_trunc('month', service_date)::date, customer_id, product_id, bit_or(1 << (extract(day FROM service_date)::int - 1))
FROM billing_records GROUP BY 1, 2, 3;
--> statement-breakpoint
INSERT INTO delivery_zone_day_counts (order_date, zone_id, slot, pending, delivered, on_time, late, partial, failed)
SELECT d.order_date, c.zone_id, 0, count(*) FILTER (WHERE d.status = 'pending'), count(*) FILTER (WHERE d.status = 'delivered'),
       count(*) FILTER (WHERE d.status = 'delivered' AND d.delivered_on = d.order_date),
       count(*) FILTER (WHERE d.status = 'delivered' AND d.delivered_on > d.order_date),
       count(*) FILTER (WHERE d.status = 'partial'), count(*) FILTER (WHERE d.status = 'failed')
FROM deliveries d JOIN orders o ON o.id = d.order_id JOIN customers c ON c.id = o.customer_id GROUP BY d.order_date, c.zone_id;
--> statement-breakpoint
-- Derived data: the API reads it; only the triggers above (running as the owner) write it.
REVOKE INSERT, UPDATE, DELETE ON billing_zone_day_totals, billing_product_day_totals, customer_billed_days, delivery_zone_day_counts FROM milkrun_app;
