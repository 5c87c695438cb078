import { useCan, useLink, useList, useOne } from '@refinedev/core';
import { Card, Descriptions, Empty, Space, Table, Typography } from 'antd';
import type { Refund } from '../../../../api/modules/refunds/refunds.schemas';
import { DateTime } from '../../components/DateTime';
import { Money } from '../../components/Money';
import { formatGst } from '../../format';
import type { BillingRecord, Delivery } from '../deliveries/types';
import { Day, type Invoice, type InvoiceLine } from '../invoices/shared';
import { DeliveryStatusTag, OrderStatusTag, ShiftTag } from '../orders/tags';
import type { Order, OrderItem } from '../orders/types';
import { MethodTag, type Payment, PaymentStatusTag } from '../payments/shared';
import type { Dispute } from './shared';

// Beside the thread: what the evidence is, one click from the dispute. Each card reads the records through their own
// resources (the same grants as their pages), so a role that may not read one sees the rest.

const none = <Typography.Text type="secondary">—</Typography.Text>;

/** What the linked delivery's confirmation says: who, when, each item ordered and delivered, GPS and proof note. */
function DeliveryCard({ id }: { id: string }) {
  const Link = useLink();
  const { result: d } = useOne<Delivery>({ resource: 'deliveries', id });
  const { result: items } = useList<OrderItem>({
    resource: 'order-items',
    filters: [{ field: 'order_id', operator: 'eq', value: d?.order_id }],
    pagination: { mode: 'off' },
    queryOptions: { enabled: Boolean(d?.order_id) },
  });
  const settled = d?.status === 'delivered' || d?.status === 'partial';
  const { data: canSeeBills } = useCan({ resource: 'billing-records', action: 'list' });
  const { result: bills } = useList<BillingRecord>({
    resource: 'billing-records',
    filters: [{ field: 'order_id', operator: 'eq', value: d?.order_id }],
    pagination: { mode: 'off' },
    queryOptions: { enabled: Boolean(d?.order_id) && settled && Boolean(canSeeBills?.can) },
  });
  const delivered = new Map((bills?.data ?? []).map((b) => [b.product_id, b.quantity]));
  return (
    <Card size="small" title="Delivery" extra={<Link to={`/deliveries/show/${id}`}>open</Link>} data-testid="evidence-delivery">
      {d && (
        <>
          <Descriptions size="small" column={1} style={{ marginBottom: 8 }}>
            <Descriptions.Item label="Day">
              <Space size={4} wrap>
                <Day value={d.order_date} />
                <ShiftTag shift={d.shift} />
                <DeliveryStatusTag status={d.status} />
              </Space>
            </Descriptions.Item>
            <Descriptions.Item label="By">{d.staff_name ?? none}</Descriptions.Item>
            <Descriptions.Item label={d.status === 'failed' ? 'Failed at' : 'Confirmed at'}>{d.delivered_at ? <DateTime value={d.delivered_at} /> : 'not yet'}</Descriptions.Item>
            {d.failure_reason && <Descriptions.Item label="Why it failed">{d.failure_reason}</Descriptions.Item>}
            <Descriptions.Item label="GPS">{d.lat !== null && d.lng !== null ? `${d.lat.toFixed(5)}, ${d.lng.toFixed(5)}` : none}</Descriptions.Item>
            <Descriptions.Item label="Proof note">{d.proof_note || none}</Descriptions.Item>
          </Descriptions>
          <Table<OrderItem> rowKey="id" size="small" pagination={false} dataSource={items?.data ?? []} scroll={{ x: 'max-content' }}>
            <Table.Column<OrderItem> dataIndex="product_name" title="Item" />
            <Table.Column<OrderItem> dataIndex="quantity" title="Ordered" align="right" />
            <Table.Column<OrderItem>
              key="delivered"
              title="Delivered"
              align="right"
              render={(_, i) => {
                if (!settled) return none;
                const q = delivered.get(i.product_id) ?? 0;
                return q < i.quantity ? <Typography.Text type="danger" strong>{q}</Typography.Text> : q;
              }}
            />
          </Table>
        </>
      )}
    </Card>
  );
}

function OrderCard({ id, title = 'Order' }: { id: string; title?: string }) {
  const Link = useLink();
  const { result: o } = useOne<Order>({ resource: 'orders', id });
  return (
    <Card size="small" title={title} extra={<Link to={`/orders/show/${id}`}>open</Link>} data-testid="evidence-order">
      {o && (
        <Descriptions size="small" column={1}>
          <Descriptions.Item label="For">
            <Space size={4} wrap>
              <Day value={o.delivery_date} />
              <ShiftTag shift={o.shift} />
              <OrderStatusTag status={o.status} />
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label="Total">
            <Money paise={o.total_paise} />
          </Descriptions.Item>
          {o.note && <Descriptions.Item label="Note">{o.note}</Descriptions.Item>}
        </Descriptions>
      )}
    </Card>
  );
}

function InvoiceCard({ id }: { id: string }) {
  const Link = useLink();
  const { result: invoice } = useOne<Invoice>({ resource: 'invoices', id });
  const { result: lines } = useList<InvoiceLine>({ resource: 'invoice-lines', filters: [{ field: 'invoice_id', operator: 'eq', value: id }], pagination: { mode: 'off' } });
  return (
    <Card size="small" title={invoice ? `Invoice ${invoice.number}` : 'Invoice'} extra={<Link to={`/invoices/show/${id}`}>open</Link>} data-testid="evidence-invoice">
      <Table<InvoiceLine> rowKey="id" size="small" pagination={false} dataSource={lines?.data ?? []} scroll={{ x: 'max-content' }}>
        <Table.Column<InvoiceLine> dataIndex="description" title="Line" />
        <Table.Column<InvoiceLine> dataIndex="quantity" title="Qty" align="right" render={(v: number, l) => `${v} ${l.unit}`} />
        <Table.Column<InvoiceLine> dataIndex="gst_rate_bp" title="GST" render={(v: number) => formatGst(v)} />
        <Table.Column<InvoiceLine> dataIndex="total_paise" title="Amount" align="right" render={(v: number) => <Money paise={v} />} />
      </Table>
      {invoice && (
        <Typography.Paragraph style={{ marginTop: 8, marginBottom: 0 }}>
          Total <Money paise={invoice.total_paise} strong />, due <Money paise={invoice.balance_due_paise} />
        </Typography.Paragraph>
      )}
    </Card>
  );
}

function PaymentsCard({ customerId }: { customerId: string }) {
  const Link = useLink();
  const { data: can } = useCan({ resource: 'payments', action: 'list' });
  const { result } = useList<Payment>({
    resource: 'payments',
    filters: [{ field: 'customer_id', operator: 'eq', value: customerId }],
    sorters: [{ field: 'received_on', order: 'desc' }],
    pagination: { currentPage: 1, pageSize: 8 },
    queryOptions: { enabled: Boolean(can?.can) },
  });
  if (!can?.can) return null;
  return (
    <Card size="small" title="Payments" extra={<Link to={`/payments?customer_id=${customerId}`}>all</Link>} data-testid="evidence-payments">
      <Table<Payment> rowKey="id" size="small" pagination={false} dataSource={result?.data ?? []} scroll={{ x: 'max-content' }} locale={{ emptyText: <Empty description="No payments" /> }}>
        <Table.Column<Payment> dataIndex="received_on" title="Received" render={(v: string, p) => <Link to={`/payments/show/${p.id}`}><Day value={v} /></Link>} />
        <Table.Column<Payment> dataIndex="amount_paise" title="Amount" align="right" render={(v: number) => <Money paise={v} />} />
        <Table.Column<Payment> dataIndex="method" title="Method" render={(v: Payment['method']) => <MethodTag method={v} />} />
        <Table.Column<Payment> dataIndex="status" title="Status" render={(v: Payment['status']) => <PaymentStatusTag status={v} />} />
      </Table>
    </Card>
  );
}

function RefundsCard({ customerId }: { customerId: string }) {
  const { data: can } = useCan({ resource: 'refunds', action: 'list' });
  const { result } = useList<Refund>({
    resource: 'refunds',
    filters: [{ field: 'customer_id', operator: 'eq', value: customerId }],
    sorters: [{ field: 'created_at', order: 'desc' }],
    pagination: { currentPage: 1, pageSize: 8 },
    queryOptions: { enabled: Boolean(can?.can) },
  });
  if (!can?.can) return null;
  return (
    <Card size="small" title="Refunds" data-testid="evidence-refunds">
      <Table<Refund> rowKey="id" size="small" pagination={false} dataSource={result?.data ?? []} scroll={{ x: 'max-content' }} locale={{ emptyText: <Empty description="No refunds" /> }}>
        <Table.Column<Refund> dataIndex="created_at" title="Asked" render={(v: string) => <DateTime value={v} dateOnly />} />
        <Table.Column<Refund> dataIndex="amount_paise" title="Amount" align="right" render={(v: number) => <Money paise={v} />} />
        <Table.Column<Refund> dataIndex="reason" title="Reason" render={(v: string) => v.replace(/_/g, ' ')} />
        <Table.Column<Refund> dataIndex="status" title="Status" />
      </Table>
    </Card>
  );
}

export function Evidence({ dispute }: { dispute: Dispute }) {
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      {dispute.delivery_id && <DeliveryCard id={dispute.delivery_id} />}
      {dispute.order_id && <OrderCard id={dispute.order_id} />}
      {dispute.invoice_id && <InvoiceCard id={dispute.invoice_id} />}
      {dispute.redelivery_order_id && <OrderCard id={dispute.redelivery_order_id} title="Redelivery (no charge)" />}
      <PaymentsCard customerId={dispute.customer_id} />
      <RefundsCard customerId={dispute.customer_id} />
    </Space>
  );
}
