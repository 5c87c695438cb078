-- Issued invoices are immutable except the void transition, and their numbers are gapless by construction
-- (issue 9, items 6 and 7).

-- An issued invoice is not voided: no void reason, time or author until its status says void.
ALTER TABLE invoices ADD CONSTRAINT invoices_issued_not_voided
  CHECK (status = 'void' OR (void_reason IS NULL AND voided_at IS NULL AND voided_by IS NULL));
--> statement-breakpoint
-- The number is its series, financial year and sequence, never stored apart from them (GST Rule 46: MR/26-27/000123).
ALTER TABLE invoices ADD CONSTRAINT invoices_number_derived
  CHECK (number = series || '/' || financial_year || '/' || lpad(seq::text, 6, '0'));
--> statement-breakpoint
-- The financial year is the invoice date's: it starts on 1 April (the date is already the IST calendar day).
ALTER TABLE invoices ADD CONSTRAINT invoices_financial_year_of_date
  CHECK (financial_year = lpad((extract(year from invoice_date - interval '3 months')::int % 100)::text, 2, '0') || '-'
                          || lpad(((extract(year from invoice_date - interval '3 months')::int + 1) % 100)::text, 2, '0'));
--> statement-breakpoint
-- The only change an issued invoice takes is issued -> void, with its reason, time and author (then reissue).
-- Every other column is frozen, including any added later (a supplier snapshot, say): a migration that backfills
-- such a column on issued invoices must run with session_replication_role = replica, as this trigger refuses it.
CREATE OR REPLACE FUNCTION invoices_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'invoices cannot be deleted; void them'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'invoices_immutable';
  END IF;
  IF OLD.status = 'void'
     OR (NEW.status = 'issued' AND to_jsonb(NEW) <> to_jsonb(OLD))
     OR (to_jsonb(NEW) - 'status' - 'void_reason' - 'voided_at' - 'voided_by') <> (to_jsonb(OLD) - 'status' - 'void_reason' - 'voided_at' - 'voided_by') THEN
    RAISE EXCEPTION 'invoice % is issued and cannot change; void it and reissue', OLD.number
      USING ERRCODE = 'check_violation', CONSTRAINT = 'invoices_immutable';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
-- Lines are written with their invoice, in the transaction that issues it (issueInvoices: one statement), never
-- added later: not even a +/- pair that keeps the total. created_at = now() means "made by this transaction".
CREATE FUNCTION invoice_lines_insert_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  bad record;
BEGIN
  SELECT i.number INTO bad FROM new_lines n JOIN invoices i ON i.id = n.invoice_id WHERE i.created_at <> now() OR i.status <> 'issued' LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'invoice % is already issued: no line can be added', bad.number
      USING ERRCODE = 'check_violation', CONSTRAINT = 'invoices_immutable';
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER invoice_lines_insert_check AFTER INSERT ON invoice_lines
  REFERENCING NEW TABLE AS new_lines FOR EACH STATEMENT EXECUTE FUNCTION invoice_lines_insert_check();
--> statement-breakpoint
-- A billing record joins only an issued invoice of its own customer and period, made by this same transaction: an
-- invoice issued earlier takes no new record. The WHEN clause keeps a confirmation's inserts (no invoice) out of it.
CREATE OR REPLACE FUNCTION billing_records_invoice_customer_check() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM invoices i WHERE i.id = NEW.invoice_id AND i.customer_id = NEW.customer_id AND i.status = 'issued'
      AND NEW.service_date BETWEEN i.period_start AND i.period_end) THEN
    RAISE EXCEPTION 'billing record % cannot go on invoice %', NEW.id, NEW.invoice_id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'billing_records_invoice_matches';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM invoices i WHERE i.id = NEW.invoice_id AND i.created_at = now()) THEN
    RAISE EXCEPTION 'invoice % is already issued: no billing record can join it', NEW.invoice_id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'invoices_immutable';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
DROP TRIGGER billing_records_invoice_customer ON billing_records;
--> statement-breakpoint
CREATE TRIGGER billing_records_invoice_customer BEFORE INSERT OR UPDATE OF invoice_id ON billing_records
  FOR EACH ROW WHEN (NEW.invoice_id IS NOT NULL) EXECUTE FUNCTION billing_records_invoice_customer_check();
--> statement-breakpoint
-- Gapless numbering: a new invoice takes a number its series counter has handed out (seq < next_seq), right after
-- one already used (seq - 1 is on an invoice, or seq = 1). Checked once per statement over the new invoices.
CREATE FUNCTION invoices_seq_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  bad record;
BEGIN
  SELECT n.number INTO bad FROM new_invoices n
  LEFT JOIN document_series s ON s.series = n.series AND s.financial_year = n.financial_year
  WHERE s.next_seq IS NULL OR n.seq >= s.next_seq
     OR (n.seq > 1 AND NOT EXISTS (SELECT 1 FROM invoices p WHERE p.series = n.series AND p.financial_year = n.financial_year AND p.seq = n.seq - 1))
  LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'invoice % does not take the next number of its series', bad.number
      USING ERRCODE = 'check_violation', CONSTRAINT = 'invoices_seq_from_counter';
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER invoices_seq_from_counter AFTER INSERT ON invoices
  REFERENCING NEW TABLE AS new_invoices FOR EACH STATEMENT EXECUTE FUNCTION invoices_seq_check();
--> statement-breakpoint
-- At commit: a series counter has handed out exactly the numbers on its invoices (next_seq - 1 = the last one used),
-- so a number taken and not used (a gap) cannot be committed.
CREATE FUNCTION document_series_used_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  top int;
BEGIN
  SELECT max(seq) INTO top FROM invoices WHERE series = NEW.series AND financial_year = NEW.financial_year;
  IF coalesce(top, 0) <> NEW.next_seq - 1 THEN
    RAISE EXCEPTION 'series %/% has handed out % numbers but its last invoice is %', NEW.series, NEW.financial_year, NEW.next_seq - 1, coalesce(top, 0)
      USING ERRCODE = 'check_violation', CONSTRAINT = 'document_series_no_gap';
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER document_series_no_gap AFTER INSERT OR UPDATE ON document_series
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION document_series_used_check();
--> statement-breakpoint
-- A counter is never removed (its numbers would be handed out again).
CREATE FUNCTION document_series_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'series %/% cannot be removed', OLD.series, OLD.financial_year
    USING ERRCODE = 'check_violation', CONSTRAINT = 'document_series_no_gap';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER document_series_guard BEFORE DELETE ON document_series FOR EACH ROW EXECUTE FUNCTION document_series_guard();
