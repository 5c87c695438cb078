import { StopOutlined } from '@ant-design/icons';
import { Show, useTable } from '@refinedev/antd';
import { OpenDisputeButton } from '../disputes/open-button';
import { type HttpError, useCan, useCustomMutation, useInvalidate, useLink, useOne, useShow } from '@refinedev/core';
import { Button, Card, Descriptions, Empty, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { DateTime } from '../../components/DateTime';
import { Money } from '../../components/Money';
import { QueryError } from '../../components/QueryError';
import type { Address } from '../../types';
import { addressLabel, formatDay } from './pickers';
import { DeliveryStatusTag, KindTag, OrderStatusTag, paymentMethodOptions, ShiftTag } from './tags';
import type { Order, OrderItem } from './types';
import { ReasonModal } from '../../components/ReasonModal';

export function OrderShow() {
  const Link = useLink();
  const { query, result: o } = useShow<Order>();
  const { result: address } = useOne<Address>({ resource: 'addresses', id: o?.address_id ?? '', queryOptions: { enabled: Boolean(o?.address_id) } });
  const { data: canCancel } = useCan({ resource: 'orders', action: 'cancel' });
  const [cancelling, setCancelling] = useState(false);
  // The API cancels only a pending order whose delivery is still pending.
  const cancellable = o?.status === 'pending' && (o.delivery_status === null || o.delivery_status === 'pending');

  return (
    <Show
      isLoading={query.isLoading}
      title={o ? `Order for ${o.customer_name}, ${formatDay(o.delivery_date)}` : 'Order'}
      headerButtons={({ defaultButtons }) => (
        <>
          {o && <OpenDisputeButton customerId={o.customer_id} orderId={o.id} />}
          {cancellable && canCancel?.can && (
            <Button danger icon={<StopOutlined />} onClick={() => setCancelling(true)}>
              Cancel order
            </Button>
          )}
          {defaultButtons}
        </>
      )}
    >
      <QueryError error={query.error} onRetry={() => query.refetch()} />
      {o && (
        <>
          <Descriptions bordered size="small" column={{ xs: 1, md: 2 }} style={{ marginBottom: 24 }}>
            <Descriptions.Item label="Customer">
              <Link to={`/customers/show/${o.customer_id}`}>{o.customer_name}</Link>
            </Descriptions.Item>
            <Descriptions.Item label="Order status">
              <OrderStatusTag status={o.status} />
            </Descriptions.Item>
            <Descriptions.Item label="Delivery date">{formatDay(o.delivery_date)}</Descriptions.Item>
            <Descriptions.Item label="Shift">
              <ShiftTag shift={o.shift} />
            </Descriptions.Item>
            <Descriptions.Item label="Kind">
              <Space>
                <KindTag kind={o.kind} />
                {o.subscription_id && <Link to={`/subscriptions/show/${o.subscription_id}`}>open the subscription</Link>}
              </Space>
            </Descriptions.Item>
            <Descriptions.Item label="Payment">{paymentMethodOptions.find((p) => p.value === o.payment_method)?.label ?? o.payment_method}</Descriptions.Item>
            <Descriptions.Item label="Deliver to" span={2}>
              {address ? addressLabel(address) : '—'}
              {o.zone_name && <Typography.Text type="secondary"> · {o.zone_name}</Typography.Text>}
            </Descriptions.Item>
            <Descriptions.Item label="Delivery">
              {o.delivery_id ? (
                <Space>
                  <DeliveryStatusTag status={o.delivery_status} />
                  <Link to={`/deliveries/show/${o.delivery_id}`}>open the delivery</Link>
                </Space>
              ) : (
                <DeliveryStatusTag status={null} />
              )}
            </Descriptions.Item>
            <Descriptions.Item label="Staff">{o.staff_name ?? <Typography.Text type="secondary">unassigned</Typography.Text>}</Descriptions.Item>
            <Descriptions.Item label="Total">
              <Money paise={o.total_paise} strong />
            </Descriptions.Item>
            <Descriptions.Item label="Created">
              <DateTime value={o.created_at} />
            </Descriptions.Item>
            <Descriptions.Item label="Note" span={2}>
              {o.note || <Typography.Text type="secondary">—</Typography.Text>}
            </Descriptions.Item>
          </Descriptions>
          <ItemsCard order={o} />
          <CancelOrderModal order={o} open={cancelling} onClose={() => setCancelling(false)} />
        </>
      )}
    </Show>
  );
}

function ItemsCard({ order }: { order: Order }) {
  const { tableProps, tableQuery } = useTable<OrderItem, HttpError>({
    resource: 'order-items',
    syncWithLocation: false,
    pagination: { mode: 'off' },
    filters: { permanent: [{ field: 'order_id', operator: 'eq', value: order.id }] },
    sorters: { permanent: [{ field: 'product_name', order: 'asc' }] },
  });
  return (
    <Card title="Items" size="small">
      <QueryError error={tableQuery.error} onRetry={() => tableQuery.refetch()} />
      <Table<OrderItem>
        {...tableProps}
        rowKey="id"
        size="small"
        pagination={false}
        locale={{ emptyText: <Empty description="No items" /> }}
        summary={(rows) =>
          rows.length ? (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0} colSpan={3}>
                <Typography.Text strong>Total</Typography.Text>
                <Typography.Text type="secondary"> (before tax; tax is added on the bill)</Typography.Text>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={3} align="right">
                <Money paise={rows.reduce((sum, r) => sum + r.amount_paise, 0)} strong />
              </Table.Summary.Cell>
            </Table.Summary.Row>
          ) : null
        }
      >
        <Table.Column<OrderItem> dataIndex="product_name" title="Product" />
        <Table.Column<OrderItem> dataIndex="quantity" title="Quantity" align="right" />
        <Table.Column<OrderItem> dataIndex="unit_price_paise" title="Unit price" align="right" render={(v: number) => <Money paise={v} />} />
        <Table.Column<OrderItem> dataIndex="amount_paise" title="Amount" align="right" render={(v: number) => <Money paise={v} />} />
      </Table>
    </Card>
  );
}

function CancelOrderModal({ order, open, onClose }: { order: Order; open: boolean; onClose: () => void }) {
  const { mutateAsync, mutation } = useCustomMutation();
  const invalidate = useInvalidate();
  const submit = async (reason: string) => {
    try {
      await mutateAsync({
        url: `/orders/${order.id}/cancel`,
        method: 'post',
        values: reason ? { reason } : {},
        successNotification: { type: 'success', description: 'Order cancelled', message: `${order.customer_name} gets nothing from this order on ${formatDay(order.delivery_date)}.` },
        errorNotification: (e?: HttpError) => ({ type: 'error', description: 'Could not cancel the order', message: e?.message ?? 'The server did not answer.' }),
      });
      onClose();
    } catch {
      // The notification says why (already delivered, already cancelled).
    } finally {
      await Promise.all([
        invalidate({ resource: 'orders', invalidates: ['resourceAll'] }),
        invalidate({ resource: 'deliveries', invalidates: ['resourceAll'] }),
        invalidate({ resource: 'subscription-overrides', invalidates: ['resourceAll'] }),
      ]);
    }
  };
  return (
    <ReasonModal
      open={open}
      title="Cancel this order?"
      okText="Cancel order"
      cancelText="Keep it"
      intro={
        <Typography.Paragraph>
          Nothing will be delivered or billed for it. {order.kind === 'subscription' ? 'The subscription skips that day (a one-day change of 0 is recorded).' : ''} This cannot be undone.
        </Typography.Paragraph>
      }
      label="Reason (optional, kept in the audit log)"
      required={false}
      rows={2}
      placeholder="Customer called to cancel"
      confirmLoading={mutation.isPending}
      onCancel={onClose}
      onSubmit={submit}
    />
  );
}
