-- Earning set-based: the per-row deliveries_earn re-read each settled delivery, its order, card and items at commit and
-- inserted its lines one by one; the bench settles 47,000 deliveries of a day in one UPDATE and its commit took over
-- ten minutes. Same lines, same amounts, same rules (0052's deliveries_earn), now written by one INSERT ... SELECT per
-- transaction: a statement trigger queues the deliveries an UPDATE settles, and the first firing of the deferred
-- deliveries_earn at commit earns every queued one; the other firings find their delivery earned and return.

-- Deliveries settled in this transaction and not yet earned (empty outside a settling transaction).
CREATE TABLE "earnings_due" (
	"delivery_id" uuid PRIMARY KEY NOT NULL
);
--> statement-breakpoint
-- Earns the queued deliveries, settled and without lines yet, and empties the queue. Lines as 0052's deliveries_earn:
--   delivered / partial: base, litres (when any were delivered), on_time (confirmed inside the shift's IST window on
--   the delivery date); failed: failure_deduction when the reason is the staff's fault, else attempt.
-- earner = delivery_earner(), card = rate_card_for(zone, delivered_on) (once per zone and day), litres from product_ml().
-- The plan is cached once per session for a queue of any size (one delivery through the API, 47,000 in the bench):
-- each delivery's rows are index lookups (the OFFSET 0 keeps them per delivery), never a scan of deliveries, and
-- never compiled by JIT (its cost estimate for a queue of unknown size is above jit_above_cost: seconds per call).
CREATE FUNCTION earnings_earn_due() RETURNS void LANGUAGE plpgsql SET jit = off AS $$
BEGIN
  WITH due AS (
    DELETE FROM earnings_due RETURNING delivery_id
  ), d AS MATERIALIZED (
    SELECT d.*
    FROM due CROSS JOIN LATERAL (
      SELECT d.id, d.status, d.delivered_on, d.delivered_at, d.failure_code, delivery_earner(d) AS earner,
             o.delivery_date, o.shift, c.zone_id,
             CASE WHEN d.status <> 'failed' THEN (
               SELECT coalesce(sum(di.quantity * product_ml(p.unit::text, p.unit_size)), 0)
               FROM delivery_items di JOIN order_items oi ON oi.id = di.order_item_id JOIN products p ON p.id = oi.product_id
               WHERE di.delivery_id = d.id) END AS ml
      FROM deliveries d
      JOIN orders o ON o.id = d.order_id
      JOIN customers c ON c.id = o.customer_id
      WHERE d.id = due.delivery_id AND d.status <> 'pending'
        AND NOT EXISTS (SELECT 1 FROM earnings_lines e WHERE e.delivery_id = d.id)
      OFFSET 0
    ) d
  ), cards AS MATERIALIZED (
    SELECT k.zone_id, k.day, rate_card_for(k.zone_id, k.day) AS card
    FROM (SELECT DISTINCT zone_id, delivered_on AS day FROM d) k
  )
  INSERT INTO earnings_lines (staff_id, delivery_id, type, amount_paise, earned_on, rate_card_id, quantity_ml)
  SELECT d.earner, d.id, l.type, l.amount, d.delivered_on, (k.card).id, l.quantity_ml
  FROM d
  JOIN cards k ON k.zone_id IS NOT DISTINCT FROM d.zone_id AND k.day IS NOT DISTINCT FROM d.delivered_on
  LEFT JOIN failure_reasons fr ON fr.code = d.failure_code
  CROSS JOIN LATERAL (SELECT round(coalesce(d.ml, 0)) AS ml, (d.delivered_at AT TIME ZONE 'Asia/Kolkata') AS local) x
  CROSS JOIN LATERAL (VALUES
    ('base'::earnings_type, coalesce((k.card).base_per_drop_paise, 0)::numeric, NULL::numeric, d.status <> 'failed'),
    ('litres', round(coalesce(d.ml, 0) * coalesce((k.card).per_litre_paise, 0) / 1000), x.ml, d.status <> 'failed' AND x.ml > 0),
    ('on_time', coalesce((k.card).on_time_bonus_paise, 0), NULL, d.status <> 'failed' AND x.local::date = d.delivery_date AND CASE d.shift
      WHEN 'morning' THEN x.local::time >= coalesce((k.card).morning_start, '05:00') AND x.local::time < coalesce((k.card).morning_end, '08:00')
      ELSE x.local::time >= coalesce((k.card).evening_start, '17:00') AND x.local::time < coalesce((k.card).evening_end, '20:00') END),
    ('failure_deduction', -coalesce((k.card).failure_deduction_paise, 0), NULL, d.status = 'failed' AND fr.fault IS NOT DISTINCT FROM 'staff'),
    ('attempt', coalesce((k.card).failed_attempt_paise, 0), NULL, d.status = 'failed' AND fr.fault IS DISTINCT FROM 'staff')
  ) l(type, amount, quantity_ml, applies)
  WHERE d.earner IS NOT NULL AND l.applies;
END;
$$;
--> statement-breakpoint
-- One insert per UPDATE statement: the ids of the deliveries it took from pending to settled (transition tables are
-- refused on a trigger with a column list, hence every UPDATE; a statement settling nothing inserts nothing). Those
-- with lines already were earned by deliveries_earn set IMMEDIATE, whose row event fires before this one.
-- (OFFSET 0: an index probe per settled row, never a join over all lines, whatever the plan cached in the session.)
CREATE FUNCTION deliveries_queue_earning() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
BEGIN
  INSERT INTO earnings_due (delivery_id)
  SELECT n.id FROM settling_new n JOIN settling_old o ON o.id = n.id
  WHERE o.status = 'pending' AND n.status <> 'pending'
    AND NOT EXISTS (SELECT 1 FROM earnings_lines e WHERE e.delivery_id = n.id OFFSET 0)
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER deliveries_queue_earning AFTER UPDATE ON deliveries REFERENCING OLD TABLE AS settling_old NEW TABLE AS settling_new
  FOR EACH STATEMENT EXECUTE FUNCTION deliveries_queue_earning();
--> statement-breakpoint
-- At commit, per settled delivery (same trigger, same name, same WHEN as 0052): earned already (by the first firing of
-- this transaction, which earned the whole queue) is one index probe; otherwise earn the queue, with this delivery in
-- it (it is not queued yet when the constraint was set IMMEDIATE: the row event fires before the statement's queueing).
CREATE OR REPLACE FUNCTION deliveries_earn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM earnings_lines WHERE delivery_id = NEW.id) THEN RETURN NULL; END IF;
  INSERT INTO earnings_due (delivery_id) VALUES (NEW.id) ON CONFLICT DO NOTHING;
  PERFORM earnings_earn_due();
  RETURN NULL;
END;
$$;
--> statement-breakpoint
-- earnings_lines_guard's INSERT rules for all of a statement's lines in one query (the earning above inserts a day's
-- lines at once: per row this guard was most of its time). Same rules, same names; UPDATE and DELETE stay per row.
CREATE FUNCTION earnings_lines_check_inserted() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
DECLARE
  bad record;
BEGIN
  SELECT n.id INTO bad FROM inserted_lines n WHERE n.payout_item_id IS NOT NULL LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'an earnings line starts unpaid'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'earnings_lines_start_unpaid';
  END IF;
  -- Per line one lookup of its delivery (OFFSET 0), never a scan of deliveries, whatever the plan cached in the session.
  SELECT d.id, d.status INTO bad
  FROM inserted_lines n CROSS JOIN LATERAL (
    SELECT d.id, d.status, d.delivered_on, delivery_earner(d) AS earner, (SELECT r.fault FROM failure_reasons r WHERE r.code = d.failure_code) AS fault
    FROM deliveries d WHERE d.id = n.delivery_id OFFSET 0
  ) d
  WHERE n.delivery_id IS NOT NULL
    AND (d.status = 'pending' OR n.staff_id IS DISTINCT FROM d.earner OR n.earned_on IS DISTINCT FROM d.delivered_on
      OR (d.status = 'failed' AND NOT ((n.type = 'failure_deduction' AND d.fault IS NOT DISTINCT FROM 'staff') OR (n.type = 'attempt' AND d.fault IS DISTINCT FROM 'staff')))
      OR (d.status IN ('delivered', 'partial') AND n.type NOT IN ('base', 'litres', 'on_time')))
  LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'earnings line of delivery % (%): staff, day and type must be what its outcome earns', bad.id, bad.status
      USING ERRCODE = 'check_violation', CONSTRAINT = 'earnings_lines_bound_to_delivery';
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER earnings_lines_guard_insert AFTER INSERT ON earnings_lines REFERENCING NEW TABLE AS inserted_lines
  FOR EACH STATEMENT EXECUTE FUNCTION earnings_lines_check_inserted();
--> statement-breakpoint
DROP TRIGGER earnings_lines_guard ON earnings_lines;
--> statement-breakpoint
CREATE TRIGGER earnings_lines_guard BEFORE UPDATE OR DELETE ON earnings_lines FOR EACH ROW EXECUTE FUNCTION earnings_lines_guard();
