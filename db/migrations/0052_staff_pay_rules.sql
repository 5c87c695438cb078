-- Staff pay (issue 15), hand-written: the rules no CHECK or foreign key can state. Each trigger names the rule it
-- enforces (USING CONSTRAINT), which the API maps to a message and a test trips.

-- One card in force per zone and day (zone_id null: the default card, one of those per day too).
ALTER TABLE rate_cards ADD CONSTRAINT rate_cards_no_overlap
  EXCLUDE USING gist (coalesce(zone_id, '00000000-0000-0000-0000-000000000000'::uuid) WITH =, daterange(effective_from, effective_to, '[]') WITH &&);
--> statement-breakpoint
-- Why deliveries fail, and whose fault each reason is (data: admins may add more).
INSERT INTO failure_reasons (code, label, fault) VALUES
  ('customer_unavailable', 'Customer not at home / door locked', 'customer'),
  ('customer_refused', 'Customer refused the delivery', 'customer'),
  ('address_not_found', 'Address could not be found', 'customer'),
  ('out_of_stock', 'Product out of stock at the depot', 'business'),
  ('vehicle_breakdown', 'Vehicle broke down', 'business'),
  ('weather', 'Heavy rain or flooding', 'business'),
  ('missed_by_staff', 'Missed by the delivery person', 'staff'),
  ('damaged_in_transit', 'Damaged or spilt on the way', 'staff'),
  ('late_arrival', 'Arrived after the customer had left', 'staff')
ON CONFLICT DO NOTHING;
--> statement-breakpoint
-- The default card, for zones without one of their own: a confirmation always finds rates.
INSERT INTO rate_cards (zone_id, effective_from, base_per_drop_paise, per_litre_paise, on_time_bonus_paise, failure_deduction_paise, failed_attempt_paise, note)
VALUES (NULL, '2000-01-01', 1200, 150, 300, 2500, 500, 'Default for zones without a card of their own');
--> statement-breakpoint
-- Millilitres in one unit of a product, from its unit and size ("500 ml", "1 L"); 0 when not a liquid.
CREATE FUNCTION product_ml(unit text, unit_size text) RETURNS numeric LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN unit_size ~* '^\s*[0-9]+(\.[0-9]+)?\s*ml\s*$' THEN substring(unit_size from '[0-9]+(?:\.[0-9]+)?')::numeric
    WHEN unit_size ~* '^\s*[0-9]+(\.[0-9]+)?\s*(l|ltr|litre|liter)s?\s*$' THEN substring(unit_size from '[0-9]+(?:\.[0-9]+)?')::numeric * 1000
    WHEN unit = 'litre' AND trim(unit_size) = '' THEN 1000
    WHEN unit = 'ml' AND trim(unit_size) = '' THEN 1
    ELSE 0 END
$$;
--> statement-breakpoint
-- A failed delivery's reason code is part of its outcome: final once settled (like deliveries_outcome_final).
CREATE FUNCTION deliveries_failure_code_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status <> 'pending' AND NEW.failure_code IS DISTINCT FROM OLD.failure_code THEN
    RAISE EXCEPTION 'delivery % is already %: its failure reason is final', OLD.id, OLD.status
      USING ERRCODE = 'check_violation', CONSTRAINT = 'deliveries_failure_code_final';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER deliveries_failure_code_final BEFORE UPDATE OF failure_code ON deliveries FOR EACH ROW EXECUTE FUNCTION deliveries_failure_code_final();
--> statement-breakpoint
-- Who earns a settled delivery: the staff member whose login confirmed it (a reassigned delivery earns for whoever
-- confirmed it), else the one it was assigned to (a manager confirming on their behalf). Null: nobody to pay.
CREATE FUNCTION delivery_earner(d deliveries) RETURNS uuid LANGUAGE sql STABLE AS $$
  SELECT coalesce((SELECT s.id FROM staff s WHERE s.user_id = d.confirmed_by), d.staff_id)
$$;
--> statement-breakpoint
-- The card in force for a zone on a day: the zone's own, else the default.
CREATE FUNCTION rate_card_for(zone uuid, day date) RETURNS rate_cards LANGUAGE sql STABLE AS $$
  SELECT * FROM rate_cards r
  WHERE (r.zone_id = zone OR r.zone_id IS NULL) AND r.effective_from <= day AND (r.effective_to IS NULL OR r.effective_to >= day)
  ORDER BY r.zone_id IS NULL LIMIT 1
$$;
--> statement-breakpoint
-- Earnings of a settled delivery, at commit of the transaction that settled it (so its items, written in the same
-- transaction in any order, are there), at the card in force on its day. Raw SQL confirmations earn too.
--   delivered / partial: base, litres (when any were delivered), on_time (confirmed inside the shift's IST window on
--   the delivery date); failed: failure_deduction when the reason is the staff's fault, else attempt.
CREATE FUNCTION deliveries_earn() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  d deliveries;
  earner uuid;
  card rate_cards;
  o record;
  ml numeric;
  local_time time;
  on_time boolean;
BEGIN
  SELECT * INTO d FROM deliveries WHERE id = NEW.id;
  IF d.status = 'pending' THEN RETURN NULL; END IF;
  earner := delivery_earner(d);
  IF earner IS NULL THEN RETURN NULL; END IF;
  SELECT ord.delivery_date, ord.shift, c.zone_id INTO o FROM orders ord JOIN customers c ON c.id = ord.customer_id WHERE ord.id = d.order_id;
  card := rate_card_for(o.zone_id, d.delivered_on);
  IF d.status = 'failed' THEN
    IF (SELECT fault FROM failure_reasons WHERE code = d.failure_code) = 'staff' THEN
      INSERT INTO earnings_lines (staff_id, delivery_id, type, amount_paise, earned_on, rate_card_id)
      VALUES (earner, d.id, 'failure_deduction', -coalesce(card.failure_deduction_paise, 0), d.delivered_on, card.id);
    ELSE
      INSERT INTO earnings_lines (staff_id, delivery_id, type, amount_paise, earned_on, rate_card_id)
      VALUES (earner, d.id, 'attempt', coalesce(card.failed_attempt_paise, 0), d.delivered_on, card.id);
    END IF;
    RETURN NULL;
  END IF;
  INSERT INTO earnings_lines (staff_id, delivery_id, type, amount_paise, earned_on, rate_card_id)
  VALUES (earner, d.id, 'base', coalesce(card.base_per_drop_paise, 0), d.delivered_on, card.id);
  SELECT coalesce(sum(di.quantity * product_ml(p.unit::text, p.unit_size)), 0) INTO ml
  FROM delivery_items di JOIN order_items oi ON oi.id = di.order_item_id JOIN products p ON p.id = oi.product_id
  WHERE di.delivery_id = d.id;
  IF round(ml) > 0 THEN
    INSERT INTO earnings_lines (staff_id, delivery_id, type, amount_paise, earned_on, rate_card_id, quantity_ml)
    VALUES (earner, d.id, 'litres', round(ml * coalesce(card.per_litre_paise, 0) / 1000), d.delivered_on, card.id, round(ml));
  END IF;
  local_time := (d.delivered_at AT TIME ZONE 'Asia/Kolkata')::time;
  on_time := (d.delivered_at AT TIME ZONE 'Asia/Kolkata')::date = o.delivery_date AND CASE o.shift
    WHEN 'morning' THEN local_time >= coalesce(card.morning_start, '05:00') AND local_time < coalesce(card.morning_end, '08:00')
    ELSE local_time >= coalesce(card.evening_start, '17:00') AND local_time < coalesce(card.evening_end, '20:00') END;
  IF on_time THEN
    INSERT INTO earnings_lines (staff_id, delivery_id, type, amount_paise, earned_on, rate_card_id)
    VALUES (earner, d.id, 'on_time', coalesce(card.on_time_bonus_paise, 0), d.delivered_on, card.id);
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER deliveries_earn AFTER UPDATE OF status ON deliveries DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW WHEN (OLD.status = 'pending' AND NEW.status <> 'pending') EXECUTE FUNCTION deliveries_earn();
--> statement-breakpoint
-- Earnings lines are facts: never deleted, never changed except joining a draft batch's item and leaving a failed
-- or reversed one. A line of a delivery is bound to it: its earner, its day, a type its outcome earns.
CREATE FUNCTION earnings_lines_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  d deliveries;
  fault failure_fault;
  item record;
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'earnings line % is never deleted: correct it with an adjustment', OLD.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'earnings_lines_immutable';
  END IF;
  IF TG_OP = 'INSERT' THEN
    IF NEW.payout_item_id IS NOT NULL THEN
      RAISE EXCEPTION 'an earnings line starts unpaid'
        USING ERRCODE = 'check_violation', CONSTRAINT = 'earnings_lines_start_unpaid';
    END IF;
    IF NEW.delivery_id IS NOT NULL THEN
      SELECT * INTO d FROM deliveries WHERE id = NEW.delivery_id;
      IF NOT FOUND THEN RETURN NEW; END IF; -- earnings_lines_delivery_id_fk refuses it
      fault := (SELECT r.fault FROM failure_reasons r WHERE r.code = d.failure_code);
      IF d.status = 'pending' OR NEW.staff_id IS DISTINCT FROM delivery_earner(d) OR NEW.earned_on IS DISTINCT FROM d.delivered_on
         OR (d.status = 'failed' AND NOT ((NEW.type = 'failure_deduction' AND fault IS NOT DISTINCT FROM 'staff') OR (NEW.type = 'attempt' AND fault IS DISTINCT FROM 'staff')))
         OR (d.status IN ('delivered', 'partial') AND NEW.type NOT IN ('base', 'litres', 'on_time')) THEN
        RAISE EXCEPTION 'earnings line of delivery % (%): staff, day and type must be what its outcome earns', d.id, d.status
          USING ERRCODE = 'check_violation', CONSTRAINT = 'earnings_lines_bound_to_delivery';
      END IF;
    END IF;
    RETURN NEW;
  END IF;
  IF (NEW.id, NEW.staff_id, NEW.delivery_id, NEW.type, NEW.amount_paise, NEW.earned_on, NEW.rate_card_id, NEW.quantity_ml, NEW.reason, NEW.created_by, NEW.created_at)
     IS DISTINCT FROM (OLD.id, OLD.staff_id, OLD.delivery_id, OLD.type, OLD.amount_paise, OLD.earned_on, OLD.rate_card_id, OLD.quantity_ml, OLD.reason, OLD.created_by, OLD.created_at) THEN
    RAISE EXCEPTION 'earnings line % never changes: correct it with an adjustment', OLD.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'earnings_lines_immutable';
  END IF;
  IF NEW.payout_item_id IS NOT DISTINCT FROM OLD.payout_item_id THEN RETURN NEW; END IF;
  IF OLD.payout_item_id IS NOT NULL THEN
    -- Leaving an item: only once that transfer failed or was reversed (the money never reached them).
    SELECT status INTO item FROM payout_items WHERE id = OLD.payout_item_id;
    IF item.status NOT IN ('failed', 'reversed') OR NEW.payout_item_id IS NOT NULL THEN
      RAISE EXCEPTION 'earnings line % is in a live payout already (%): it is paid at most once', OLD.id, item.status
        USING ERRCODE = 'check_violation', CONSTRAINT = 'earnings_lines_one_live_batch';
    END IF;
    RETURN NEW;
  END IF;
  -- Joining an item: only of a draft batch (an approved batch is what the approver saw).
  IF (SELECT b.status FROM payout_batches b WHERE b.id = NEW.payout_batch_id) IS DISTINCT FROM 'draft' THEN
    RAISE EXCEPTION 'earnings line % can join only a draft payout batch', OLD.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'earnings_lines_join_draft_only';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER earnings_lines_guard BEFORE INSERT OR UPDATE OR DELETE ON earnings_lines FOR EACH ROW EXECUTE FUNCTION earnings_lines_guard();
--> statement-breakpoint
-- A rate change never changes what was earned: lines keep their amounts, and a card that has earned lines keeps its
-- zone, start and rates (a new card takes over from a later day); it may only be closed, not before its last line.
CREATE FUNCTION rate_cards_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  last_day date;
BEGIN
  SELECT max(earned_on) INTO last_day FROM earnings_lines WHERE rate_card_id = OLD.id;
  IF last_day IS NULL THEN RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END; END IF;
  IF TG_OP = 'DELETE' OR (NEW.zone_id, NEW.effective_from, NEW.base_per_drop_paise, NEW.per_litre_paise, NEW.on_time_bonus_paise, NEW.failure_deduction_paise,
      NEW.failed_attempt_paise, NEW.morning_start, NEW.morning_end, NEW.evening_start, NEW.evening_end)
     IS DISTINCT FROM (OLD.zone_id, OLD.effective_from, OLD.base_per_drop_paise, OLD.per_litre_paise, OLD.on_time_bonus_paise, OLD.failure_deduction_paise,
      OLD.failed_attempt_paise, OLD.morning_start, OLD.morning_end, OLD.evening_start, OLD.evening_end)
     OR (NEW.effective_to IS NOT NULL AND NEW.effective_to < last_day) THEN
    RAISE EXCEPTION 'rate card % has earned lines up to %: start a new card instead of changing it', OLD.id, last_day
      USING ERRCODE = 'check_violation', CONSTRAINT = 'rate_cards_frozen_once_used';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER rate_cards_guard BEFORE UPDATE OR DELETE ON rate_cards FOR EACH ROW EXECUTE FUNCTION rate_cards_guard();
--> statement-breakpoint
-- Batches: draft -> approved -> paid | failed | reversed, paid -> reversed; what was drafted never changes; never deleted.
CREATE FUNCTION payout_batches_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'payout batch % is never deleted', OLD.id USING ERRCODE = 'check_violation', CONSTRAINT = 'payout_batches_immutable';
  END IF;
  IF TG_OP = 'INSERT' THEN
    IF NEW.status <> 'draft' THEN
      RAISE EXCEPTION 'a payout batch starts as a draft' USING ERRCODE = 'check_violation', CONSTRAINT = 'payout_batches_status_forward';
    END IF;
    RETURN NEW;
  END IF;
  IF (NEW.month, NEW.period_end, NEW.created_by, NEW.created_at) IS DISTINCT FROM (OLD.month, OLD.period_end, OLD.created_by, OLD.created_at)
     OR (OLD.status <> 'draft' AND (NEW.total_paise, NEW.staff_count, NEW.approved_by, NEW.approved_at) IS DISTINCT FROM (OLD.total_paise, OLD.staff_count, OLD.approved_by, OLD.approved_at)) THEN
    RAISE EXCEPTION 'payout batch %: what was drafted and approved never changes', OLD.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'payout_batches_immutable';
  END IF;
  IF NEW.status <> OLD.status AND NOT (
       (OLD.status = 'draft' AND NEW.status = 'approved')
    OR (OLD.status = 'approved' AND NEW.status IN ('paid', 'failed', 'reversed'))
    OR (OLD.status = 'paid' AND NEW.status = 'reversed')) THEN
    RAISE EXCEPTION 'payout batch % cannot go from % to %', OLD.id, OLD.status, NEW.status
      USING ERRCODE = 'check_violation', CONSTRAINT = 'payout_batches_status_forward';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER payout_batches_guard BEFORE INSERT OR UPDATE OR DELETE ON payout_batches FOR EACH ROW EXECUTE FUNCTION payout_batches_guard();
--> statement-breakpoint
-- Items: added only to a draft; pending -> paid | failed once the batch is approved; paid -> reversed; the transfer
-- (staff, destination, amount) never changes; never deleted. A failed or reversed item lets its lines go (unpaid again).
CREATE FUNCTION payout_items_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  batch_status payout_batch_status;
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'payout item % is never deleted', OLD.id USING ERRCODE = 'check_violation', CONSTRAINT = 'payout_items_immutable';
  END IF;
  SELECT status INTO batch_status FROM payout_batches WHERE id = NEW.batch_id;
  IF NOT FOUND THEN RETURN NEW; END IF; -- payout_items_batch_id_fk refuses it
  IF TG_OP = 'INSERT' THEN
    IF batch_status IS DISTINCT FROM 'draft' OR NEW.status <> 'pending' THEN
      RAISE EXCEPTION 'payout items are added, pending, to a draft batch only' USING ERRCODE = 'check_violation', CONSTRAINT = 'payout_items_status_forward';
    END IF;
    RETURN NEW;
  END IF;
  IF (NEW.batch_id, NEW.staff_id, NEW.beneficiary_name, NEW.account_number, NEW.ifsc, NEW.upi_id, NEW.amount_paise, NEW.line_count, NEW.created_at)
     IS DISTINCT FROM (OLD.batch_id, OLD.staff_id, OLD.beneficiary_name, OLD.account_number, OLD.ifsc, OLD.upi_id, OLD.amount_paise, OLD.line_count, OLD.created_at)
     OR (OLD.status <> 'pending' AND NEW.status = OLD.status AND (NEW.bank_reference, NEW.failure_reason, NEW.paid_at, NEW.settled_by)
         IS DISTINCT FROM (OLD.bank_reference, OLD.failure_reason, OLD.paid_at, OLD.settled_by))
     OR (OLD.status = 'paid' AND NEW.status = 'reversed' AND (NEW.bank_reference, NEW.paid_at) IS DISTINCT FROM (OLD.bank_reference, OLD.paid_at)) THEN
    RAISE EXCEPTION 'payout item %: the transfer and its result never change', OLD.id USING ERRCODE = 'check_violation', CONSTRAINT = 'payout_items_immutable';
  END IF;
  IF NEW.status <> OLD.status AND NOT (
       (OLD.status = 'pending' AND NEW.status IN ('paid', 'failed') AND batch_status = 'approved')
    OR (OLD.status = 'paid' AND NEW.status = 'reversed')) THEN
    RAISE EXCEPTION 'payout item % cannot go from % to % (batch %)', OLD.id, OLD.status, NEW.status, batch_status
      USING ERRCODE = 'check_violation', CONSTRAINT = 'payout_items_status_forward';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER payout_items_guard BEFORE INSERT OR UPDATE OR DELETE ON payout_items FOR EACH ROW EXECUTE FUNCTION payout_items_guard();
--> statement-breakpoint
CREATE FUNCTION payout_items_release() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE earnings_lines SET payout_item_id = NULL, payout_batch_id = NULL WHERE payout_item_id = NEW.id;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER payout_items_release AFTER UPDATE OF status ON payout_items FOR EACH ROW
  WHEN (NEW.status IN ('failed', 'reversed') AND OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION payout_items_release();
--> statement-breakpoint
-- At commit: a live item (pending or paid) is exactly the sum and count of its lines; a failed or reversed one holds none.
CREATE FUNCTION payout_item_sum_error(item_id uuid) RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE
  it record;
  total bigint;
  lines int;
BEGIN
  IF item_id IS NULL THEN RETURN NULL; END IF;
  SELECT status, amount_paise, line_count INTO it FROM payout_items WHERE id = item_id;
  SELECT coalesce(sum(amount_paise), 0), count(*) INTO total, lines FROM earnings_lines WHERE payout_item_id = item_id;
  IF (it.status IN ('pending', 'paid') AND (total <> it.amount_paise OR lines <> it.line_count)) OR (it.status IN ('failed', 'reversed') AND lines > 0) THEN
    RETURN format('payout item %s (%s) pays %s paise for %s lines, but its lines come to %s paise in %s', item_id, it.status, it.amount_paise, it.line_count, total, lines);
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE FUNCTION payout_items_sum_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  problem text := payout_item_sum_error(NEW.id);
BEGIN
  IF problem IS NOT NULL THEN
    RAISE EXCEPTION '%', problem USING ERRCODE = 'check_violation', CONSTRAINT = 'payout_items_sum_of_lines';
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE FUNCTION earnings_lines_item_sum_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  problem text := coalesce(payout_item_sum_error(NEW.payout_item_id), payout_item_sum_error(OLD.payout_item_id));
BEGIN
  IF problem IS NOT NULL THEN
    RAISE EXCEPTION '%', problem USING ERRCODE = 'check_violation', CONSTRAINT = 'payout_items_sum_of_lines';
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER payout_items_sum_of_lines AFTER INSERT OR UPDATE ON payout_items DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION payout_items_sum_check();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER earnings_lines_sum_of_item AFTER UPDATE OF payout_item_id ON earnings_lines DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION earnings_lines_item_sum_check();
--> statement-breakpoint
-- Who may do what with staff pay: managers set rates, see and adjust earnings, draft and approve batches (never their
-- own: the CHECK payout_batches_four_eyes) and mark them paid; finance reads rates and earnings and works batches;
-- delivery staff see their own earnings (admin has '*').
INSERT INTO permissions (role_id, resource, action, conditions)
SELECT r.id, p.resource, p.action, p.conditions::jsonb
FROM (VALUES
  ('manager', 'rate-cards', 'list', NULL), ('manager', 'rate-cards', 'show', NULL), ('manager', 'rate-cards', 'create', NULL), ('manager', 'rate-cards', 'edit', NULL),
  ('manager', 'earnings', 'list', NULL), ('manager', 'earnings', 'show', NULL), ('manager', 'earnings', 'create', NULL),
  ('manager', 'payout-batches', 'list', NULL), ('manager', 'payout-batches', 'show', NULL), ('manager', 'payout-batches', 'create', NULL),
  ('manager', 'payout-batches', 'approve', NULL), ('manager', 'payout-batches', 'pay', NULL), ('manager', 'payout-batches', 'export', NULL),
  ('finance', 'rate-cards', 'list', NULL), ('finance', 'rate-cards', 'show', NULL),
  ('finance', 'earnings', 'list', NULL), ('finance', 'earnings', 'show', NULL),
  ('finance', 'payout-batches', 'list', NULL), ('finance', 'payout-batches', 'show', NULL), ('finance', 'payout-batches', 'create', NULL),
  ('finance', 'payout-batches', 'approve', NULL), ('finance', 'payout-batches', 'pay', NULL), ('finance', 'payout-batches', 'export', NULL),
  ('delivery_staff', 'earnings', 'list', '{"own": true}'), ('delivery_staff', 'earnings', 'show', '{"own": true}')
) AS p(role, resource, action, conditions)
JOIN roles r ON r.name = p.role
ON CONFLICT DO NOTHING;
