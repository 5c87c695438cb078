import { CreateButton, getDefaultSortOrder, List, ShowButton, useSelect, useTable } from '@refinedev/antd';
import { type HttpError, useLink } from '@refinedev/core';
import { Empty, Form, Select, Space, Table, Typography } from 'antd';
import { DateTime } from '../../components/DateTime';
import { ExportButton } from '../../components/ExportButton';
import { FilterBar, FilterSearch } from '../../components/FilterBar';
import { filterValue } from '../../components/filters';
import { withTotal } from '../../components/listTotal';
import { Money } from '../../components/Money';
import { QueryError } from '../../components/QueryError';
import { usePhoneTable } from '../../components/responsive';
import type { Customer } from '../../types';
import { destinationLabels, methodLabels, options, reasonLabels, type Refund, type RefundDestination, type RefundReason, type RefundStatus, RefundStatusTag, statusLabels } from './shared';

interface Search {
  q?: string;
  status?: RefundStatus;
  reason?: RefundReason;
  destination?: RefundDestination;
  customer_id?: string;
}

const nowrap = { whiteSpace: 'nowrap' } as const;

/** The refunds queue: newest first, those awaiting approval one filter away; the approver opens one to decide. */
export function RefundList() {
  const Link = useLink();
  const { tableProps, sorters, filters, searchFormProps, tableQuery } = useTable<Refund, HttpError, Search>({
    sorters: { initial: [{ field: 'created_at', order: 'desc' }] },
    pagination: { pageSize: 25 },
    onSearch: ({ q, status, reason, destination, customer_id }) => [
      { field: 'q', operator: 'eq', value: q?.trim() || undefined },
      { field: 'status', operator: 'eq', value: status || undefined },
      { field: 'reason', operator: 'eq', value: reason || undefined },
      { field: 'destination', operator: 'eq', value: destination || undefined },
      { field: 'customer_id', operator: 'eq', value: customer_id || undefined },
    ],
  });
  const { selectProps: customerSelect } = useSelect<Customer>({
    resource: 'customers',
    optionLabel: 'name',
    optionValue: 'id',
    sorters: [{ field: 'name', order: 'asc' }],
    pagination: { pageSize: 50 },
    defaultValue: filterValue(filters, 'customer_id', 'eq'),
    onSearch: (value) => [{ field: 'q', operator: 'eq', value: value || undefined }],
  });
  const initial: Search = {
    q: filterValue(filters, 'q', 'eq'),
    status: filterValue(filters, 'status', 'eq') as RefundStatus | undefined,
    reason: filterValue(filters, 'reason', 'eq') as RefundReason | undefined,
    destination: filterValue(filters, 'destination', 'eq') as RefundDestination | undefined,
    customer_id: filterValue(filters, 'customer_id', 'eq'),
  };
  const hasFilters = Object.values(initial).some((v) => v !== undefined);
  // Sorting by customer reads every row of a big list: offered once the list is one customer's.
  const oneCustomer = Boolean(initial.customer_id);
  const phoneTable = usePhoneTable();

  return (
    <List
      title="Refunds"
      headerButtons={
        <Space wrap>
          <ExportButton resource="refunds" filters={filters} sorters={sorters} />
          <CreateButton>Request refund</CreateButton>
        </Space>
      }
    >
      <FilterBar
        form={searchFormProps}
        initialValues={initial}
        cleared={{ q: undefined, status: undefined, reason: undefined, destination: undefined, customer_id: undefined }}
        active={hasFilters}
      >
        <FilterSearch name="q" placeholder="Customer or phone" width={240} />
        <Form.Item name="status">
          <Select allowClear placeholder="Any status" style={{ width: 170 }} options={options(statusLabels)} />
        </Form.Item>
        <Form.Item name="reason">
          <Select allowClear placeholder="Any reason" style={{ width: 160 }} options={options(reasonLabels)} />
        </Form.Item>
        <Form.Item name="destination">
          <Select allowClear placeholder="Any destination" style={{ width: 160 }} options={options(destinationLabels)} />
        </Form.Item>
        <Form.Item name="customer_id">
          <Select {...customerSelect} allowClear placeholder="All customers" style={{ width: 200 }} />
        </Form.Item>
      </FilterBar>
      <QueryError error={tableQuery.error} onRetry={() => tableQuery.refetch()} />
      <Table<Refund>
        {...withTotal(tableProps, tableQuery.data)}
        rowKey="id"
        scroll={{ x: 1000 }}
        {...phoneTable.table}
        locale={{ emptyText: <Empty description={hasFilters ? 'No refunds match these filters' : 'No refunds yet'} /> }}
      >
        <Table.Column<Refund>
          dataIndex="created_at"
          title="Requested"
          sorter
          defaultSortOrder={getDefaultSortOrder('created_at', sorters)}
          render={(v: string, r) => (
            <Space direction="vertical" size={0}>
              <Link to={`/refunds/show/${r.id}`}>
                <DateTime value={v} />
              </Link>
              <Typography.Text type="secondary" style={{ fontSize: 12, ...nowrap }}>
                by {r.requested_by_name ?? '—'}
              </Typography.Text>
            </Space>
          )}
        />
        <Table.Column<Refund>
          dataIndex="customer_name"
          title="Customer"
          sorter={oneCustomer}
          defaultSortOrder={oneCustomer ? getDefaultSortOrder('customer_name', sorters) : undefined}
          render={(v: string, r) => <Link to={`/customers/show/${r.customer_id}`}>{v}</Link>}
        />
        <Table.Column<Refund>
          dataIndex="amount_paise"
          title="Amount"
          align="right"
          sorter
          defaultSortOrder={getDefaultSortOrder('amount_paise', sorters)}
          render={(v: number) => <Money paise={v} strong />}
        />
        <Table.Column<Refund> dataIndex="reason" title="Reason" render={(v: RefundReason) => <span style={nowrap}>{reasonLabels[v]}</span>} />
        <Table.Column<Refund>
          dataIndex="destination"
          title="To"
          render={(v: RefundDestination, r) => <span style={nowrap}>{v === 'wallet' ? 'Wallet' : methodLabels[r.payment_method]}</span>}
        />
        <Table.Column<Refund> dataIndex="status" title="Status" render={(v: RefundStatus) => <RefundStatusTag status={v} />} />
        <Table.Column<Refund>
          dataIndex="credit_note_number"
          title="Credit note"
          render={(v: string | null, r) =>
            v && r.credit_note_id ? (
              <Link to={`/credit-notes/show/${r.credit_note_id}`}>
                <span style={{ ...nowrap, fontFamily: 'monospace' }}>{v}</span>
              </Link>
            ) : (
              <Typography.Text type="secondary">—</Typography.Text>
            )
          }
        />
        <Table.Column<Refund>
          title="Actions"
          key="actions"
          width={1}
          {...phoneTable.actions}
          render={(_, r) => <ShowButton hideText size="small" recordItemId={r.id} />}
        />
      </Table>
    </List>
  );
}
