-- The webhook's commonest event, the capture of a payment Milkrun has not heard of yet for a known customer, wrote its
-- gateway payment twice: inserted, then updated with the payment it was recorded as. That update is never HOT (the
-- payment id is indexed), so it put every one of the table's thirteen index entries in again and re-ran the row's
-- foreign-key checks (a row inserted by the same transaction is always re-checked). Now the payment is recorded first
-- and the gateway payment inserted once, already naming it; its three audit rows go in one INSERT. Every rule stays
-- with the tables' constraints and triggers, which fire on these rows as before (gateway_payments_payment_check on the
-- insert instead of the update). The rows left are the same as before, but for the order of the audit rows' ids.
--
-- Two events of one gateway payment no longer meet first at its unique key: each takes a transaction advisory lock on
-- the gateway payment's id (after claiming its event id, so copies of an event still queue on the claim), and the
-- second sees what the first committed. The unique keys (gateway_payments_gateway_id_key,
-- payments_gateway_reference_key) still refuse a second gateway payment or payment of one id whatever the lock.

-- The money part of recording a captured gateway payment for a customer: the customer's money lock, the payment, its
-- allocations to the oldest open invoices, a wallet lot for what is left. Returns the rows as written (for the audit)
-- and what the money did. The callers write the gateway payment's link, the audit rows and the receipt.
CREATE FUNCTION record_gateway_capture(p_customer uuid, p_amount bigint, p_gateway_payment_id text, p_method text, p_received_on date, p_actor uuid,
  OUT payment_id uuid, OUT payment jsonb, OUT lot_id uuid, OUT lot jsonb, OUT allocated integer, OUT left_over bigint)
LANGUAGE plpgsql AS $$
DECLARE
  pay payments;
  made_lot wallet_lots;
  allocated_paise bigint;
BEGIN
  -- The customer's money lock (customer-lock.ts), taken before any of their invoices or lots.
  PERFORM 1 FROM customers c WHERE c.id = p_customer FOR NO KEY UPDATE;
  INSERT INTO payments (customer_id, amount_paise, method, reference, received_on, status, note, recorded_by)
  VALUES (p_customer, p_amount, 'gateway', p_gateway_payment_id, p_received_on, 'captured',
          'Razorpay ' || coalesce(p_method, 'payment') || ' (webhook)', p_actor)
  RETURNING * INTO pay;
  -- Oldest open invoices first, each as far as the money goes (allocations.service.ts allocatePayment): locked, then
  -- allocated in one statement; clock_timestamp() plus a microsecond per place keeps the order they settle in. With
  -- none open (a top-up, a customer paid up) there is nothing to allocate, and the allocating INSERT is not run.
  PERFORM 1 FROM invoices i WHERE i.customer_id = p_customer AND i.status = 'issued' AND i.balance_due_paise > 0
    ORDER BY i.due_date, i.invoice_date, i.number FOR UPDATE;
  allocated := 0;
  allocated_paise := 0;
  IF FOUND THEN
    WITH due_invoices AS (
      SELECT i.id, i.balance_due_paise AS due, row_number() OVER w AS place,
             coalesce(sum(i.balance_due_paise) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before
      FROM invoices i
      WHERE i.customer_id = p_customer AND i.status = 'issued' AND i.balance_due_paise > 0
      WINDOW w AS (ORDER BY i.due_date, i.invoice_date, i.number)
    ), made AS (
      INSERT INTO payment_allocations (customer_id, invoice_id, payment_id, amount_paise, created_by, created_at)
      SELECT p_customer, o.id, pay.id, least(o.due, p_amount - o.before), p_actor, clock_timestamp() + (o.place - 1) * interval '1 microsecond'
      FROM due_invoices o WHERE o.before < p_amount ORDER BY o.place
      RETURNING amount_paise
    )
    SELECT count(*)::integer, coalesce(sum(m.amount_paise), 0) INTO allocated, allocated_paise FROM made m;
  END IF;
  left_over := p_amount - allocated_paise;
  IF left_over > 0 THEN
    INSERT INTO wallet_lots (customer_id, source, amount_paise, remaining_paise, payment_id, note, created_by)
    VALUES (p_customer, 'overpayment', left_over, left_over, pay.id, 'Left over after settling open invoices', p_actor)
    RETURNING * INTO made_lot;
    lot_id := made_lot.id;
    lot := to_jsonb(made_lot);
  END IF;
  payment_id := pay.id;
  payment := to_jsonb(pay);
END;
$$;
--> statement-breakpoint
-- As in migration 0058 (assigning an unmatched payment, and a capture of a gateway payment already known), the money
-- part now in record_gateway_capture.
CREATE OR REPLACE FUNCTION record_gateway_payment(p_gateway_payment uuid, p_received_on date, p_amount_text text, p_actor uuid, p_request_id text)
RETURNS TABLE (recorded_payment uuid, audit_rows integer) LANGUAGE plpgsql AS $$
DECLARE
  gp gateway_payments;
  cap record;
BEGIN
  SELECT * INTO gp FROM gateway_payments g WHERE g.id = p_gateway_payment;
  IF NOT FOUND OR gp.status <> 'captured' OR gp.customer_id IS NULL OR gp.payment_id IS NOT NULL THEN
    RETURN QUERY SELECT NULL::uuid, 0;
    RETURN;
  END IF;
  SELECT * INTO cap FROM record_gateway_capture(gp.customer_id, gp.amount_paise, gp.gateway_payment_id, gp.method, p_received_on, p_actor);
  IF cap.lot_id IS NOT NULL THEN
    INSERT INTO audit_logs (user_id, action, table_name, record_id, after, request_id)
    VALUES (p_actor, 'credit', 'wallet-lots', cap.lot_id, cap.lot, p_request_id);
  END IF;
  UPDATE gateway_payments g SET payment_id = cap.payment_id, updated_at = now() WHERE g.id = gp.id;
  INSERT INTO audit_logs (user_id, action, table_name, record_id, after, request_id)
  VALUES (p_actor, 'create', 'payments', cap.payment_id,
          cap.payment || jsonb_build_object('gateway_payment', gp.gateway_payment_id, 'allocated', cap.allocated, 'credited_paise', cap.left_over),
          p_request_id);
  -- The receipt on WhatsApp (outbox.ts notifyCustomers): in the customer's language, once per payment.
  INSERT INTO notifications (channel, recipient, template, payload, language, dedupe_key, customer_id)
  SELECT 'whatsapp', c.phone, 'payment.received',
         jsonb_build_object('customer_name', c.name, 'amount', p_amount_text, 'method', 'online payment', 'received_on', p_received_on::text),
         c.language, 'payment-received:' || cap.payment_id, c.id
  FROM customers c WHERE c.id = gp.customer_id
  ON CONFLICT (dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING;
  RETURN QUERY SELECT cap.payment_id, CASE WHEN cap.left_over > 0 THEN 2 ELSE 1 END;
END;
$$;
--> statement-breakpoint
-- As in migration 0058, with the lock on the gateway payment's id and the capture recorded before its gateway payment
-- is first written (see the top of this file).
CREATE OR REPLACE FUNCTION gateway_payment_event(
  p_event_id text, p_event text, p_payload jsonb, p_gateway_refund_id text, p_target payment_status,
  p_gateway_payment_id text, p_amount bigint, p_method text, p_email text, p_contact text,
  p_customer_candidate uuid, p_notes_customer_id text, p_at timestamptz, p_failure_reason text,
  p_today date, p_amount_text text, p_actor uuid, p_request_id text)
RETURNS TABLE (duplicate boolean, event text, outcome gateway_event_outcome, detail text, audit_rows integer) LANGUAGE plpgsql AS $$
DECLARE
  claimed uuid;
  known uuid;
  gp gateway_payments;
  cap record;
  moved boolean := false;
  late_authorization boolean := false;
  recorded uuid;
  audits integer := 0;
  result_outcome gateway_event_outcome;
  result_detail text;
BEGIN
  INSERT INTO gateway_events (event_id, event, gateway_payment_id, gateway_refund_id, payload)
  VALUES (p_event_id, p_event, p_gateway_payment_id, p_gateway_refund_id, p_payload)
  ON CONFLICT (event_id) DO NOTHING
  RETURNING id INTO claimed;
  IF claimed IS NULL THEN
    -- Seen before: this statement's own snapshot shows the copy that committed first (the insert waited for it).
    RETURN QUERY SELECT true, e.event, e.outcome, 'Already received: nothing was done again.'::text, 0 FROM gateway_events e WHERE e.event_id = p_event_id;
    RETURN;
  END IF;
  -- One event of a gateway payment at a time ('GWPY', the id's hash): the next statement's snapshot shows what an
  -- earlier one committed. Taken after the claim, so a copy waiting for its claim never holds it.
  PERFORM pg_advisory_xact_lock(1196904537, hashtext(p_gateway_payment_id));
  SELECT c.id INTO known FROM customers c WHERE c.id = p_customer_candidate;
  SELECT * INTO gp FROM gateway_payments g WHERE g.gateway_payment_id = p_gateway_payment_id FOR UPDATE;
  IF NOT FOUND AND p_target = 'captured' AND known IS NOT NULL THEN
    -- New, captured, a known customer's: the payment first, then the gateway payment naming it, written once.
    SELECT * INTO cap FROM record_gateway_capture(known, p_amount, p_gateway_payment_id, p_method,
                                                  least((p_at AT TIME ZONE 'Asia/Kolkata')::date, p_today), p_actor);
    INSERT INTO gateway_payments (gateway_payment_id, status, amount_paise, method, email, contact, customer_id, notes_customer_id,
                                  payment_id, captured_at)
    VALUES (p_gateway_payment_id, 'captured', p_amount, p_method, p_email, p_contact, known, p_notes_customer_id, cap.payment_id, p_at)
    RETURNING * INTO gp;
    moved := true;
    recorded := cap.payment_id;
    -- The wallet lot's credit (when money was left over), the payment, the gateway payment's move: one statement.
    INSERT INTO audit_logs (user_id, action, table_name, record_id, after, request_id)
    SELECT p_actor, a.action, a.table_name, a.record_id, a.after, p_request_id
    FROM (VALUES (1, 'credit', 'wallet-lots', cap.lot_id, cap.lot),
                 (2, 'create', 'payments', cap.payment_id,
                  cap.payment || jsonb_build_object('gateway_payment', p_gateway_payment_id, 'allocated', cap.allocated, 'credited_paise', cap.left_over)),
                 (3, 'webhook:captured', 'gateway-payments', gp.id, to_jsonb(gp))) a(place, action, table_name, record_id, after)
    WHERE a.record_id IS NOT NULL
    ORDER BY a.place;
    audits := CASE WHEN cap.lot_id IS NOT NULL THEN 3 ELSE 2 END;
    -- The receipt on WhatsApp (outbox.ts notifyCustomers): in the customer's language, once per payment (the payment
    -- is this statement's own, so nothing can have queued its receipt: a plain insert, under the same unique key).
    INSERT INTO notifications (channel, recipient, template, payload, language, dedupe_key, customer_id)
    SELECT 'whatsapp', c.phone, 'payment.received',
           jsonb_build_object('customer_name', c.name, 'amount', p_amount_text, 'method', 'online payment',
                              'received_on', least((p_at AT TIME ZONE 'Asia/Kolkata')::date, p_today)::text),
           c.language, 'payment-received:' || cap.payment_id, c.id
    FROM customers c WHERE c.id = known;
  ELSE
    IF NOT FOUND THEN
      INSERT INTO gateway_payments (gateway_payment_id, status, amount_paise, method, email, contact, customer_id, notes_customer_id,
                                    authorized_at, captured_at, failed_at, failure_reason)
      VALUES (p_gateway_payment_id, p_target, p_amount, p_method, p_email, p_contact, known, p_notes_customer_id,
              CASE WHEN p_target = 'authorized' THEN p_at END, CASE WHEN p_target = 'captured' THEN p_at END,
              CASE WHEN p_target = 'failed' THEN p_at END, CASE WHEN p_target = 'failed' THEN p_failure_reason END)
      RETURNING * INTO gp;
      moved := true;
    ELSE
      -- Known already, under its row lock: forward only.
      moved := (gp.status = 'created' AND p_target IN ('authorized', 'captured', 'failed'))
            OR (gp.status = 'authorized' AND p_target IN ('captured', 'failed'));
      -- A late authorization keeps its time; the state stays where it is.
      late_authorization := NOT moved AND p_target = 'authorized' AND gp.authorized_at IS NULL AND gp.status IN ('authorized', 'captured', 'refunded');
      IF moved OR late_authorization OR (gp.customer_id IS NULL AND known IS NOT NULL) OR (gp.notes_customer_id IS NULL AND p_notes_customer_id IS NOT NULL) THEN
        UPDATE gateway_payments g SET
          status = CASE WHEN moved THEN p_target ELSE g.status END,
          authorized_at = CASE WHEN (moved OR late_authorization) AND p_target = 'authorized' THEN p_at ELSE g.authorized_at END,
          captured_at = CASE WHEN moved AND p_target = 'captured' THEN p_at ELSE g.captured_at END,
          failed_at = CASE WHEN moved AND p_target = 'failed' THEN p_at ELSE g.failed_at END,
          failure_reason = CASE WHEN moved AND p_target = 'failed' THEN p_failure_reason ELSE g.failure_reason END,
          customer_id = coalesce(g.customer_id, known),
          notes_customer_id = coalesce(g.notes_customer_id, p_notes_customer_id),
          updated_at = now()
        WHERE g.id = gp.id
        RETURNING * INTO gp;
      END IF;
    END IF;
    IF gp.status = 'captured' AND gp.customer_id IS NOT NULL AND gp.payment_id IS NULL THEN
      -- The receipt's amount is the gateway payment's; the API formatted the event's, which is the same but for an
      -- event contradicting what was paid (then plain rupees).
      SELECT r.recorded_payment, r.audit_rows INTO recorded, audits
      FROM record_gateway_payment(gp.id, least((gp.captured_at AT TIME ZONE 'Asia/Kolkata')::date, p_today),
                                  CASE WHEN gp.amount_paise = p_amount THEN p_amount_text ELSE '₹' || to_char(gp.amount_paise / 100.0, 'FM999999999990.00') END,
                                  p_actor, p_request_id) r;
    END IF;
    IF moved OR recorded IS NOT NULL THEN
      INSERT INTO audit_logs (user_id, action, table_name, record_id, after, request_id)
      VALUES (p_actor, 'webhook:' || p_target, 'gateway-payments', gp.id,
              to_jsonb(gp) || jsonb_build_object('payment_id', coalesce(recorded, gp.payment_id)), p_request_id);
      audits := audits + 1;
    END IF;
  END IF;
  IF NOT moved THEN
    result_outcome := 'stale';
    result_detail := format('Payment %s is already %s: a %s event changes nothing.', p_gateway_payment_id, gp.status, p_target);
  ELSIF gp.status = 'captured' AND gp.customer_id IS NULL THEN
    result_outcome := 'unmatched';
    result_detail := format('Payment %s names %s: kept for finance to assign.', p_gateway_payment_id,
                            CASE WHEN p_notes_customer_id IS NOT NULL THEN format('customer "%s", who is not one of ours', p_notes_customer_id) ELSE 'no customer' END);
  ELSE
    result_outcome := 'applied';
    result_detail := format('Payment %s is %s%s.', p_gateway_payment_id, gp.status, CASE WHEN recorded IS NOT NULL THEN ' and recorded for its customer' ELSE '' END);
  END IF;
  result_detail := left(result_detail, 500);
  UPDATE gateway_events e SET outcome = result_outcome, detail = result_detail WHERE e.id = claimed;
  RETURN QUERY SELECT false, p_event, result_outcome, result_detail, audits;
END;
$$;
