import type { ConstraintMeanings } from '../../lib/constraints.js';

// Constraints of the audit log, merged into the one table in api/lib/constraints.ts.
export const auditConstraints: ConstraintMeanings = {
  audit_logs_append_only: { status: 409, code: 'audit_append_only', message: 'The audit log cannot be changed.' },
};
