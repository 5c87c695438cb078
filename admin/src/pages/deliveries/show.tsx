import { CheckOutlined, CloseOutlined, SwapOutlined } from '@ant-design/icons';
import { Show, useTable } from '@refinedev/antd';
import { OpenDisputeButton } from '../disputes/open-button';
import { type HttpError, useCan, useLink, useList, useShow } from '@refinedev/core';
import { Button, Card, Descriptions, Empty, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { DateTime } from '../../components/DateTime';
import { Money } from '../../components/Money';
import { QueryError } from '../../components/QueryError';
import { formatPhone } from '../../format';
import { formatDay } from '../orders/pickers';
import { DeliveryStatusTag, KindTag, OrderStatusTag, ShiftTag } from '../orders/tags';
import type { OrderItem } from '../orders/types';
import { ConfirmDeliveryModal, FailDeliveryModal, ReassignModal } from './dialogs';
import type { BillingRecord, Delivery } from './types';

export function DeliveryShow() {
  const Link = useLink();
  const { query, result: d } = useShow<Delivery>();
  const { data: canConfirm } = useCan({ resource: 'deliveries', action: 'confirm' });
  const { data: canFail } = useCan({ resource: 'deliveries', action: 'fail' });
  const { data: canEdit } = useCan({ resource: 'deliveries', action: 'edit' });
  const [dialog, setDialog] = useState<'confirm' | 'fail' | 'reassign' | null>(null);
  const open = d?.status === 'pending' && d.order_status === 'pending';

  return (
    <Show
      isLoading={query.isLoading}
      title={d ? `Delivery to ${d.customer_name}, ${formatDay(d.order_date)}` : 'Delivery'}
      headerButtons={({ defaultButtons }) => (
        <>
          {d && <OpenDisputeButton customerId={d.customer_id} deliveryId={d.id} orderId={d.order_id} />}
          {d?.status === 'pending' && canEdit?.can && (
            <Button icon={<SwapOutlined />} onClick={() => setDialog('reassign')}>
              Reassign
            </Button>
          )}
          {open && canFail?.can && (
            <Button danger icon={<CloseOutlined />} onClick={() => setDialog('fail')}>
              Failed
            </Button>
          )}
          {open && canConfirm?.can && (
            <Button type="primary" icon={<CheckOutlined />} onClick={() => setDialog('confirm')}>
              Confirm delivery
            </Button>
          )}
          {defaultButtons}
        </>
      )}
    >
      <QueryError error={query.error} onRetry={() => query.refetch()} />
      {d && (
        <>
          <Descriptions bordered size="small" column={{ xs: 1, md: 2 }} style={{ marginBottom: 24 }}>
            <Descriptions.Item label="Status">
              <DeliveryStatusTag status={d.status} />
            </Descriptions.Item>
            <Descriptions.Item label="Order">
              <Space>
                <OrderStatusTag status={d.order_status} />
                <KindTag kind={d.kind} />
                <Link to={`/orders/show/${d.order_id}`}>open the order</Link>
              </Space>
            </Descriptions.Item>
            <Descriptions.Item label="Customer">
              <Link to={`/customers/show/${d.customer_id}`}>{d.customer_name}</Link> · {formatPhone(d.customer_phone)}
            </Descriptions.Item>
            <Descriptions.Item label="Day and shift">
              <Space>
                {formatDay(d.order_date)}
                <ShiftTag shift={d.shift} />
              </Space>
            </Descriptions.Item>
            <Descriptions.Item label="Address" span={2}>
              {d.address_line} – {d.pin_code}
              {d.zone_name && <Typography.Text type="secondary"> · {d.zone_name}</Typography.Text>}
            </Descriptions.Item>
            <Descriptions.Item label="Staff">{d.staff_name ?? <Typography.Text type="warning">unassigned</Typography.Text>}</Descriptions.Item>
            <Descriptions.Item label={d.status === 'failed' ? 'Failed at' : 'Delivered at'}>{d.delivered_at ? <DateTime value={d.delivered_at} /> : <Typography.Text type="secondary">not yet</Typography.Text>}</Descriptions.Item>
            {d.failure_reason && (
              <Descriptions.Item label="Reason it failed" span={2}>
                {d.failure_reason}
              </Descriptions.Item>
            )}
            {(d.status === 'delivered' || d.status === 'partial') && (
              <>
                <Descriptions.Item label="Proof note">{d.proof_note || <Typography.Text type="secondary">—</Typography.Text>}</Descriptions.Item>
                <Descriptions.Item label="GPS">{d.lat !== null && d.lng !== null ? `${d.lat.toFixed(5)}, ${d.lng.toFixed(5)}` : <Typography.Text type="secondary">—</Typography.Text>}</Descriptions.Item>
              </>
            )}
          </Descriptions>
          <ItemsCard delivery={d} />
          <ConfirmDeliveryModal delivery={d} open={dialog === 'confirm'} onClose={() => setDialog(null)} />
          <FailDeliveryModal delivery={d} open={dialog === 'fail'} onClose={() => setDialog(null)} />
          <ReassignModal delivery={d} open={dialog === 'reassign'} onClose={() => setDialog(null)} />
        </>
      )}
    </Show>
  );
}

interface Row extends OrderItem {
  delivered: number | null;
  billed_paise: number | null;
}

/** Ordered items next to what was delivered and billed (one billing record per delivered item). */
function ItemsCard({ delivery }: { delivery: Delivery }) {
  const { tableProps, tableQuery } = useTable<OrderItem, HttpError>({
    resource: 'order-items',
    syncWithLocation: false,
    pagination: { mode: 'off' },
    filters: { permanent: [{ field: 'order_id', operator: 'eq', value: delivery.order_id }] },
    sorters: { permanent: [{ field: 'product_name', order: 'asc' }] },
  });
  const settled = delivery.status === 'delivered' || delivery.status === 'partial';
  const { data: canSeeBills } = useCan({ resource: 'billing-records', action: 'list' });
  const { result: bills } = useList<BillingRecord>({
    resource: 'billing-records',
    filters: [{ field: 'order_id', operator: 'eq', value: delivery.order_id }],
    pagination: { mode: 'off' },
    queryOptions: { enabled: settled && Boolean(canSeeBills?.can) },
  });
  const byProduct = new Map((bills?.data ?? []).map((b) => [b.product_id, b]));
  const rows: Row[] = (tableProps.dataSource ?? []).map((i) => {
    const b = byProduct.get(i.product_id);
    return { ...i, delivered: settled ? (b?.quantity ?? 0) : null, billed_paise: settled ? (b?.total_paise ?? 0) : null };
  });
  const billedTotal = rows.reduce((s, r) => s + (r.billed_paise ?? 0), 0);

  return (
    <Card title="Items" size="small">
      <QueryError error={tableQuery.error} onRetry={() => tableQuery.refetch()} />
      <Table<Row>
        {...(tableProps as object)}
        dataSource={rows}
        rowKey="id"
        size="small"
        pagination={false}
        locale={{ emptyText: <Empty description="No items" /> }}
        summary={() =>
          settled && canSeeBills?.can ? (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0} colSpan={5}>
                <Typography.Text strong>Billed (with GST)</Typography.Text>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={5} align="right">
                <span data-testid="delivery-billed-total">
                  <Money paise={billedTotal} strong />
                </span>
              </Table.Summary.Cell>
            </Table.Summary.Row>
          ) : null
        }
      >
        <Table.Column<Row> dataIndex="product_name" title="Product" />
        <Table.Column<Row> dataIndex="quantity" title="Ordered" align="right" />
        <Table.Column<Row> dataIndex="unit_price_paise" title="Unit price" align="right" render={(v: number) => <Money paise={v} />} />
        <Table.Column<Row> dataIndex="amount_paise" title="Amount" align="right" render={(v: number) => <Money paise={v} />} />
        <Table.Column<Row> dataIndex="delivered" title="Delivered" align="right" render={(v: number | null, r) => (v === null ? <Typography.Text type="secondary">—</Typography.Text> : <Typography.Text type={v < r.quantity ? 'warning' : undefined}>{v}</Typography.Text>)} />
        {canSeeBills?.can && <Table.Column<Row> dataIndex="billed_paise" title="Billed" align="right" render={(v: number | null) => (v === null ? <Typography.Text type="secondary">—</Typography.Text> : <Money paise={v} />)} />}
      </Table>
    </Card>
  );
}
