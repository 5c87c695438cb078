import type { ConstraintMeanings } from '../../lib/constraints.js';

// Constraints of settlement reconciliation, merged into the one table in api/lib/constraints.ts.
export const settlementConstraints: ConstraintMeanings = {
  settlement_uploads_file_key: { status: 409, code: 'settlement_file_uploaded', message: 'This settlement file was uploaded already.' },
  settlement_uploads_uploaded_by_fk: { status: 422, code: 'unknown_user', message: 'That user does not exist.' },
  settlement_uploads_sha256_format: { status: 422, code: 'bad_settlement_file', message: "A settlement file is named and known by its SHA-256." },
  settlement_uploads_counts_valid: { status: 422, code: 'bad_settlement_file', message: "A settlement file's lines are matched, exceptions or skipped, and its sums are not negative." },
  settlement_lines_payment_key: { status: 409, code: 'payment_settled', message: 'This payment is in a settlement already.' },
  settlement_lines_upload_line_key: { status: 409, code: 'duplicate', message: 'This line of the file is recorded already.' },
  settlement_lines_upload_fk: { status: 422, code: 'unknown_settlement_file', message: 'That settlement file does not exist.' },
  settlement_lines_gateway_payment_fk: { status: 422, code: 'unknown_gateway_payment', message: 'That gateway payment does not exist.' },
  settlement_lines_amounts_valid: { status: 422, code: 'bad_amount', message: 'A settled amount is more than ₹0 and at most ₹1,00,00,000, and its fee and tax are not more than it.' },
  settlement_lines_text_valid: { status: 422, code: 'bad_settlement_line', message: 'A settlement line names its settlement (100 characters at most), UTR (50) and payment (100).' },
  settlement_lines_payment_when_known: { status: 422, code: 'bad_settlement_line', message: 'A settlement line names the gateway payment it settles unless the payment is unknown.' },
  settlement_lines_verdict: { status: 409, code: 'settlement_verdict', message: "A settlement line's verdict is what its payment says (captured and of its amount, or not); the payment changed meanwhile: upload it again." },
  settlement_rows_immutable: { status: 409, code: 'settlement_immutable', message: 'Settlement files and their lines are kept as uploaded.' },
  settlement_exceptions_line_key: { status: 409, code: 'duplicate', message: 'This line is in the exceptions queue already.' },
  settlement_exceptions_not_settled_key: { status: 409, code: 'duplicate', message: 'This payment is in the exceptions queue as not settled already.' },
  settlement_exceptions_line_fk: { status: 422, code: 'unknown_settlement_line', message: 'That settlement line does not exist.' },
  settlement_exceptions_gateway_payment_fk: { status: 422, code: 'unknown_gateway_payment', message: 'That gateway payment does not exist.' },
  settlement_exceptions_resolved_by_fk: { status: 422, code: 'unknown_user', message: 'That user does not exist.' },
  settlement_exceptions_subject: { status: 422, code: 'bad_exception', message: 'An exception names its settlement line, or for "not settled" its payment alone.' },
  settlement_exceptions_resolution_consistent: { status: 422, code: 'bad_resolution', message: 'A resolved exception says when and what was done (500 characters at most).' },
  settlement_exceptions_resolved_once: { status: 409, code: 'exception_resolved', message: 'An exception is resolved once and then stays; what it says never changes.' },
};
