-- Inventory (issue 16): the ledger rules no CHECK can state, its append-only grants, and who may do what.

-- A batch's quantity is its ledger's sum: it starts at 0 and moves only when a stock_movements line is inserted (the
-- ledger trigger below updates it, one trigger level down). Product, depot and code never change.
CREATE FUNCTION stock_batches_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.quantity <> 0 THEN
      RAISE EXCEPTION 'a batch starts empty: stock comes through the ledger'
        USING ERRCODE = 'check_violation', CONSTRAINT = 'stock_batches_quantity_from_ledger';
    END IF;
    RETURN NEW;
  END IF;
  IF NEW.quantity <> OLD.quantity AND pg_trigger_depth() < 2 THEN
    RAISE EXCEPTION 'batch %: stock moves only with a ledger line', OLD.batch_code
      USING ERRCODE = 'check_violation', CONSTRAINT = 'stock_batches_quantity_from_ledger';
  END IF;
  IF NEW.product_id <> OLD.product_id OR NEW.depot_id <> OLD.depot_id OR NEW.batch_code <> OLD.batch_code THEN
    RAISE EXCEPTION 'batch %: its product, depot and code never change', OLD.batch_code
      USING ERRCODE = 'check_violation', CONSTRAINT = 'stock_batches_identity_fixed';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER stock_batches_guard BEFORE INSERT OR UPDATE ON stock_batches FOR EACH ROW EXECUTE FUNCTION stock_batches_guard();
--> statement-breakpoint
-- The ledger moves the batch in the same statement (the batch's quantity is the ledger's running total); stock_batches_quantity_nonnegative refuses a line that would take
-- a batch below zero, and the whole transaction with it.
CREATE FUNCTION stock_movements_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE stock_batches SET quantity = quantity + NEW.quantity, updated_at = now() WHERE id = NEW.batch_id;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER stock_movements_keeps_totals AFTER INSERT ON stock_movements FOR EACH ROW EXECUTE FUNCTION stock_movements_apply();
--> statement-breakpoint
CREATE FUNCTION stock_movements_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the stock ledger is append-only: record a correcting line instead'
    USING ERRCODE = 'check_violation', CONSTRAINT = 'stock_movements_append_only';
END $$;
--> statement-breakpoint
CREATE TRIGGER stock_movements_append_only BEFORE UPDATE OR DELETE ON stock_movements FOR EACH ROW EXECUTE FUNCTION stock_movements_append_only();
--> statement-breakpoint
-- A receipt is of its purchase order line's product, at the order's depot, while the order is out with the supplier.
CREATE FUNCTION stock_movements_receipt_matches() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ok boolean;
BEGIN
  -- A receipt without a line is stock_movements_receipt_has_line's to refuse.
  IF NEW.kind <> 'receipt' OR NEW.purchase_order_line_id IS NULL THEN RETURN NEW; END IF;
  SELECT l.product_id = NEW.product_id AND o.depot_id = NEW.depot_id AND o.status IN ('sent', 'partially_received', 'received')
    INTO ok
    FROM purchase_order_lines l JOIN purchase_orders o ON o.id = l.purchase_order_id
   WHERE l.id = NEW.purchase_order_line_id;
  -- No such line: stock_movements_po_line_fk refuses it.
  IF NOT FOUND THEN RETURN NEW; END IF;
  IF ok IS NOT TRUE THEN
    RAISE EXCEPTION 'a receipt is of its purchase order line''s product, at the order''s depot, once the order is sent'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'stock_movements_receipt_matches_order';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER stock_movements_receipt_matches BEFORE INSERT ON stock_movements FOR EACH ROW EXECUTE FUNCTION stock_movements_receipt_matches();
--> statement-breakpoint
-- A transfer is two lines of one product, out of one depot and into another, of the same quantity: checked at commit.
CREATE FUNCTION stock_movements_transfer_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  lines int; total int; products int; outs int; ins int; depots_out uuid; depots_in uuid;
BEGIN
  IF NEW.transfer_id IS NULL THEN RETURN NULL; END IF;
  SELECT count(*), sum(quantity), count(DISTINCT product_id), count(*) FILTER (WHERE kind = 'transfer_out'), count(*) FILTER (WHERE kind = 'transfer_in'),
         min(depot_id::text) FILTER (WHERE kind = 'transfer_out')::uuid, min(depot_id::text) FILTER (WHERE kind = 'transfer_in')::uuid
    INTO lines, total, products, outs, ins, depots_out, depots_in
    FROM stock_movements WHERE transfer_id = NEW.transfer_id;
  IF total <> 0 OR products <> 1 OR outs < 1 OR ins < 1 OR depots_out = depots_in
     OR EXISTS (SELECT 1 FROM stock_movements WHERE transfer_id = NEW.transfer_id GROUP BY kind HAVING count(DISTINCT depot_id) > 1) THEN
    RAISE EXCEPTION 'transfer %: what leaves one depot arrives at another, same product and quantity', NEW.transfer_id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'stock_movements_transfer_balanced';
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER stock_movements_transfer_balanced AFTER INSERT ON stock_movements DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION stock_movements_transfer_balanced();
--> statement-breakpoint
-- Purchase orders move forward only: draft -> approved -> sent -> partially_received -> received; cancelled from
-- draft, approved or sent. Supplier, depot, author and number never change.
CREATE FUNCTION purchase_orders_flow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.status <> 'draft' THEN
      RAISE EXCEPTION 'purchase order %: only a draft can be deleted (cancel it)', OLD.number
        USING ERRCODE = 'check_violation', CONSTRAINT = 'purchase_orders_status_flow';
    END IF;
    RETURN OLD;
  END IF;
  IF TG_OP = 'INSERT' THEN
    IF NEW.status <> 'draft' THEN
      RAISE EXCEPTION 'a purchase order starts as a draft' USING ERRCODE = 'check_violation', CONSTRAINT = 'purchase_orders_status_flow';
    END IF;
    RETURN NEW;
  END IF;
  IF NEW.supplier_id <> OLD.supplier_id OR NEW.depot_id <> OLD.depot_id OR NEW.created_by <> OLD.created_by OR NEW.number <> OLD.number THEN
    RAISE EXCEPTION 'purchase order %: supplier, depot and author never change', OLD.number
      USING ERRCODE = 'check_violation', CONSTRAINT = 'purchase_orders_status_flow';
  END IF;
  IF NEW.status <> OLD.status AND NOT (
       (OLD.status = 'draft' AND NEW.status IN ('approved', 'cancelled'))
    OR (OLD.status = 'approved' AND NEW.status IN ('sent', 'cancelled'))
    OR (OLD.status = 'sent' AND NEW.status IN ('partially_received', 'received', 'cancelled'))
    OR (OLD.status = 'partially_received' AND NEW.status = 'received')) THEN
    RAISE EXCEPTION 'purchase order % cannot move from % to %', OLD.number, OLD.status, NEW.status
      USING ERRCODE = 'check_violation', CONSTRAINT = 'purchase_orders_status_flow';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER purchase_orders_flow BEFORE INSERT OR UPDATE OR DELETE ON purchase_orders FOR EACH ROW EXECUTE FUNCTION purchase_orders_flow();
--> statement-breakpoint
-- A line's product, quantity and price are set while its order is a draft; what was received only while it is out
-- with the supplier, and only upwards (a receipt is never undone).
CREATE FUNCTION purchase_order_lines_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  st purchase_order_status;
BEGIN
  SELECT status INTO st FROM purchase_orders WHERE id = coalesce(NEW.purchase_order_id, OLD.purchase_order_id);
  IF TG_OP = 'DELETE' THEN
    IF st IS NOT NULL AND st <> 'draft' THEN
      RAISE EXCEPTION 'the lines of a purchase order are fixed once it is approved'
        USING ERRCODE = 'check_violation', CONSTRAINT = 'purchase_order_lines_frozen';
    END IF;
    RETURN OLD;
  END IF;
  IF TG_OP = 'INSERT' THEN
    IF st <> 'draft' OR NEW.quantity_accepted <> 0 OR NEW.quantity_rejected <> 0 THEN
      RAISE EXCEPTION 'lines are added to a draft purchase order, nothing received yet'
        USING ERRCODE = 'check_violation', CONSTRAINT = 'purchase_order_lines_frozen';
    END IF;
    RETURN NEW;
  END IF;
  IF (NEW.product_id, NEW.quantity, NEW.unit_price_paise, NEW.purchase_order_id) IS DISTINCT FROM (OLD.product_id, OLD.quantity, OLD.unit_price_paise, OLD.purchase_order_id) AND st <> 'draft' THEN
    RAISE EXCEPTION 'the lines of a purchase order are fixed once it is approved'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'purchase_order_lines_frozen';
  END IF;
  IF (NEW.quantity_accepted, NEW.quantity_rejected) IS DISTINCT FROM (OLD.quantity_accepted, OLD.quantity_rejected)
     AND (st NOT IN ('sent', 'partially_received') OR NEW.quantity_accepted < OLD.quantity_accepted OR NEW.quantity_rejected < OLD.quantity_rejected) THEN
    RAISE EXCEPTION 'goods are received against a sent purchase order, and a receipt is never undone'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'purchase_order_lines_frozen';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER purchase_order_lines_frozen BEFORE INSERT OR UPDATE OR DELETE ON purchase_order_lines FOR EACH ROW EXECUTE FUNCTION purchase_order_lines_frozen();
--> statement-breakpoint
-- Append-only for the application's role (0008_app_role.sql grants it the rest).
REVOKE UPDATE, DELETE ON stock_movements FROM milkrun_app;
--> statement-breakpoint
REVOKE DELETE ON stock_batches FROM milkrun_app;
--> statement-breakpoint
-- Who may do what: managers run inventory and buying (admin has '*'); finance reads suppliers and purchase orders.
INSERT INTO permissions (role_id, resource, action, conditions)
SELECT r.id, p.resource, p.action, NULL
FROM (VALUES
  ('manager', 'depots', 'list'), ('manager', 'depots', 'show'), ('manager', 'depots', 'create'), ('manager', 'depots', 'edit'),
  ('manager', 'suppliers', 'list'), ('manager', 'suppliers', 'show'), ('manager', 'suppliers', 'create'), ('manager', 'suppliers', 'edit'),
  ('manager', 'stock', 'list'),
  ('manager', 'stock-movements', 'list'), ('manager', 'stock-movements', 'show'), ('manager', 'stock-movements', 'create'),
  ('manager', 'forecast', 'list'), ('manager', 'reorder-proposals', 'list'),
  ('manager', 'purchase-orders', 'list'), ('manager', 'purchase-orders', 'show'), ('manager', 'purchase-orders', 'create'),
  ('manager', 'purchase-orders', 'approve'), ('manager', 'purchase-orders', 'send'), ('manager', 'purchase-orders', 'receive'),
  ('manager', 'purchase-orders', 'cancel'), ('manager', 'purchase-orders', 'pdf'),
  ('finance', 'suppliers', 'list'), ('finance', 'suppliers', 'show'),
  ('finance', 'purchase-orders', 'list'), ('finance', 'purchase-orders', 'show'), ('finance', 'purchase-orders', 'pdf')
) AS p(role, resource, action)
JOIN roles r ON r.name = p.role
ON CONFLICT DO NOTHING;
