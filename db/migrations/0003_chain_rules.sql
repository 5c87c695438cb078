-- Rules of the order -> delivery -> billing -> invoice chain that no CHECK or FK can state.
CREATE EXTENSION IF NOT EXISTS btree_gist;
--> statement-breakpoint
-- Two pauses of one subscription may not overlap.
ALTER TABLE subscription_pauses ADD CONSTRAINT subscription_pauses_no_overlap
  EXCLUDE USING gist (subscription_id WITH =, daterange(from_date, to_date, '[]') WITH &&);
--> statement-breakpoint
-- A delivery is not confirmed for a day that has not come yet (business day in IST), and an outcome is final.
CREATE FUNCTION deliveries_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.delivered_on IS NOT NULL AND NEW.delivered_on > (now() AT TIME ZONE 'Asia/Kolkata')::date THEN
    RAISE EXCEPTION 'delivery date % is in the future', NEW.delivered_on
      USING ERRCODE = 'check_violation', CONSTRAINT = 'deliveries_not_in_future';
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.status <> 'pending' AND (NEW.status, NEW.delivered_at, NEW.delivered_on) IS DISTINCT FROM (OLD.status, OLD.delivered_at, OLD.delivered_on) THEN
    RAISE EXCEPTION 'delivery % is already %', OLD.id, OLD.status
      USING ERRCODE = 'check_violation', CONSTRAINT = 'deliveries_outcome_final';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER deliveries_guard BEFORE INSERT OR UPDATE ON deliveries FOR EACH ROW EXECUTE FUNCTION deliveries_guard();
--> statement-breakpoint
-- Delivered quantities are recorded only on a confirmed delivery, and never changed or removed afterwards.
CREATE FUNCTION delivery_items_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    RAISE EXCEPTION 'delivered quantities cannot be changed'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'delivery_items_immutable';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER delivery_items_guard BEFORE UPDATE OR DELETE ON delivery_items FOR EACH ROW EXECUTE FUNCTION delivery_items_guard();
--> statement-breakpoint
-- At commit: every delivered item (quantity > 0) has its billing record, and its delivery is confirmed.
CREATE FUNCTION delivery_items_billed_check() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.id = NEW.delivery_id AND d.status IN ('delivered', 'partial')) THEN
    RAISE EXCEPTION 'delivery item % belongs to a delivery that is not confirmed', NEW.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'delivery_items_confirmed_delivery';
  END IF;
  IF NEW.quantity > 0 AND NOT EXISTS (SELECT 1 FROM billing_records b WHERE b.delivery_item_id = NEW.id) THEN
    RAISE EXCEPTION 'delivered item % has no billing record', NEW.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'delivery_items_billed';
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER delivery_items_billed AFTER INSERT ON delivery_items
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION delivery_items_billed_check();
--> statement-breakpoint
-- At commit: a confirmed delivery records a quantity for every item of its order.
CREATE FUNCTION deliveries_items_complete_check() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status IN ('delivered', 'partial') AND
     (SELECT count(*) FROM delivery_items di WHERE di.delivery_id = NEW.id) <>
     (SELECT count(*) FROM order_items oi WHERE oi.order_id = NEW.order_id) THEN
    RAISE EXCEPTION 'delivery % does not record every item of its order', NEW.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'deliveries_items_complete';
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER deliveries_items_complete AFTER INSERT OR UPDATE ON deliveries
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION deliveries_items_complete_check();
--> statement-breakpoint
-- Billing records are financial history: never deleted; only their invoice link moves (onto an issued invoice, or off a void one).
CREATE FUNCTION billing_records_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'billing records cannot be deleted'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'billing_records_immutable';
  END IF;
  IF (to_jsonb(NEW) - 'invoice_id') <> (to_jsonb(OLD) - 'invoice_id') THEN
    RAISE EXCEPTION 'billing records cannot be changed'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'billing_records_immutable';
  END IF;
  IF OLD.invoice_id IS NOT NULL AND NEW.invoice_id IS DISTINCT FROM OLD.invoice_id
     AND NOT EXISTS (SELECT 1 FROM invoices i WHERE i.id = OLD.invoice_id AND i.status = 'void') THEN
    RAISE EXCEPTION 'billing record % is on an issued invoice', OLD.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'billing_records_on_issued_invoice';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER billing_records_guard BEFORE UPDATE OR DELETE ON billing_records FOR EACH ROW EXECUTE FUNCTION billing_records_guard();
--> statement-breakpoint
-- An issued invoice is immutable: the only change allowed is issued -> void (then reissue).
CREATE FUNCTION invoices_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'invoices cannot be deleted; void them'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'invoices_immutable';
  END IF;
  IF OLD.status = 'void'
     OR (to_jsonb(NEW) - 'status' - 'void_reason' - 'voided_at' - 'voided_by') <> (to_jsonb(OLD) - 'status' - 'void_reason' - 'voided_at' - 'voided_by') THEN
    RAISE EXCEPTION 'invoice % is issued and cannot change; void it and reissue', OLD.number
      USING ERRCODE = 'check_violation', CONSTRAINT = 'invoices_immutable';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER invoices_guard BEFORE UPDATE OR DELETE ON invoices FOR EACH ROW EXECUTE FUNCTION invoices_guard();
--> statement-breakpoint
CREATE FUNCTION invoice_lines_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'invoice lines cannot change'
    USING ERRCODE = 'check_violation', CONSTRAINT = 'invoices_immutable';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER invoice_lines_guard BEFORE UPDATE OR DELETE ON invoice_lines FOR EACH ROW EXECUTE FUNCTION invoice_lines_guard();
--> statement-breakpoint
-- At commit: an invoice's totals equal the sum of its lines and of the billing records it carries.
CREATE FUNCTION invoices_totals_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  inv_id uuid;
  inv invoices%ROWTYPE;
  lines_total bigint;
  records_total bigint;
BEGIN
  IF TG_TABLE_NAME = 'invoices' THEN inv_id := NEW.id; ELSE inv_id := NEW.invoice_id; END IF;
  SELECT * INTO inv FROM invoices WHERE id = inv_id;
  IF inv.status = 'void' THEN RETURN NULL; END IF;
  SELECT coalesce(sum(total_paise), 0) INTO lines_total FROM invoice_lines WHERE invoice_id = inv_id;
  SELECT coalesce(sum(total_paise), 0) INTO records_total FROM billing_records WHERE invoice_id = inv_id;
  IF lines_total <> inv.total_paise OR records_total <> inv.total_paise THEN
    RAISE EXCEPTION 'invoice % total % differs from its lines (%) or billing records (%)', inv.number, inv.total_paise, lines_total, records_total
      USING ERRCODE = 'check_violation', CONSTRAINT = 'invoices_total_matches_lines';
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER invoices_total_matches_lines AFTER INSERT ON invoices
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION invoices_totals_check();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER invoice_lines_total_matches AFTER INSERT ON invoice_lines
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION invoices_totals_check();
--> statement-breakpoint
-- A billing record joins only an issued invoice of its own customer.
CREATE FUNCTION billing_records_invoice_customer_check() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.invoice_id IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM invoices i WHERE i.id = NEW.invoice_id AND i.customer_id = NEW.customer_id AND i.status = 'issued'
      AND NEW.service_date BETWEEN i.period_start AND i.period_end) THEN
    RAISE EXCEPTION 'billing record % cannot go on invoice %', NEW.id, NEW.invoice_id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'billing_records_invoice_matches';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER billing_records_invoice_customer BEFORE INSERT OR UPDATE OF invoice_id ON billing_records
  FOR EACH ROW EXECUTE FUNCTION billing_records_invoice_customer_check();
--> statement-breakpoint
INSERT INTO roles (name, description) SELECT 'delivery_staff', 'Own deliveries, through the API' WHERE NOT EXISTS (SELECT 1 FROM roles WHERE name = 'delivery_staff');
--> statement-breakpoint
INSERT INTO permissions (role_id, resource, action, conditions)
SELECT r.id, p.resource, p.action, p.conditions::jsonb
FROM (VALUES
  ('finance', 'subscriptions', 'list', NULL), ('finance', 'subscriptions', 'show', NULL),
  ('finance', 'orders', 'list', NULL), ('finance', 'orders', 'show', NULL),
  ('finance', 'order-items', 'list', NULL), ('finance', 'order-items', 'show', NULL),
  ('finance', 'deliveries', 'list', NULL), ('finance', 'deliveries', 'show', NULL),
  ('finance', 'billing-records', '*', NULL),
  ('finance', 'invoices', '*', NULL),
  ('finance', 'invoice-runs', '*', NULL),
  ('finance', 'data-health', 'list', NULL),
  ('finance', 'staff', 'list', NULL), ('finance', 'staff', 'show', NULL),
  ('support', 'subscriptions', '*', NULL),
  ('support', 'orders', 'list', NULL), ('support', 'orders', 'show', NULL), ('support', 'orders', 'create', NULL),
  ('support', 'order-items', 'list', NULL), ('support', 'order-items', 'show', NULL),
  ('support', 'deliveries', 'list', NULL), ('support', 'deliveries', 'show', NULL),
  ('support', 'billing-records', 'list', NULL), ('support', 'billing-records', 'show', NULL),
  ('support', 'invoices', 'list', NULL), ('support', 'invoices', 'show', NULL),
  ('support', 'staff', 'list', NULL), ('support', 'staff', 'show', NULL),
  ('manager', 'subscriptions', '*', NULL),
  ('manager', 'orders', '*', NULL),
  ('manager', 'order-items', 'list', NULL), ('manager', 'order-items', 'show', NULL),
  ('manager', 'deliveries', '*', NULL),
  ('manager', 'run-sheets', 'list', NULL),
  ('manager', 'staff', '*', NULL),
  ('manager', 'billing-records', 'list', NULL), ('manager', 'billing-records', 'show', NULL),
  ('manager', 'invoices', 'list', NULL), ('manager', 'invoices', 'show', NULL),
  ('manager', 'data-health', 'list', NULL),
  ('delivery_staff', 'deliveries', 'list', '{"own": true}'), ('delivery_staff', 'deliveries', 'show', '{"own": true}'),
  ('delivery_staff', 'deliveries', 'confirm', '{"own": true}'), ('delivery_staff', 'deliveries', 'fail', '{"own": true}'),
  ('delivery_staff', 'run-sheets', 'list', '{"own": true}')
) AS p(role, resource, action, conditions)
JOIN roles r ON r.name = p.role;
