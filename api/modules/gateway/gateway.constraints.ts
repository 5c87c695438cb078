import type { ConstraintMeanings } from '../../lib/constraints.js';

// Constraints of gateway payments and their events, merged into the one table in api/lib/constraints.ts.
export const gatewayConstraints: ConstraintMeanings = {
  gateway_payments_gateway_id_key: { status: 409, code: 'duplicate_gateway_payment', message: 'This gateway payment is already recorded.' },
  gateway_payments_payment_key: { status: 409, code: 'gateway_payment_recorded', message: 'This payment is already the record of another gateway payment.' },
  gateway_payments_customer_id_fk: { status: 422, code: 'unknown_customer', message: 'That customer does not exist.' },
  gateway_payments_payment_fk: { status: 422, code: 'gateway_payment_other_customer', message: "A gateway payment is recorded as a payment of its own customer." },
  gateway_payments_assigned_by_fk: { status: 422, code: 'unknown_user', message: 'That user does not exist.' },
  gateway_payments_amount_valid: { status: 422, code: 'bad_amount', message: 'A gateway payment is more than ₹0 and at most ₹1,00,00,000.' },
  gateway_payments_id_format: { status: 422, code: 'bad_gateway_id', message: "A gateway payment id is 1 to 100 characters." },
  gateway_payments_text_lengths: { status: 422, code: 'text_too_long', message: 'A text of the gateway payment is too long.' },
  gateway_payments_recorded_when_captured: { status: 409, code: 'gateway_payment_not_captured', message: 'A gateway payment is recorded as money in only once captured, and only for a customer.' },
  gateway_payments_dates_follow_status: { status: 422, code: 'bad_gateway_dates', message: "A gateway payment's capture and failure times follow its state." },
  gateway_payments_assignment_consistent: { status: 422, code: 'bad_assignment', message: 'An assignment names its customer and who made it.' },
  gateway_payments_immutable: { status: 409, code: 'gateway_payment_immutable', message: "What the gateway said was paid, the customer it went to and the payment it became never change; gateway payments are never deleted." },
  gateway_payments_status_forward: { status: 409, code: 'gateway_status_backwards', message: 'A gateway payment only moves forward (created, authorized, captured, refunded; or failed).' },
  gateway_payments_payment_matches: { status: 409, code: 'gateway_payment_mismatch', message: 'A gateway payment is recorded as a gateway payment of the same id and amount.' },
  gateway_events_event_id_key: { status: 409, code: 'duplicate_event', message: 'This gateway event was already received.' },
  gateway_events_text_lengths: { status: 422, code: 'text_too_long', message: 'A text of the gateway event is too long.' },
  gateway_events_append_only: { status: 409, code: 'gateway_event_immutable', message: 'Gateway events are kept as received; only their outcome is written, once.' },
  payments_gateway_reference_key: { status: 409, code: 'duplicate_gateway_payment', message: 'This gateway payment (its pay_ id) is already recorded.' },
};
