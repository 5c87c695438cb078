-- A captured gateway payment of a known customer, recorded as their payment in one statement (issue 12's webhook
-- benchmark): the money lock, the payment, its allocations to the oldest open invoices, the wallet lot for what is
-- left, the gateway payment's link, their audit rows and the customer's receipt notice. The same statements the API
-- sent one round trip each (ten per captured event); every rule stays with the tables' triggers and constraints,
-- which fire here exactly as they did (SECURITY INVOKER: the caller's privileges). The caller holds the gateway
-- payment's row lock and decides the day it was received and the receipt's amount text.
CREATE FUNCTION record_gateway_payment(p_gateway_payment uuid, p_received_on date, p_amount_text text, p_actor uuid, p_request_id text)
RETURNS TABLE (recorded_payment uuid, audit_rows integer) LANGUAGE plpgsql AS $$
DECLARE
  gp gateway_payments;
  pay payments;
  lot wallet_lots;
  n_allocated integer;
  allocated bigint;
  left_over bigint;
BEGIN
  SELECT * INTO gp FROM gateway_payments g WHERE g.id = p_gateway_payment;
  IF NOT FOUND OR gp.status <> 'captured' OR gp.customer_id IS NULL OR gp.payment_id IS NOT NULL THEN
    RETURN QUERY SELECT NULL::uuid, 0;
    RETURN;
  END IF;
  -- The customer's money lock (customer-lock.ts), taken before any of their invoices or lots.
  PERFORM 1 FROM customers c WHERE c.id = gp.customer_id FOR NO KEY UPDATE;
  INSERT INTO payments (customer_id, amount_paise, method, reference, received_on, status, note, recorded_by)
  VALUES (gp.customer_id, gp.amount_paise, 'gateway', gp.gateway_payment_id, p_received_on, 'captured',
          'Razorpay ' || coalesce(gp.method, 'payment') || ' (webhook)', p_actor)
  RETURNING * INTO pay;
  -- Oldest open invoices first, each as far as the money goes (allocations.service.ts allocatePayment): locked, then
  -- allocated in one statement; clock_timestamp() plus a microsecond per place keeps the order they settle in.
  PERFORM 1 FROM invoices i WHERE i.customer_id = gp.customer_id AND i.status = 'issued' AND i.balance_due_paise > 0
    ORDER BY i.due_date, i.invoice_date, i.number FOR UPDATE;
  WITH due_invoices AS (
    SELECT i.id, i.balance_due_paise AS due, row_number() OVER w AS place,
           coalesce(sum(i.balance_due_paise) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before
    FROM invoices i
    WHERE i.customer_id = gp.customer_id AND i.status = 'issued' AND i.balance_due_paise > 0
    WINDOW w AS (ORDER BY i.due_date, i.invoice_date, i.number)
  ), made AS (
    INSERT INTO payment_allocations (customer_id, invoice_id, payment_id, amount_paise, created_by, created_at)
    SELECT gp.customer_id, o.id, pay.id, least(o.due, gp.amount_paise - o.before), p_actor, clock_timestamp() + (o.place - 1) * interval '1 microsecond'
    FROM due_invoices o WHERE o.before < gp.amount_paise ORDER BY o.place
    RETURNING amount_paise
  )
  SELECT count(*)::integer, coalesce(sum(m.amount_paise), 0) INTO n_allocated, allocated FROM made m;
  left_over := gp.amount_paise - allocated;
  IF left_over > 0 THEN
    INSERT INTO wallet_lots (customer_id, source, amount_paise, remaining_paise, payment_id, note, created_by)
    VALUES (gp.customer_id, 'overpayment', left_over, left_over, pay.id, 'Left over after settling open invoices', p_actor)
    RETURNING * INTO lot;
    INSERT INTO audit_logs (user_id, action, table_name, record_id, after, request_id)
    VALUES (p_actor, 'credit', 'wallet-lots', lot.id, to_jsonb(lot), p_request_id);
  END IF;
  UPDATE gateway_payments g SET payment_id = pay.id, updated_at = now() WHERE g.id = gp.id;
  INSERT INTO audit_logs (user_id, action, table_name, record_id, after, request_id)
  VALUES (p_actor, 'create', 'payments', pay.id,
          to_jsonb(pay) || jsonb_build_object('gateway_payment', gp.gateway_payment_id, 'allocated', n_allocated, 'credited_paise', left_over),
          p_request_id);
  -- The receipt on WhatsApp (outbox.ts notifyCustomers): in the customer's language, once per payment.
  INSERT INTO notifications (channel, recipient, template, payload, language, dedupe_key, customer_id)
  SELECT 'whatsapp', c.phone, 'payment.received',
         jsonb_build_object('customer_name', c.name, 'amount', p_amount_text, 'method', 'online payment', 'received_on', pay.received_on::text),
         c.language, 'payment-received:' || pay.id, c.id
  FROM customers c WHERE c.id = gp.customer_id
  ON CONFLICT (dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING;
  RETURN QUERY SELECT pay.id, CASE WHEN left_over > 0 THEN 2 ELSE 1 END;
END;
$$;
--> statement-breakpoint
-- One signed payment event (payment.authorized, .captured, .failed; INR, its entity already read by the API), applied
-- in one statement, so in one transaction: the event is claimed by its id first (a copy committed before makes the
-- insert do nothing, one in flight makes it wait for that one: then it answers duplicate with what the first did);
-- the gateway payment is written or moved forward only under its row lock (the trigger gateway_payments_guard refuses
-- any other move); a captured payment of a known customer is recorded (record_gateway_payment); the move is audited
-- and the event keeps its outcome. The same steps webhook.service.ts took one round trip each (about thirteen).
CREATE FUNCTION gateway_payment_event(
  p_event_id text, p_event text, p_payload jsonb, p_gateway_refund_id text, p_target payment_status,
  p_gateway_payment_id text, p_amount bigint, p_method text, p_email text, p_contact text,
  p_customer_candidate uuid, p_notes_customer_id text, p_at timestamptz, p_failure_reason text,
  p_today date, p_amount_text text, p_actor uuid, p_request_id text)
RETURNS TABLE (duplicate boolean, event text, outcome gateway_event_outcome, detail text, audit_rows integer) LANGUAGE plpgsql AS $$
DECLARE
  claimed uuid;
  known uuid;
  gp gateway_payments;
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
  SELECT c.id INTO known FROM customers c WHERE c.id = p_customer_candidate;
  INSERT INTO gateway_payments (gateway_payment_id, status, amount_paise, method, email, contact, customer_id, notes_customer_id,
                                authorized_at, captured_at, failed_at, failure_reason)
  VALUES (p_gateway_payment_id, p_target, p_amount, p_method, p_email, p_contact, known, p_notes_customer_id,
          CASE WHEN p_target = 'authorized' THEN p_at END, CASE WHEN p_target = 'captured' THEN p_at END,
          CASE WHEN p_target = 'failed' THEN p_at END, CASE WHEN p_target = 'failed' THEN p_failure_reason END)
  ON CONFLICT (gateway_payment_id) DO NOTHING
  RETURNING * INTO gp;
  IF gp.id IS NOT NULL THEN
    moved := true;
  ELSE
    -- Known already: under its row lock (two events of one payment at once queue here), forward only.
    SELECT * INTO gp FROM gateway_payments g WHERE g.gateway_payment_id = p_gateway_payment_id FOR UPDATE;
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
