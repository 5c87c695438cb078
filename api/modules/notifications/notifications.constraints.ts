import type { ConstraintMeanings } from '../../lib/constraints.js';

// Constraints of the notifications outbox, merged into the one table in api/lib/constraints.ts.
export const notificationConstraints: ConstraintMeanings = {
  notifications_user_id_fk: { status: 422, code: 'unknown_user', message: 'That user does not exist.' },
  notifications_customer_id_fk: { status: 422, code: 'unknown_customer', message: 'That customer does not exist.' },
  notifications_dedupe_key: { status: 409, code: 'duplicate', message: 'This notification was already written.' },
  notifications_recipient_valid: { status: 422, code: 'bad_recipient', message: 'A recipient is an email address or a phone number.' },
  notifications_template_valid: { status: 422, code: 'bad_template', message: 'A template name is lower-case letters, digits, dots, dashes and underscores.' },
  notifications_attempts_nonnegative: { status: 422, code: 'bad_notification', message: 'Attempts cannot be negative.' },
  notifications_sent_consistent: { status: 422, code: 'bad_notification', message: 'A sent notification has the time it was sent, and only it.' },
  notifications_dead_has_error: { status: 422, code: 'bad_notification', message: 'A notification given up on says why.' },
  notifications_sent_final: { status: 409, code: 'notification_sent', message: 'This message was sent: it stays sent.' },
  notifications_dead_replayed: { status: 409, code: 'notification_dead', message: 'A dead message is replayed (back to pending) before it is sent again.' },
  notifications_addressee_fixed: { status: 409, code: 'notification_addressee_fixed', message: 'A message keeps its recipient, customer and template.' },
  inbound_messages_provider_message_key: { status: 409, code: 'duplicate', message: 'This WhatsApp message was already received.' },
  inbound_messages_customer_fk: { status: 422, code: 'unknown_customer', message: 'That customer does not exist.' },
  inbound_messages_dispute_fk: { status: 422, code: 'unknown_dispute', message: "The message can only go to a dispute of the customer who sent it." },
  inbound_messages_assigned_by_fk: { status: 422, code: 'unknown_user', message: 'That user does not exist.' },
  inbound_messages_phone_valid: { status: 422, code: 'bad_phone', message: 'The sender is a phone number in international form (+91...).' },
  inbound_messages_body_length: { status: 422, code: 'bad_message', message: 'A message has 1 to 4,096 characters and an id of at most 200.' },
  inbound_messages_status_consistent: { status: 422, code: 'bad_inbound_message', message: 'An unmatched message has no customer; a matched one is in its dispute; an assigned one says who assigned it and when.' },
  inbound_messages_immutable: { status: 409, code: 'inbound_message_fixed', message: "A customer's message keeps what was sent, and stays in the thread it went to." },
  assignment_rotation_last_user_fk: { status: 422, code: 'unknown_user', message: 'That user does not exist.' },
  assignment_rotation_queue_known: { status: 422, code: 'bad_queue', message: 'Disputes are the one queue assigned round-robin.' },
};
