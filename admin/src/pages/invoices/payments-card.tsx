import { DollarOutlined } from '@ant-design/icons';
import { useCan, useGo, useLink, useList } from '@refinedev/core';
import { Button, Card, Descriptions, Empty, Space, Table, Tag, Typography } from 'antd';
import { DateTime } from '../../components/DateTime';
import { Money } from '../../components/Money';
import { QueryError } from '../../components/QueryError';
import { type Allocation, InvoicePaymentTag, MethodTag } from '../payments/shared';
import { Day, type Invoice } from './shared';

/** What an invoice owes and what settled it (payments and wallet credit, reversals struck through), on its page. */
export function InvoicePayments({ invoice }: { invoice: Invoice }) {
  const Link = useLink();
  const go = useGo();
  const { data: canList } = useCan({ resource: 'payments', action: 'list' });
  const { data: canCreate } = useCan({ resource: 'payments', action: 'create' });
  const { result, query } = useList<Allocation>({
    resource: 'payment-allocations',
    filters: [{ field: 'invoice_id', operator: 'eq', value: invoice.id }],
    sorters: [{ field: 'created_at', order: 'asc' }],
    pagination: { currentPage: 1, pageSize: 100 },
    queryOptions: { enabled: Boolean(canList?.can) },
  });
  const owing = invoice.status === 'issued' && invoice.balance_due_paise > 0;
  return (
    <Card
      size="small"
      title="Payment"
      style={{ marginBottom: 24 }}
      data-testid="invoice-payments"
      extra={
        owing &&
        canCreate?.can && (
          <Button type="primary" size="small" icon={<DollarOutlined />} onClick={() => go({ to: `/payments/create?customer_id=${invoice.customer_id}&invoice_id=${invoice.id}` })}>
            Record payment
          </Button>
        )
      }
    >
      <Descriptions size="small" column={{ xs: 1, md: 4 }} style={{ marginBottom: canList?.can ? 16 : 0 }}>
        <Descriptions.Item label="Status">{invoice.payment_status ? <InvoicePaymentTag status={invoice.payment_status} /> : <Tag>void</Tag>}</Descriptions.Item>
        <Descriptions.Item label="Total">
          <Money paise={invoice.total_paise} />
        </Descriptions.Item>
        <Descriptions.Item label="Paid">
          <span data-testid="invoice-paid">
            <Money paise={invoice.paid_paise} />
          </span>
        </Descriptions.Item>
        {invoice.credited_paise > 0 && (
          <Descriptions.Item label="Credit notes">
            <Money paise={invoice.credited_paise} />
          </Descriptions.Item>
        )}
        <Descriptions.Item label="Balance due">
          <span data-testid="invoice-balance">
            <Money paise={invoice.balance_due_paise} strong />
          </span>
        </Descriptions.Item>
      </Descriptions>
      {canList?.can && (
        <>
          <QueryError error={query.error} onRetry={() => query.refetch()} />
          <Table<Allocation>
            rowKey="id"
            size="small"
            pagination={false}
            loading={query.isLoading}
            dataSource={result?.data ?? []}
            scroll={{ x: 'max-content' }}
            locale={{ emptyText: <Empty description="Nothing paid yet" /> }}
          >
            <Table.Column<Allocation>
              dataIndex="source"
              title="From"
              render={(v: Allocation['source'], a) =>
                v === 'wallet' ? (
                  <Tag color="cyan">wallet credit</Tag>
                ) : (
                  <Link to={`/payments/show/${a.payment_id}`}>
                    <Space size={4}>
                      {a.payment_method && <MethodTag method={a.payment_method} />}
                      <span style={{ fontFamily: 'monospace' }}>{a.payment_reference ?? 'payment'}</span>
                    </Space>
                  </Link>
                )
              }
            />
            <Table.Column<Allocation> dataIndex="received_on" title="Received" render={(v: string | null) => <Day value={v} />} />
            <Table.Column<Allocation> dataIndex="amount_paise" title="Amount" align="right" render={(v: number, a) => <Typography.Text delete={Boolean(a.reversed_at)}><Money paise={v} /></Typography.Text>} />
            <Table.Column<Allocation> dataIndex="created_at" title="Applied" render={(v: string) => <DateTime value={v} />} />
            <Table.Column<Allocation>
              dataIndex="reversed_at"
              title="Reversed"
              render={(v: string | null, a) => (v ? <Typography.Text type="secondary">{a.reversal_reason}</Typography.Text> : <Typography.Text type="secondary">—</Typography.Text>)}
            />
          </Table>
        </>
      )}
    </Card>
  );
}
