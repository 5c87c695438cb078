-- The chain's last loose links (issue 9, items 4 and 5): a billing record is bound to its delivered item, and
-- statuses follow the facts. Hot paths stay cheap: the insert checks are statement-level over the transition
-- table (one set-based query per statement, not one call per row), and row triggers carry a WHEN clause so the
-- writes a confirmation or a generation run makes never enter PL/pgSQL for them.

-- A billing record names the order, customer, product, price and service date of its delivered item's order item
-- and delivery, and the product's HSN and GST rate at the moment it is written (the rate of the supply). Its
-- quantity and delivered item are bound by billing_records_delivery_item_fk; once written, billing_records_guard
-- refuses every change but the invoice link, so it can never be rebound to another customer's order.
CREATE FUNCTION billing_records_match_delivery_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  bad record;
BEGIN
  SELECT n.id INTO bad
  FROM new_records n
  JOIN delivery_items di ON di.id = n.delivery_item_id
  JOIN order_items oi ON oi.id = di.order_item_id
  JOIN orders o ON o.id = di.order_id
  JOIN deliveries d ON d.id = di.delivery_id
  JOIN products p ON p.id = oi.product_id
  WHERE (n.order_id, n.customer_id, n.product_id, n.unit_price_paise, n.service_date, n.hsn_code, n.gst_rate_bp)
        IS DISTINCT FROM (di.order_id, o.customer_id, oi.product_id, oi.unit_price_paise, d.delivered_on, p.hsn_code, p.gst_rate_bp)
  LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'billing record % does not match its delivered item (order, customer, product, price, tax or date)', bad.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'billing_records_match_delivery';
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER billing_records_match_delivery AFTER INSERT ON billing_records
  REFERENCING NEW TABLE AS new_records FOR EACH STATEMENT EXECUTE FUNCTION billing_records_match_delivery_check();
--> statement-breakpoint
-- A delivery: not in the future; never deleted (cancel its order instead); always of the order it was made for;
-- and once it has an outcome, that outcome and its proof (time, position, note, reason, who confirmed, who
-- delivered) are final.
CREATE OR REPLACE FUNCTION deliveries_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'delivery % cannot be deleted; cancel its order instead', OLD.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'deliveries_not_deleted';
  END IF;
  IF NEW.delivered_on IS NOT NULL AND NEW.delivered_on > (now() AT TIME ZONE 'Asia/Kolkata')::date THEN
    RAISE EXCEPTION 'delivery date % is in the future', NEW.delivered_on
      USING ERRCODE = 'check_violation', CONSTRAINT = 'deliveries_not_in_future';
  END IF;
  IF TG_OP = 'UPDATE' THEN
    IF (NEW.order_id, NEW.order_date) IS DISTINCT FROM (OLD.order_id, OLD.order_date) THEN
      RAISE EXCEPTION 'delivery % belongs to its order for good', OLD.id
        USING ERRCODE = 'check_violation', CONSTRAINT = 'deliveries_order_fixed';
    END IF;
    IF OLD.status <> 'pending' AND (NEW.status, NEW.delivered_at, NEW.delivered_on, NEW.lat, NEW.lng, NEW.proof_note, NEW.failure_reason, NEW.confirmed_by, NEW.staff_id)
       IS DISTINCT FROM (OLD.status, OLD.delivered_at, OLD.delivered_on, OLD.lat, OLD.lng, OLD.proof_note, OLD.failure_reason, OLD.confirmed_by, OLD.staff_id) THEN
      RAISE EXCEPTION 'delivery % is already %: its outcome and proof are final', OLD.id, OLD.status
        USING ERRCODE = 'check_violation', CONSTRAINT = 'deliveries_outcome_final';
    END IF;
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
DROP TRIGGER deliveries_guard ON deliveries;
--> statement-breakpoint
CREATE TRIGGER deliveries_guard BEFORE INSERT OR UPDATE OR DELETE ON deliveries FOR EACH ROW EXECUTE FUNCTION deliveries_guard();
--> statement-breakpoint
-- At commit, for a delivery with an outcome: it records every item of its order; 'delivered' means every item in
-- full, 'partial' some but not all of it (never nothing: that is a failed delivery); and its order carries the
-- matching status. Pending deliveries (a generation run makes thousands) queue nothing: see the WHEN below.
CREATE OR REPLACE FUNCTION deliveries_items_complete_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ordered int;
  recorded int;
  full_items int;
  some_items int;
  order_status order_status;
BEGIN
  SELECT status INTO order_status FROM orders WHERE id = NEW.order_id;
  IF order_status IS DISTINCT FROM (CASE NEW.status WHEN 'delivered' THEN 'delivered' WHEN 'partial' THEN 'partially_delivered' WHEN 'failed' THEN 'failed' END)::order_status THEN
    RAISE EXCEPTION 'delivery % is % but its order is %', NEW.id, NEW.status, order_status
      USING ERRCODE = 'check_violation', CONSTRAINT = 'deliveries_order_status_matches';
  END IF;
  IF NEW.status NOT IN ('delivered', 'partial') THEN RETURN NULL; END IF;
  SELECT count(*), count(di.id), count(*) FILTER (WHERE di.quantity = oi.quantity), count(*) FILTER (WHERE di.quantity > 0)
    INTO ordered, recorded, full_items, some_items
  FROM order_items oi LEFT JOIN delivery_items di ON di.order_item_id = oi.id AND di.delivery_id = NEW.id
  WHERE oi.order_id = NEW.order_id;
  IF recorded <> ordered OR recorded <> (SELECT count(*) FROM delivery_items WHERE delivery_id = NEW.id) THEN
    RAISE EXCEPTION 'delivery % does not record every item of its order', NEW.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'deliveries_items_complete';
  END IF;
  IF (NEW.status = 'delivered' AND full_items <> ordered) OR (NEW.status = 'partial' AND (some_items = 0 OR full_items = ordered)) THEN
    RAISE EXCEPTION 'delivery % is % but its quantities say otherwise', NEW.id, NEW.status
      USING ERRCODE = 'check_violation', CONSTRAINT = 'deliveries_quantities_match_status';
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
DROP TRIGGER deliveries_items_complete ON deliveries;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER deliveries_items_complete AFTER INSERT OR UPDATE ON deliveries
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.status <> 'pending') EXECUTE FUNCTION deliveries_items_complete_check();
--> statement-breakpoint
-- At commit, for an order whose status changed (or that was written settled, as the legacy import does): a
-- delivered, partially delivered or failed order has its delivery with that outcome, and a pending or cancelled
-- one has no outcome yet. So an order is settled only through its delivery.
CREATE FUNCTION orders_status_matches_delivery_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  outcome delivery_status;
BEGIN
  SELECT d.status INTO outcome FROM deliveries d WHERE d.order_id = NEW.id;
  IF (NEW.status IN ('pending', 'cancelled') AND coalesce(outcome, 'pending') <> 'pending')
     OR (NEW.status NOT IN ('pending', 'cancelled') AND outcome IS DISTINCT FROM
         (CASE NEW.status WHEN 'delivered' THEN 'delivered' WHEN 'partially_delivered' THEN 'partial' ELSE 'failed' END)::delivery_status) THEN
    RAISE EXCEPTION 'order % is % but its delivery is %', NEW.id, NEW.status, coalesce(outcome::text, 'missing')
      USING ERRCODE = 'check_violation', CONSTRAINT = 'orders_status_matches_delivery';
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER orders_status_matches_delivery AFTER UPDATE OF status ON orders
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION orders_status_matches_delivery_check();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER orders_settled_on_insert AFTER INSERT ON orders
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.status NOT IN ('pending', 'cancelled')) EXECUTE FUNCTION orders_status_matches_delivery_check();
--> statement-breakpoint
-- An order keeps its customer, kind, subscription, date and shift for good; a settled order (delivered, partially
-- delivered, failed) never changes again; a subscription order moves only to its subscription's address (when the
-- subscription moves; reconcileOrders). The WHEN clause lets a confirmation's status update through untouched.
CREATE FUNCTION orders_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.customer_id, NEW.kind, NEW.subscription_id, NEW.delivery_date, NEW.shift)
     IS DISTINCT FROM (OLD.customer_id, OLD.kind, OLD.subscription_id, OLD.delivery_date, OLD.shift) THEN
    RAISE EXCEPTION 'order % keeps its customer, kind, subscription, date and shift', OLD.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'orders_fixed';
  END IF;
  IF OLD.status IN ('delivered', 'partially_delivered', 'failed')
     AND (NEW.status, NEW.address_id, NEW.total_paise, NEW.payment_method) IS DISTINCT FROM (OLD.status, OLD.address_id, OLD.total_paise, OLD.payment_method) THEN
    RAISE EXCEPTION 'order % is already %: it cannot change', OLD.id, OLD.status
      USING ERRCODE = 'check_violation', CONSTRAINT = 'orders_outcome_final';
  END IF;
  IF NEW.subscription_id IS NOT NULL AND NEW.address_id IS DISTINCT FROM OLD.address_id
     AND NOT EXISTS (SELECT 1 FROM subscriptions s WHERE s.id = NEW.subscription_id AND s.address_id = NEW.address_id) THEN
    RAISE EXCEPTION 'subscription order % can only move to its subscription''s address', OLD.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'orders_subscription_address';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER orders_guard BEFORE UPDATE ON orders FOR EACH ROW
  WHEN (OLD.status IN ('delivered', 'partially_delivered', 'failed')
        OR (NEW.customer_id, NEW.kind, NEW.subscription_id, NEW.delivery_date, NEW.shift, NEW.address_id)
           IS DISTINCT FROM (OLD.customer_id, OLD.kind, OLD.subscription_id, OLD.delivery_date, OLD.shift, OLD.address_id))
  EXECUTE FUNCTION orders_guard();
--> statement-breakpoint
-- Items of an order whose delivery has an outcome are history: none added, changed or removed. An item never
-- moves to another order or product. Inserts are checked once per statement (a generation run inserts thousands).
CREATE FUNCTION order_items_insert_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  bad record;
BEGIN
  SELECT n.order_id INTO bad FROM new_items n JOIN deliveries d ON d.order_id = n.order_id WHERE d.status <> 'pending' LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'order % is already settled: no item can be added', bad.order_id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'order_items_order_settled';
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER order_items_insert_check AFTER INSERT ON order_items
  REFERENCING NEW TABLE AS new_items FOR EACH STATEMENT EXECUTE FUNCTION order_items_insert_check();
--> statement-breakpoint
CREATE FUNCTION order_items_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND (NEW.order_id, NEW.product_id) IS DISTINCT FROM (OLD.order_id, OLD.product_id) THEN
    RAISE EXCEPTION 'order item % keeps its order and product', OLD.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'order_items_fixed';
  END IF;
  IF EXISTS (SELECT 1 FROM deliveries d WHERE d.order_id = OLD.order_id AND d.status <> 'pending') THEN
    RAISE EXCEPTION 'order % is already settled: its items cannot change', OLD.order_id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'order_items_order_settled';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER order_items_guard BEFORE UPDATE OR DELETE ON order_items FOR EACH ROW EXECUTE FUNCTION order_items_guard();
