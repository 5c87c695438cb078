import { type HttpError, useCan, useLink, useList } from '@refinedev/core';
import { Card, Table } from 'antd';
import { DateTime } from '../../components/DateTime';
import { Money } from '../../components/Money';
import { QueryError } from '../../components/QueryError';
import { destinationLabels, reasonLabels, type Refund, RefundStatusTag } from './shared';

/** The refunds asked of a payment (its page): when, how much, why, where to and how far along. Hidden when there are none. */
export function PaymentRefunds({ paymentId }: { paymentId: string }) {
  const Link = useLink();
  const { data: canList } = useCan({ resource: 'refunds', action: 'list' });
  const { result, query } = useList<Refund, HttpError>({
    resource: 'refunds',
    filters: [{ field: 'payment_id', operator: 'eq', value: paymentId }],
    sorters: [{ field: 'created_at', order: 'asc' }],
    pagination: { currentPage: 1, pageSize: 100 },
    queryOptions: { enabled: Boolean(canList?.can) },
  });
  if (!canList?.can || (!query.error && !result?.data?.length)) return null;
  return (
    <Card size="small" title="Refunds" style={{ marginTop: 24 }} data-testid="payment-refunds">
      <QueryError error={query.error} onRetry={() => query.refetch()} />
      <Table<Refund> rowKey="id" size="small" pagination={false} dataSource={result?.data ?? []} scroll={{ x: 'max-content' }}>
        <Table.Column<Refund> dataIndex="created_at" title="Asked" render={(v: string, r) => <Link to={`/refunds/show/${r.id}`}><DateTime value={v} /></Link>} />
        <Table.Column<Refund> dataIndex="amount_paise" title="Amount" align="right" render={(v: number) => <Money paise={v} strong />} />
        <Table.Column<Refund> dataIndex="reason" title="Reason" render={(v: Refund['reason']) => reasonLabels[v]} />
        <Table.Column<Refund> dataIndex="destination" title="To" render={(v: Refund['destination']) => destinationLabels[v]} />
        <Table.Column<Refund> dataIndex="status" title="Status" render={(v: Refund['status']) => <RefundStatusTag status={v} />} />
      </Table>
    </Card>
  );
}
