CREATE TABLE "billing_day_totals" (
	"service_date" date NOT NULL,
	"slot" smallint NOT NULL,
	"records" integer DEFAULT 0 NOT NULL,
	"amount_paise" bigint DEFAULT 0 NOT NULL,
	"orders" integer DEFAULT 0 NOT NULL,
	"unbilled_records" integer DEFAULT 0 NOT NULL,
	"unbilled_paise" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "billing_day_totals_pkey" PRIMARY KEY("service_date","slot")
);
--> statement-breakpoint
CREATE TABLE "customer_unbilled" (
	"customer_id" uuid PRIMARY KEY NOT NULL,
	"records" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "delivery_day_counts" (
	"order_date" date NOT NULL,
	"slot" smallint NOT NULL,
	"pending" integer DEFAULT 0 NOT NULL,
	"delivered" integer DEFAULT 0 NOT NULL,
	"partial" integer DEFAULT 0 NOT NULL,
	"failed" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "delivery_day_counts_pkey" PRIMARY KEY("order_date","slot")
);
--> statement-breakpoint
CREATE TABLE "invoice_day_totals" (
	"invoice_date" date NOT NULL,
	"slot" smallint NOT NULL,
	"issued" integer DEFAULT 0 NOT NULL,
	"issued_paise" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "invoice_day_totals_pkey" PRIMARY KEY("invoice_date","slot")
);
--> statement-breakpoint
-- The dashboard's figures kept per day (db/schema/totals.ts), by statement-level triggers over the transition tables:
-- one set-based upsert per statement, whether it writes one row (a confirmation) or fifty thousand (a day's orders, an
-- invoice run). The functions run as the owner: the API's role reads these tables but cannot write them itself.
-- Each writer adds its share to its own slot of the day (the backend pid modulo 16), so confirmations running at
-- once do not queue on one row lock until they commit; upserts go in key order, so two writers sharing a slot wait
-- for each other rather than deadlock.
CREATE FUNCTION totals_slot() RETURNS smallint LANGUAGE sql STABLE PARALLEL SAFE AS $$ SELECT (pg_backend_pid() % 16)::smallint $$;
--> statement-breakpoint
CREATE FUNCTION delivery_day_counts_add(days date[], statuses delivery_status[], deltas int[]) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  INSERT INTO delivery_day_counts AS t (order_date, slot, pending, delivered, partial, failed)
  SELECT c.day, totals_slot(),
         coalesce(sum(c.delta) FILTER (WHERE c.status = 'pending'), 0),
         coalesce(sum(c.delta) FILTER (WHERE c.status = 'delivered'), 0),
         coalesce(sum(c.delta) FILTER (WHERE c.status = 'partial'), 0),
         coalesce(sum(c.delta) FILTER (WHERE c.status = 'failed'), 0)
  FROM (SELECT day, status, sum(delta) AS delta FROM unnest(days, statuses, deltas) AS u(day, status, delta)
        GROUP BY day, status HAVING sum(delta) <> 0) c
  GROUP BY c.day
  ORDER BY c.day
  ON CONFLICT (order_date, slot) DO UPDATE
  SET pending = t.pending + excluded.pending, delivered = t.delivered + excluded.delivered,
      partial = t.partial + excluded.partial, failed = t.failed + excluded.failed
$$;
--> statement-breakpoint
-- Deliveries of cancelled orders are left out, by their order's status now (cancelling or reinstating an order moves
-- its delivery: orders_cancel_keeps_totals). An update counts only where the date or status changed.
CREATE FUNCTION deliveries_keep_totals() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM delivery_day_counts_add(array_agg(n.order_date), array_agg(n.status), array_agg(1))
    FROM new_rows n WHERE NOT EXISTS (SELECT 1 FROM orders x WHERE x.id = n.order_id AND x.status = 'cancelled');
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM delivery_day_counts_add(array_agg(o.order_date), array_agg(o.status), array_agg(-1))
    FROM old_rows o WHERE NOT EXISTS (SELECT 1 FROM orders x WHERE x.id = o.order_id AND x.status = 'cancelled');
  ELSE
    PERFORM delivery_day_counts_add(array_agg(v.day), array_agg(v.status), array_agg(v.delta))
    FROM old_rows o JOIN new_rows n ON n.id = o.id
    CROSS JOIN LATERAL (VALUES (o.order_id, o.order_date, o.status, -1), (n.order_id, n.order_date, n.status, 1)) AS v(order_id, day, status, delta)
    WHERE (o.order_date, o.status) IS DISTINCT FROM (n.order_date, n.status)
      AND NOT EXISTS (SELECT 1 FROM orders x WHERE x.id = v.order_id AND x.status = 'cancelled');
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER deliveries_keep_totals_insert AFTER INSERT ON deliveries
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION deliveries_keep_totals();
--> statement-breakpoint
CREATE TRIGGER deliveries_keep_totals_update AFTER UPDATE ON deliveries
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION deliveries_keep_totals();
--> statement-breakpoint
CREATE TRIGGER deliveries_keep_totals_delete AFTER DELETE ON deliveries
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION deliveries_keep_totals();
--> statement-breakpoint
CREATE FUNCTION orders_cancel_keeps_totals() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  PERFORM delivery_day_counts_add(array[d.order_date], array[d.status], array[CASE WHEN NEW.status = 'cancelled' THEN -1 ELSE 1 END])
  FROM deliveries d WHERE d.order_id = NEW.id;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER orders_cancel_keeps_totals AFTER UPDATE OF status ON orders FOR EACH ROW
  WHEN ((OLD.status = 'cancelled') IS DISTINCT FROM (NEW.status = 'cancelled')) EXECUTE FUNCTION orders_cancel_keeps_totals();
--> statement-breakpoint
-- Billing records per service date and, for those on no invoice yet (not legacy-billed), per customer. An order
-- counts on its day while it has a record there: its records are counted (index on customer and date) only when
-- their number changes, so an invoice run, which only links records to invoices, probes nothing.
CREATE FUNCTION billing_totals_add(days date[], customer_ids uuid[], order_ids uuid[], totals bigint[], unbilled boolean[], deltas int[]) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  WITH c AS (
    SELECT * FROM unnest(days, customer_ids, order_ids, totals, unbilled, deltas) AS c(day, customer_id, order_id, total, unbilled, delta)
  ), per_order AS (
    SELECT day, customer_id, order_id, sum(delta)::int AS delta FROM c GROUP BY day, customer_id, order_id HAVING sum(delta) <> 0
  ), per_day AS (
    SELECT day, sum(delta)::int AS records, sum(delta * total)::bigint AS amount, 0 AS orders,
           coalesce(sum(delta) FILTER (WHERE unbilled), 0)::int AS unbilled_records,
           coalesce(sum(delta * total) FILTER (WHERE unbilled), 0)::bigint AS unbilled_paise
    FROM c GROUP BY day
    UNION ALL
    -- +1 when the order's first record of the day came, -1 when its last one went.
    SELECT p.day, 0, 0, (cnt.n > 0)::int - (cnt.n - p.delta > 0)::int, 0, 0
    FROM per_order p
    CROSS JOIN LATERAL (SELECT count(*)::int AS n FROM billing_records b
                        WHERE b.customer_id = p.customer_id AND b.service_date = p.day AND b.order_id = p.order_id) cnt
  )
  INSERT INTO billing_day_totals AS t (service_date, slot, records, amount_paise, orders, unbilled_records, unbilled_paise)
  SELECT day, totals_slot(), sum(records), sum(amount), sum(orders), sum(unbilled_records), sum(unbilled_paise)
  FROM per_day GROUP BY day
  HAVING (sum(records), sum(amount), sum(orders), sum(unbilled_records), sum(unbilled_paise)) <> (0, 0, 0, 0, 0)
  ORDER BY day
  ON CONFLICT (service_date, slot) DO UPDATE
  SET records = t.records + excluded.records, amount_paise = t.amount_paise + excluded.amount_paise, orders = t.orders + excluded.orders,
      unbilled_records = t.unbilled_records + excluded.unbilled_records, unbilled_paise = t.unbilled_paise + excluded.unbilled_paise;

  INSERT INTO customer_unbilled AS t (customer_id, records)
  SELECT customer_id, sum(delta) FROM unnest(customer_ids, unbilled, deltas) AS c(customer_id, unbilled, delta)
  WHERE unbilled GROUP BY customer_id HAVING sum(delta) <> 0 ORDER BY customer_id
  ON CONFLICT (customer_id) DO UPDATE SET records = t.records + excluded.records;
$$;
--> statement-breakpoint
CREATE FUNCTION billing_records_keep_totals() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM billing_totals_add(array_agg(n.service_date), array_agg(n.customer_id), array_agg(n.order_id), array_agg(n.total_paise::bigint),
                               array_agg(n.invoice_id IS NULL AND NOT n.legacy_billed), array_agg(1))
    FROM new_rows n;
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM billing_totals_add(array_agg(o.service_date), array_agg(o.customer_id), array_agg(o.order_id), array_agg(o.total_paise::bigint),
                               array_agg(o.invoice_id IS NULL AND NOT o.legacy_billed), array_agg(-1))
    FROM old_rows o;
  ELSE
    PERFORM billing_totals_add(array_agg(v.day), array_agg(v.customer_id), array_agg(v.order_id), array_agg(v.total), array_agg(v.unbilled), array_agg(v.delta))
    FROM old_rows o JOIN new_rows n ON n.id = o.id
    CROSS JOIN LATERAL (VALUES (o.service_date, o.customer_id, o.order_id, o.total_paise::bigint, o.invoice_id IS NULL AND NOT o.legacy_billed, -1),
                               (n.service_date, n.customer_id, n.order_id, n.total_paise::bigint, n.invoice_id IS NULL AND NOT n.legacy_billed, 1))
      AS v(day, customer_id, order_id, total, unbilled, delta)
    WHERE (o.service_date, o.customer_id, o.order_id, o.total_paise, o.invoice_id IS NULL AND NOT o.legacy_billed)
          IS DISTINCT FROM (n.service_date, n.customer_id, n.order_id, n.total_paise, n.invoice_id IS NULL AND NOT n.legacy_billed);
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER billing_records_keep_totals_insert AFTER INSERT ON billing_records
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION billing_records_keep_totals();
--> statement-breakpoint
CREATE TRIGGER billing_records_keep_totals_update AFTER UPDATE ON billing_records
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION billing_records_keep_totals();
--> statement-breakpoint
CREATE TRIGGER billing_records_keep_totals_delete AFTER DELETE ON billing_records
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION billing_records_keep_totals();
--> statement-breakpoint
CREATE FUNCTION invoice_day_totals_add(days date[], issued boolean[], totals bigint[], deltas int[]) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  INSERT INTO invoice_day_totals AS t (invoice_date, slot, issued, issued_paise)
  SELECT c.day, totals_slot(), sum(c.delta), sum(c.delta * c.total)
  FROM unnest(days, issued, totals, deltas) AS c(day, issued, total, delta)
  WHERE c.issued
  GROUP BY c.day
  HAVING (sum(c.delta), sum(c.delta * c.total)) <> (0, 0)
  ORDER BY c.day
  ON CONFLICT (invoice_date, slot) DO UPDATE SET issued = t.issued + excluded.issued, issued_paise = t.issued_paise + excluded.issued_paise
$$;
--> statement-breakpoint
CREATE FUNCTION invoices_keep_totals() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM invoice_day_totals_add(array_agg(n.invoice_date), array_agg(n.status = 'issued'), array_agg(n.total_paise::bigint), array_agg(1)) FROM new_rows n;
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM invoice_day_totals_add(array_agg(o.invoice_date), array_agg(o.status = 'issued'), array_agg(o.total_paise::bigint), array_agg(-1)) FROM old_rows o;
  ELSE
    PERFORM invoice_day_totals_add(array_agg(v.day), array_agg(v.issued), array_agg(v.total), array_agg(v.delta))
    FROM old_rows o JOIN new_rows n ON n.id = o.id
    CROSS JOIN LATERAL (VALUES (o.invoice_date, o.status = 'issued', o.total_paise::bigint, -1), (n.invoice_date, n.status = 'issued', n.total_paise::bigint, 1))
      AS v(day, issued, total, delta)
    WHERE (o.invoice_date, o.status, o.total_paise) IS DISTINCT FROM (n.invoice_date, n.status, n.total_paise);
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER invoices_keep_totals_insert AFTER INSERT ON invoices
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION invoices_keep_totals();
--> statement-breakpoint
CREATE TRIGGER invoices_keep_totals_update AFTER UPDATE ON invoices
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION invoices_keep_totals();
--> statement-breakpoint
CREATE TRIGGER invoices_keep_totals_delete AFTER DELETE ON invoices
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION invoices_keep_totals();
--> statement-breakpoint
-- TRUNCATE fires no row or transition triggers: emptying a counted table empties its totals.
CREATE FUNCTION truncate_keeps_totals() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF TG_TABLE_NAME = 'deliveries' THEN DELETE FROM delivery_day_counts;
  ELSIF TG_TABLE_NAME = 'billing_records' THEN DELETE FROM billing_day_totals; DELETE FROM customer_unbilled;
  ELSIF TG_TABLE_NAME = 'invoices' THEN DELETE FROM invoice_day_totals;
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER deliveries_truncate_keeps_totals AFTER TRUNCATE ON deliveries FOR EACH STATEMENT EXECUTE FUNCTION truncate_keeps_totals();
--> statement-breakpoint
CREATE TRIGGER billing_records_truncate_keeps_totals AFTER TRUNCATE ON billing_records FOR EACH STATEMENT EXECUTE FUNCTION truncate_keeps_totals();
--> statement-breakpoint
CREATE TRIGGER invoices_truncate_keeps_totals AFTER TRUNCATE ON invoices FOR EACH STATEMENT EXECUTE FUNCTION truncate_keeps_totals();
--> statement-breakpoint
-- The recount: every day (or customer) whose kept totals differ from its rows. Empty when all is well; data health
-- (npm run check) reports each row. Reads every delivery, billing record and invoice: a check, not for requests.
CREATE VIEW dashboard_totals_drift AS
WITH kept_deliveries AS (
  SELECT order_date AS day, sum(pending) AS pending, sum(delivered) AS delivered, sum(partial) AS partial, sum(failed) AS failed
  FROM delivery_day_counts GROUP BY order_date
), counted_deliveries AS (
  SELECT d.order_date AS day, count(*) FILTER (WHERE d.status = 'pending') AS pending, count(*) FILTER (WHERE d.status = 'delivered') AS delivered,
         count(*) FILTER (WHERE d.status = 'partial') AS partial, count(*) FILTER (WHERE d.status = 'failed') AS failed
  FROM deliveries d JOIN orders o ON o.id = d.order_id WHERE o.status <> 'cancelled' GROUP BY d.order_date
), kept_billing AS (
  SELECT service_date AS day, sum(records) AS records, sum(amount_paise) AS amount, sum(orders) AS orders,
         sum(unbilled_records) AS unbilled_records, sum(unbilled_paise) AS unbilled_paise
  FROM billing_day_totals GROUP BY service_date
), counted_billing AS (
  SELECT service_date AS day, count(*) AS records, sum(total_paise::bigint) AS amount, count(DISTINCT order_id) AS orders,
         count(*) FILTER (WHERE invoice_id IS NULL AND NOT legacy_billed) AS unbilled_records,
         coalesce(sum(total_paise::bigint) FILTER (WHERE invoice_id IS NULL AND NOT legacy_billed), 0) AS unbilled_paise
  FROM billing_records GROUP BY service_date
), counted_customers AS (
  SELECT customer_id, count(*) AS records FROM billing_records WHERE invoice_id IS NULL AND NOT legacy_billed GROUP BY customer_id
), kept_invoices AS (
  SELECT invoice_date AS day, sum(issued) AS issued, sum(issued_paise) AS issued_paise FROM invoice_day_totals GROUP BY invoice_date
), counted_invoices AS (
  SELECT invoice_date AS day, count(*) AS issued, sum(total_paise::bigint) AS issued_paise FROM invoices WHERE status = 'issued' GROUP BY invoice_date
)
SELECT 'delivery_day_counts'::text AS totals, coalesce(k.day, c.day)::text AS key,
       format('pending %s, delivered %s, partial %s, failed %s', coalesce(k.pending, 0), coalesce(k.delivered, 0), coalesce(k.partial, 0), coalesce(k.failed, 0)) AS kept,
       format('pending %s, delivered %s, partial %s, failed %s', coalesce(c.pending, 0), coalesce(c.delivered, 0), coalesce(c.partial, 0), coalesce(c.failed, 0)) AS counted
FROM kept_deliveries k FULL JOIN counted_deliveries c ON c.day = k.day
WHERE (coalesce(k.pending, 0), coalesce(k.delivered, 0), coalesce(k.partial, 0), coalesce(k.failed, 0))
      <> (coalesce(c.pending, 0), coalesce(c.delivered, 0), coalesce(c.partial, 0), coalesce(c.failed, 0))
UNION ALL
SELECT 'billing_day_totals', coalesce(k.day, c.day)::text,
       format('records %s, paise %s, orders %s, unbilled %s (%s paise)', coalesce(k.records, 0), coalesce(k.amount, 0), coalesce(k.orders, 0), coalesce(k.unbilled_records, 0), coalesce(k.unbilled_paise, 0)),
       format('records %s, paise %s, orders %s, unbilled %s (%s paise)', coalesce(c.records, 0), coalesce(c.amount, 0), coalesce(c.orders, 0), coalesce(c.unbilled_records, 0), coalesce(c.unbilled_paise, 0))
FROM kept_billing k FULL JOIN counted_billing c ON c.day = k.day
WHERE (coalesce(k.records, 0), coalesce(k.amount, 0), coalesce(k.orders, 0), coalesce(k.unbilled_records, 0), coalesce(k.unbilled_paise, 0))
      <> (coalesce(c.records, 0), coalesce(c.amount, 0), coalesce(c.orders, 0), coalesce(c.unbilled_records, 0), coalesce(c.unbilled_paise, 0))
UNION ALL
SELECT 'customer_unbilled', coalesce(k.customer_id, c.customer_id)::text, format('unbilled %s', coalesce(k.records, 0)), format('unbilled %s', coalesce(c.records, 0))
FROM customer_unbilled k FULL JOIN counted_customers c ON c.customer_id = k.customer_id
WHERE coalesce(k.records, 0) <> coalesce(c.records, 0)
UNION ALL
SELECT 'invoice_day_totals', coalesce(k.day, c.day)::text,
       format('issued %s (%s paise)', coalesce(k.issued, 0), coalesce(k.issued_paise, 0)), format('issued %s (%s paise)', coalesce(c.issued, 0), coalesce(c.issued_paise, 0))
FROM kept_invoices k FULL JOIN counted_invoices c ON c.day = k.day
WHERE (coalesce(k.issued, 0), coalesce(k.issued_paise, 0)) <> (coalesce(c.issued, 0), coalesce(c.issued_paise, 0));
--> statement-breakpoint
-- The totals of what is already there (the triggers above count from here on; creating them locked the tables).
INSERT INTO delivery_day_counts (order_date, slot, pending, delivered, partial, failed)
SELECT d.order_date, 0, count(*) FILTER (WHERE d.status = 'pending'), count(*) FILTER (WHERE d.status = 'delivered'),
       count(*) FILTER (WHERE d.status = 'partial'), count(*) FILTER (WHERE d.status = 'failed')
FROM deliveries d JOIN orders o ON o.id = d.order_id WHERE o.status <> 'cancelled' GROUP BY d.order_date;
--> statement-breakpoint
INSERT INTO billing_day_totals (service_date, slot, records, amount_paise, orders, unbilled_records, unbilled_paise)
SELECT service_date, 0, count(*), sum(total_paise::bigint), count(DISTINCT order_id), count(*) FILTER (WHERE invoice_id IS NULL AND NOT legacy_billed),
       coalesce(sum(total_paise::bigint) FILTER (WHERE invoice_id IS NULL AND NOT legacy_billed), 0)
FROM billing_records GROUP BY service_date;
--> statement-breakpoint
INSERT INTO customer_unbilled (customer_id, records)
SELECT customer_id, count(*) FROM billing_records WHERE invoice_id IS NULL AND NOT legacy_billed GROUP BY customer_id;
--> statement-breakpoint
INSERT INTO invoice_day_totals (invoice_date, slot, issued, issued_paise)
SELECT invoice_date, 0, count(*), sum(total_paise::bigint) FROM invoices WHERE status = 'issued' GROUP BY invoice_date;
--> statement-breakpoint
-- Derived data: the API reads it; only the triggers above (running as the owner) write it.
REVOKE INSERT, UPDATE, DELETE ON delivery_day_counts, billing_day_totals, customer_unbilled, invoice_day_totals FROM milkrun_app;
