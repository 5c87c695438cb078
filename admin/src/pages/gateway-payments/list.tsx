import { getDefaultSortOrder, List, ShowButton, useTable } from '@refinedev/antd';
import { type HttpError, useLink } from '@refinedev/core';
import { Empty, Form, Select, Space, Table, Typography } from 'antd';
import { DateTime } from '../../components/DateTime';
import { FilterBar, FilterSearch } from '../../components/FilterBar';
import { filterValue } from '../../components/filters';
import { withTotal } from '../../components/listTotal';
import { Money } from '../../components/Money';
import { QueryError } from '../../components/QueryError';
import { usePhoneTable } from '../../components/responsive';
import { AssignButton, type GatewayPayment, GatewayStatusTag, gatewayStatusOptions, MatchTag, mono } from './shared';

interface Search {
  q?: string;
  matched?: 'true' | 'false';
  status?: GatewayPayment['status'];
}

const matchOptions = [
  { value: 'false', label: 'Unmatched only' },
  { value: 'true', label: 'Matched only' },
];

/**
 * Payments that came through the gateway (Razorpay webhook). Opens on the unmatched ones, the payments for no known
 * customer that finance assigns; "Any" shows them all, with their UTR once a settlement file names them.
 */
export function GatewayPaymentList() {
  const Link = useLink();
  const { tableProps, sorters, filters, searchFormProps, tableQuery } = useTable<GatewayPayment, HttpError, Search>({
    sorters: { initial: [{ field: 'created_at', order: 'desc' }] },
    filters: { initial: [{ field: 'matched', operator: 'eq', value: 'false' }] },
    pagination: { pageSize: 25 },
    onSearch: ({ q, matched, status }) => [
      { field: 'q', operator: 'eq', value: q?.trim() || undefined },
      { field: 'matched', operator: 'eq', value: matched || undefined },
      { field: 'status', operator: 'eq', value: status || undefined },
    ],
  });
  const initial: Search = {
    q: filterValue(filters, 'q', 'eq'),
    matched: filterValue(filters, 'matched', 'eq') as Search['matched'],
    status: filterValue(filters, 'status', 'eq') as Search['status'],
  };
  const unmatched = initial.matched === 'false';
  const hasFilters = Boolean(initial.q || initial.status || initial.matched);
  const phoneTable = usePhoneTable();
  return (
    <List title={unmatched ? 'Unmatched gateway payments' : 'Gateway payments'}>
      <FilterBar form={searchFormProps} initialValues={initial} cleared={{ q: undefined, matched: undefined, status: undefined }} active={hasFilters}>
        <FilterSearch name="q" placeholder="pay_ id, email, phone or customer" width={260} />
        <Form.Item name="matched">
          <Select allowClear placeholder="Matched or not" style={{ width: 160 }} options={matchOptions} data-testid="matched-filter" />
        </Form.Item>
        <Form.Item name="status">
          <Select allowClear placeholder="Any status" style={{ width: 140 }} options={gatewayStatusOptions} />
        </Form.Item>
      </FilterBar>
      <QueryError error={tableQuery.error} onRetry={() => tableQuery.refetch()} />
      <Table<GatewayPayment>
        {...withTotal(tableProps, tableQuery.data)}
        {...phoneTable.table}
        rowKey="id"
        locale={{ emptyText: <Empty description={unmatched ? 'No unmatched payments: every gateway payment has its customer' : hasFilters ? 'No gateway payments match these filters' : 'No gateway payments yet'} /> }}
      >
        <Table.Column<GatewayPayment> dataIndex="created_at" title="Received" sorter defaultSortOrder={getDefaultSortOrder('created_at', sorters)} render={(v: string) => <DateTime value={v} />} />
        <Table.Column<GatewayPayment>
          dataIndex="gateway_payment_id"
          title="Gateway id"
          render={(v: string, r) => (
            <Link to={`/gateway-payments/show/${r.id}`}>
              <span style={mono}>{v}</span>
            </Link>
          )}
        />
        <Table.Column<GatewayPayment> dataIndex="amount_paise" title="Amount" align="right" sorter defaultSortOrder={getDefaultSortOrder('amount_paise', sorters)} render={(v: number) => <Money paise={v} strong />} />
        <Table.Column<GatewayPayment> dataIndex="status" title="Status" render={(v: GatewayPayment['status']) => <GatewayStatusTag status={v} />} />
        <Table.Column<GatewayPayment>
          dataIndex="customer_name"
          title="Customer"
          render={(v: string | null, r) =>
            r.customer_id ? (
              <Link to={`/customers/show/${r.customer_id}`}>{v}</Link>
            ) : (
              <Space size={4} wrap>
                <MatchTag payment={r} />
                {r.notes_customer_id && <Typography.Text type="secondary">notes: {r.notes_customer_id}</Typography.Text>}
              </Space>
            )
          }
        />
        <Table.Column<GatewayPayment> dataIndex="method" title="Method" render={(v: string | null) => v ?? '—'} />
        <Table.Column<GatewayPayment> dataIndex="email" title="Paid by" render={(_: unknown, r) => [r.email, r.contact].filter(Boolean).join(' · ') || '—'} />
        <Table.Column<GatewayPayment> dataIndex="utr" title="UTR" render={(v: string | null) => (v ? <span style={mono}>{v}</span> : <Typography.Text type="secondary">not settled</Typography.Text>)} />
        <Table.Column<GatewayPayment>
          title="Actions"
          key="actions"
          width={1}
          {...phoneTable.actions}
          render={(_, r) => (
            <Space size={4}>
              <AssignButton payment={r} size="small" />
              <ShowButton hideText size="small" recordItemId={r.id} />
            </Space>
          )}
        />
      </Table>
    </List>
  );
}
