-- Audit rows written before the audit writer masked payout details held staff bank account numbers and UPI ids in
-- full, readable by roles that may not see them: they are masked to the last four as new rows are (api/lib/
-- payout-details.ts). Only staff rows ever carried them. The append-only trigger is lifted for this one UPDATE,
-- inside the migration's transaction, and put back before it commits.
CREATE FUNCTION audit_mask_payout_details(j jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN jsonb_typeof(j) IS DISTINCT FROM 'object' THEN j ELSE j || jsonb_strip_nulls(jsonb_build_object(
    'bank_account_number', CASE WHEN jsonb_typeof(j->'bank_account_number') = 'string' THEN '••••' || right(j->>'bank_account_number', 4) END,
    'account_number', CASE WHEN jsonb_typeof(j->'account_number') = 'string' THEN '••••' || right(j->>'account_number', 4) END,
    'upi_id', CASE WHEN jsonb_typeof(j->'upi_id') = 'string' THEN
      CASE WHEN position('@' IN j->>'upi_id') > 0
        THEN '••••' || right(split_part(j->>'upi_id', '@', 1), 4) || '@' || split_part(j->>'upi_id', '@', 2)
        ELSE '••••' || right(j->>'upi_id', 4) END END)) END
$$;
--> statement-breakpoint
ALTER TABLE audit_logs DISABLE TRIGGER audit_logs_append_only;
--> statement-breakpoint
UPDATE audit_logs SET before = audit_mask_payout_details(before), after = audit_mask_payout_details(after)
WHERE table_name = 'staff'
  AND (before ?| array['bank_account_number', 'account_number', 'upi_id'] OR after ?| array['bank_account_number', 'account_number', 'upi_id']);
--> statement-breakpoint
ALTER TABLE audit_logs ENABLE TRIGGER audit_logs_append_only;
--> statement-breakpoint
DROP FUNCTION audit_mask_payout_details(jsonb);
