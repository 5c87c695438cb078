-- The dashboard's totals for less per write (measured on a confirmation: the update trigger cost about 1.3 ms of
-- PostgreSQL, most of it planning): the functions that add to the totals are PL/pgSQL, whose plans are kept per
-- connection (an SQL-language function that cannot be inlined is planned again on every call); and updates of a
-- delivery or an invoice count through row triggers whose WHEN clause lets every other update through without a call
-- (a staff assignment, a payment allocated to an invoice), while an invoice run still links thousands of billing
-- records in one statement-level call.
CREATE OR REPLACE FUNCTION delivery_day_counts_add(days date[], statuses delivery_status[], deltas int[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO delivery_day_counts AS t (order_date, slot, pending, delivered, partial, failed)
  SELECT c.day, totals_slot(),
         coalesce(sum(c.delta) FILTER (WHERE c.status = 'pending'), 0),
         coalesce(sum(c.delta) FILTER (WHERE c.status = 'delivered'), 0),
         coalesce(sum(c.delta) FILTER (WHERE c.status = 'partial'), 0),
         coalesce(sum(c.delta) FILTER (WHERE c.status = 'failed'), 0)
  FROM (SELECT u.day, u.status, sum(u.delta) AS delta FROM unnest(days, statuses, deltas) AS u(day, status, delta)
        GROUP BY u.day, u.status HAVING sum(u.delta) <> 0) c
  GROUP BY c.day
  ORDER BY c.day
  ON CONFLICT (order_date, slot) DO UPDATE
  SET pending = t.pending + excluded.pending, delivered = t.delivered + excluded.delivered,
      partial = t.partial + excluded.partial, failed = t.failed + excluded.failed;
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION billing_totals_add(days date[], customer_ids uuid[], order_ids uuid[], totals bigint[], unbilled boolean[], deltas int[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  WITH c AS (
    SELECT * FROM unnest(days, customer_ids, order_ids, totals, unbilled, deltas) AS u(day, customer_id, order_id, total, unbilled, delta)
  ), per_order AS (
    SELECT c.day, c.customer_id, c.order_id, sum(c.delta)::int AS delta FROM c GROUP BY c.day, c.customer_id, c.order_id HAVING sum(c.delta) <> 0
  ), per_day AS (
    SELECT c.day, sum(c.delta)::int AS records, sum(c.delta * c.total)::bigint AS amount, 0 AS orders,
           coalesce(sum(c.delta) FILTER (WHERE c.unbilled), 0)::int AS unbilled_records,
           coalesce(sum(c.delta * c.total) FILTER (WHERE c.unbilled), 0)::bigint AS unbilled_paise
    FROM c GROUP BY c.day
    UNION ALL
    -- +1 when the order's first record of the day came, -1 when its last one went.
    SELECT p.day, 0, 0, (cnt.n > 0)::int - (cnt.n - p.delta > 0)::int, 0, 0
    FROM per_order p
    CROSS JOIN LATERAL (SELECT count(*)::int AS n FROM billing_records b
                        WHERE b.customer_id = p.customer_id AND b.service_date = p.day AND b.order_id = p.order_id) cnt
  )
  INSERT INTO billing_day_totals AS t (service_date, slot, records, amount_paise, orders, unbilled_records, unbilled_paise)
  SELECT d.day, totals_slot(), sum(d.records), sum(d.amount), sum(d.orders), sum(d.unbilled_records), sum(d.unbilled_paise)
  FROM per_day d GROUP BY d.day
  HAVING (sum(d.records), sum(d.amount), sum(d.orders), sum(d.unbilled_records), sum(d.unbilled_paise)) <> (0, 0, 0, 0, 0)
  ORDER BY d.day
  ON CONFLICT (service_date, slot) DO UPDATE
  SET records = t.records + excluded.records, amount_paise = t.amount_paise + excluded.amount_paise, orders = t.orders + excluded.orders,
      unbilled_records = t.unbilled_records + excluded.unbilled_records, unbilled_paise = t.unbilled_paise + excluded.unbilled_paise;

  INSERT INTO customer_unbilled AS t (customer_id, records)
  SELECT u.customer_id, sum(u.delta) FROM unnest(customer_ids, unbilled, deltas) AS u(customer_id, unbilled, delta)
  WHERE u.unbilled GROUP BY u.customer_id HAVING sum(u.delta) <> 0 ORDER BY u.customer_id
  ON CONFLICT (customer_id) DO UPDATE SET records = t.records + excluded.records;
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION invoice_day_totals_add(days date[], issued boolean[], totals bigint[], deltas int[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO invoice_day_totals AS t (invoice_date, slot, issued, issued_paise)
  SELECT u.day, totals_slot(), sum(u.delta), sum(u.delta * u.total)
  FROM unnest(days, issued, totals, deltas) AS u(day, issued, total, delta)
  WHERE u.issued
  GROUP BY u.day
  HAVING (sum(u.delta), sum(u.delta * u.total)) <> (0, 0)
  ORDER BY u.day
  ON CONFLICT (invoice_date, slot) DO UPDATE SET issued = t.issued + excluded.issued, issued_paise = t.issued_paise + excluded.issued_paise;
END;
$$;
--> statement-breakpoint
-- One delivery whose status or date changed (a confirmation, a failure): out of its old count, into its new one,
-- unless its order is cancelled (then it is in neither).
CREATE FUNCTION deliveries_row_keeps_totals() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM orders x WHERE x.id = NEW.order_id AND x.status = 'cancelled') THEN
    PERFORM delivery_day_counts_add(ARRAY[OLD.order_date, NEW.order_date], ARRAY[OLD.status, NEW.status], ARRAY[-1, 1]);
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
DROP TRIGGER deliveries_keep_totals_update ON deliveries;
--> statement-breakpoint
CREATE TRIGGER deliveries_keep_totals_update AFTER UPDATE OF status, order_date ON deliveries FOR EACH ROW
  WHEN ((OLD.status, OLD.order_date) IS DISTINCT FROM (NEW.status, NEW.order_date)) EXECUTE FUNCTION deliveries_row_keeps_totals();
--> statement-breakpoint
-- One invoice whose date, status (a void) or total changed.
CREATE FUNCTION invoices_row_keeps_totals() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  PERFORM invoice_day_totals_add(ARRAY[OLD.invoice_date, NEW.invoice_date], ARRAY[OLD.status = 'issued', NEW.status = 'issued'],
                                 ARRAY[OLD.total_paise::bigint, NEW.total_paise::bigint], ARRAY[-1, 1]);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
DROP TRIGGER invoices_keep_totals_update ON invoices;
--> statement-breakpoint
CREATE TRIGGER invoices_keep_totals_update AFTER UPDATE OF invoice_date, status, total_paise ON invoices FOR EACH ROW
  WHEN ((OLD.invoice_date, OLD.status, OLD.total_paise) IS DISTINCT FROM (NEW.invoice_date, NEW.status, NEW.total_paise))
  EXECUTE FUNCTION invoices_row_keeps_totals();
