import { MessageOutlined } from '@ant-design/icons';
import { useCan, useGo } from '@refinedev/core';
import { Button } from 'antd';

/** "Open dispute" on a customer's, delivery's, order's or invoice's page: the form opens with the customer and the link filled in. */
export function OpenDisputeButton({ customerId, deliveryId, orderId, invoiceId }: { customerId: string; deliveryId?: string; orderId?: string; invoiceId?: string }) {
  const { data: can } = useCan({ resource: 'disputes', action: 'create' });
  const go = useGo();
  if (!can?.can) return null;
  const query: Record<string, string> = { customer_id: customerId };
  if (deliveryId) query.delivery_id = deliveryId;
  if (orderId) query.order_id = orderId;
  if (invoiceId) query.invoice_id = invoiceId;
  return (
    <Button icon={<MessageOutlined />} onClick={() => go({ to: '/disputes/create', query, type: 'push' })} data-testid="open-dispute">
      Open dispute
    </Button>
  );
}
