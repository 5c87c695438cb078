import { RollbackOutlined } from '@ant-design/icons';
import { useCan, useLink } from '@refinedev/core';
import { Button } from 'antd';

/**
 * "Request refund" on a payment's page: the refund form opened on this customer and payment. Shown to roles that may
 * ask for refunds, for money in hand (a captured payment; a cheque once cleared), as the database requires.
 */
export function RequestRefundButton({ payment }: { payment: { id: string; customer_id: string; status: string; cheque_status: string | null } }) {
  const Link = useLink();
  const { data: canCreate } = useCan({ resource: 'refunds', action: 'create' });
  const inHand = payment.status === 'captured' && (payment.cheque_status === null || payment.cheque_status === 'cleared');
  if (!canCreate?.can || !inHand) return null;
  return (
    <Link to={`/refunds/create?customer_id=${payment.customer_id}&payment_id=${payment.id}`}>
      <Button icon={<RollbackOutlined />} data-testid="request-refund">
        Request refund
      </Button>
    </Link>
  );
}
