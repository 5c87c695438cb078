import { useCan, useInvalidate } from '@refinedev/core';
import { Tag, Typography } from 'antd';
import { AssignToCustomer } from '../../components/AssignToCustomer';
import { formatPaise } from '../../format';

// Gateway payments, inferred from the API's response schemas (type-only: nothing of the server reaches the bundle).
import type { GatewayPayment } from '../../../../api/modules/gateway/gateway.schemas';

export type { GatewayPayment, GatewayPaymentDetail } from '../../../../api/modules/gateway/gateway.schemas';
export type GatewayStatus = GatewayPayment['status'];

const statusColors: Record<GatewayStatus, string> = { created: 'default', authorized: 'blue', captured: 'green', refunded: 'purple', failed: 'red' };
export const gatewayStatusOptions = (Object.keys(statusColors) as GatewayStatus[]).map((s) => ({ value: s, label: s }));
export const GatewayStatusTag = ({ status }: { status: GatewayStatus }) => <Tag color={statusColors[status]}>{status}</Tag>;

export const MatchTag = ({ payment }: { payment: Pick<GatewayPayment, 'customer_id' | 'notes_customer_id'> }) =>
  payment.customer_id ? <Tag color="green">matched</Tag> : <Tag color="orange">unmatched</Tag>;

const outcomeColors: Record<string, string> = { applied: 'green', stale: 'default', unmatched: 'orange', ignored: 'default', received: 'blue' };
export const OutcomeTag = ({ outcome }: { outcome: string }) => <Tag color={outcomeColors[outcome] ?? 'default'}>{outcome}</Tag>;

export const mono = { fontFamily: 'monospace', whiteSpace: 'nowrap' as const };

/**
 * Assign an unmatched gateway payment to its customer (finance): pick the customer, then confirm what it does (a
 * captured payment settles their oldest invoices, the rest wallet credit). Shown only to roles granted `assign`.
 */
export function AssignButton({ payment, size }: { payment: GatewayPayment; size?: 'small' | 'middle' }) {
  const { data: can } = useCan({ resource: 'gateway-payments', action: 'assign' });
  const invalidate = useInvalidate();
  if (!can?.can || payment.customer_id) return null;
  const captured = payment.status === 'captured' || payment.status === 'refunded';
  const paidBy = [payment.email, payment.contact].filter(Boolean);
  return (
    <AssignToCustomer
      url={`/gateway-payments/${payment.id}/assign`}
      title={`Assign ${payment.gateway_payment_id} (${formatPaise(payment.amount_paise)})`}
      assigned={(customer) => `${payment.gateway_payment_id} is ${customer}'s now.`}
      failed={`Could not assign ${payment.gateway_payment_id}`}
      warning={(customer) =>
        captured
          ? `${formatPaise(payment.amount_paise)} becomes ${customer}'s payment: it settles their oldest unpaid invoices first, the rest goes to their wallet. This cannot be undone here.`
          : `The payment becomes ${customer}'s; once captured it settles their oldest unpaid invoices. This cannot be undone here.`
      }
      refresh={() =>
        Promise.all([
          invalidate({ resource: 'gateway-payments', invalidates: ['list', 'many', 'detail'], id: payment.id }),
          invalidate({ resource: 'payments', invalidates: ['list'] }),
          invalidate({ resource: 'invoices', invalidates: ['list'] }),
        ])
      }
      size={size}
    >
      <Typography.Paragraph type="secondary">
        {payment.notes_customer_id ? `The payment's notes named "${payment.notes_customer_id}", who is not a customer here.` : "The payment's notes named no customer."}{' '}
        {paidBy.length ? `Paid by ${paidBy.join(', ')}.` : ''}
      </Typography.Paragraph>
    </AssignToCustomer>
  );
}
