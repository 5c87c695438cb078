import { CreateButton, getDefaultSortOrder, List, ShowButton, useTable } from '@refinedev/antd';
import { type HttpError, useLink } from '@refinedev/core';
import { DatePicker, Empty, Form, Select, Space, Table, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { ExportButton } from '../../components/ExportButton';
import { FilterBar, FilterSearch } from '../../components/FilterBar';
import { filterValue } from '../../components/filters';
import { withTotal } from '../../components/listTotal';
import { Money } from '../../components/Money';
import { QueryError } from '../../components/QueryError';
import { usePhoneTable } from '../../components/responsive';
import { Day, nowrap } from '../invoices/shared';
import { useCustomerSelect } from '../orders/pickers';
import { ChequeStatusTag, MethodTag, methodOptions, type Payment, PaymentStatusTag, chequeStatusOptions, paymentStatusOptions } from './shared';

interface Search {
  q?: string;
  method?: Payment['method'];
  status?: Payment['status'];
  cheque_status?: NonNullable<Payment['cheque_status']>;
  customer_id?: string;
  received?: [Dayjs, Dayjs] | null;
}

/** Payments received: newest first, filtered by method, status, customer and the days received; exported as shown. */
export function PaymentList() {
  const Link = useLink();
  const { tableProps, sorters, filters, searchFormProps, tableQuery } = useTable<Payment, HttpError, Search>({
    sorters: { initial: [{ field: 'received_on', order: 'desc' }] },
    pagination: { pageSize: 25 },
    onSearch: ({ q, method, status, cheque_status, customer_id, received }) => [
      { field: 'q', operator: 'eq', value: q?.trim() || undefined },
      { field: 'method', operator: 'eq', value: method || undefined },
      { field: 'status', operator: 'eq', value: status || undefined },
      { field: 'cheque_status', operator: 'eq', value: cheque_status || undefined },
      { field: 'customer_id', operator: 'eq', value: customer_id || undefined },
      // Days received are calendar days (IST already): compared as dates, no time zone shift.
      { field: 'received_on', operator: 'gte', value: received ? received[0].format('YYYY-MM-DD') : undefined },
      { field: 'received_on', operator: 'lte', value: received ? received[1].format('YYYY-MM-DD') : undefined },
    ],
  });
  const { selectProps: customerSelect } = useCustomerSelect({ defaultValue: filterValue(filters, 'customer_id', 'eq') });

  const from = filterValue(filters, 'received_on', 'gte');
  const to = filterValue(filters, 'received_on', 'lte');
  const initial: Search = {
    q: filterValue(filters, 'q', 'eq'),
    method: filterValue(filters, 'method', 'eq') as Search['method'],
    status: filterValue(filters, 'status', 'eq') as Search['status'],
    cheque_status: filterValue(filters, 'cheque_status', 'eq') as Search['cheque_status'],
    customer_id: filterValue(filters, 'customer_id', 'eq'),
    received: from && to ? [dayjs(from, 'YYYY-MM-DD'), dayjs(to, 'YYYY-MM-DD')] : null,
  };
  const hasFilters = Object.values(initial).some((v) => v !== undefined && v !== null);
  const phoneTable = usePhoneTable();

  return (
    <List
      title="Payments"
      headerButtons={
        <Space wrap>
          <ExportButton resource="payments" filters={filters} sorters={sorters} />
          <CreateButton>Record payment</CreateButton>
        </Space>
      }
    >
      <FilterBar
        form={searchFormProps}
        initialValues={initial}
        cleared={{ q: undefined, method: undefined, status: undefined, cheque_status: undefined, customer_id: undefined, received: null }}
        active={hasFilters}
      >
        <FilterSearch name="q" placeholder="Customer, phone or reference" width={240} />
        <Form.Item name="method">
          <Select allowClear placeholder="Any method" style={{ width: 150 }} options={methodOptions} />
        </Form.Item>
        <Form.Item name="status">
          <Select allowClear placeholder="Any status" style={{ width: 130 }} options={paymentStatusOptions} />
        </Form.Item>
        <Form.Item name="cheque_status">
          <Select allowClear placeholder="Any cheque state" style={{ width: 170 }} options={chequeStatusOptions} />
        </Form.Item>
        <Form.Item name="customer_id">
          <Select {...customerSelect} allowClear placeholder="All customers" style={{ width: 220 }} />
        </Form.Item>
        <Form.Item name="received">
          <DatePicker.RangePicker format="D MMM YYYY" placeholder={['Received from', 'to']} disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
        </Form.Item>
      </FilterBar>
      <QueryError error={tableQuery.error} onRetry={() => tableQuery.refetch()} />
      <Table<Payment>
        {...withTotal(tableProps, tableQuery.data)}
        {...phoneTable.table}
        rowKey="id"
        locale={{ emptyText: <Empty description={hasFilters ? 'No payments match these filters' : 'No payments recorded yet'} /> }}
      >
        <Table.Column<Payment> dataIndex="received_on" title="Received" sorter defaultSortOrder={getDefaultSortOrder('received_on', sorters)} render={(v: string) => <Day value={v} />} />
        <Table.Column<Payment> dataIndex="customer_name" title="Customer" render={(v: string, r) => <Link to={`/customers/show/${r.customer_id}`}>{v}</Link>} />
        <Table.Column<Payment>
          dataIndex="amount_paise"
          title="Amount"
          align="right"
          sorter
          defaultSortOrder={getDefaultSortOrder('amount_paise', sorters)}
          render={(v: number, r) => (
            <Link to={`/payments/show/${r.id}`}>
              <Money paise={v} strong />
            </Link>
          )}
        />
        <Table.Column<Payment> dataIndex="method" title="Method" render={(v: Payment['method']) => <MethodTag method={v} />} />
        <Table.Column<Payment> dataIndex="reference" title="Reference" render={(v: string | null) => (v ? <span style={{ ...nowrap, fontFamily: 'monospace' }}>{v}</span> : <Typography.Text type="secondary">—</Typography.Text>)} />
        <Table.Column<Payment>
          dataIndex="status"
          title="Status"
          render={(v: Payment['status'], r) => (
            <Space size={0} wrap>
              <PaymentStatusTag status={v} />
              <ChequeStatusTag status={r.cheque_status} />
            </Space>
          )}
        />
        <Table.Column<Payment> dataIndex="allocated_paise" title="Settles invoices" align="right" render={(v: number) => <Money paise={v} />} />
        <Table.Column<Payment> dataIndex="credited_paise" title="To wallet" align="right" render={(v: number) => <Money paise={v} />} />
        <Table.Column<Payment> dataIndex="recorded_by_name" title="Recorded by" render={(v: string | null) => v ?? <Typography.Text type="secondary">—</Typography.Text>} />
        <Table.Column<Payment> title="Actions" key="actions" width={1} {...phoneTable.actions} render={(_, r) => <ShowButton hideText size="small" recordItemId={r.id} />} />
      </Table>
    </List>
  );
}
