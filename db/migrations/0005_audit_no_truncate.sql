-- TRUNCATE skips row triggers: refuse it too, so the audit log cannot be wiped in one statement.
CREATE TRIGGER audit_logs_no_truncate
  BEFORE TRUNCATE ON audit_logs
  FOR EACH STATEMENT EXECUTE FUNCTION audit_logs_refuse_change();
