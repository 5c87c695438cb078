import { withTotal } from '../../components/listTotal';
import { FilePdfOutlined } from '@ant-design/icons';
import { getDefaultSortOrder, List, ShowButton, useSelect, useTable } from '@refinedev/antd';
import { type HttpError, useCan, useLink } from '@refinedev/core';
import { Button, DatePicker, Empty, Form, Input, Select, Space, Table, Tooltip, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { FilterBar, FilterSearch } from '../../components/FilterBar';
import { filterValue } from '../../components/filters';
import { Money } from '../../components/Money';
import { QueryError } from '../../components/QueryError';
import type { Customer } from '../../types';
import { Day, type Invoice, InvoiceKindTag, InvoiceStatusTag, kindOptions, nowrap, periodLabel, recentFinancialYears } from './shared';
import { usePhoneTable } from '../../components/responsive';
import { ExportButton } from '../../components/ExportButton';
import { InvoicePaymentTag, type InvoicePaymentStatus, invoicePaymentOptions } from '../payments/shared';

interface Search {
  number?: string;
  status?: Invoice['status'];
  kind?: Invoice['kind'];
  financial_year?: string;
  customer_id?: string;
  period?: Dayjs | null;
  run_id?: string;
  payment_status?: InvoicePaymentStatus;
  owing?: 'yes';
}

export const pdfUrl = (id: string) => `/api/invoices/${id}/pdf`;

export function InvoiceList() {
  const Link = useLink();
  // The PDF is read as the invoice is (GET /api/invoices/:id/pdf needs show).
  const { data: canShow } = useCan({ resource: 'invoices', action: 'show' });
  const { tableProps, sorters, filters, searchFormProps, tableQuery } = useTable<Invoice, HttpError, Search>({
    // Newest first; within a day by number (one run issues a whole month on the same date).
    sorters: { initial: [{ field: 'invoice_date', order: 'desc' }, { field: 'number', order: 'desc' }] },
    pagination: { pageSize: 25 },
    onSearch: ({ number, status, kind, financial_year, customer_id, period, run_id, payment_status, owing }) => [
      // Numbers are typed in part ("000123", "26-27/0001"): contains, case-insensitive.
      { field: 'number', operator: 'contains', value: number?.trim().toUpperCase() || undefined },
      { field: 'status', operator: 'eq', value: status || undefined },
      { field: 'kind', operator: 'eq', value: kind || undefined },
      { field: 'financial_year', operator: 'eq', value: financial_year || undefined },
      { field: 'customer_id', operator: 'eq', value: customer_id || undefined },
      { field: 'period_start', operator: 'eq', value: period ? period.startOf('month').format('YYYY-MM-DD') : undefined },
      { field: 'run_id', operator: 'eq', value: run_id || undefined },
      { field: 'payment_status', operator: 'eq', value: payment_status || undefined },
      // Anything still due (unpaid or partly paid): balance_due_paise_gte=1, through invoices_balance_due_idx.
      { field: 'balance_due_paise', operator: 'gte', value: owing === 'yes' ? '1' : undefined },
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

  const period = filterValue(filters, 'period_start', 'eq');
  const runId = filterValue(filters, 'run_id', 'eq');
  const initial: Search = {
    number: filterValue(filters, 'number', 'contains'),
    status: filterValue(filters, 'status', 'eq') as Search['status'],
    kind: filterValue(filters, 'kind', 'eq') as Search['kind'],
    financial_year: filterValue(filters, 'financial_year', 'eq'),
    customer_id: filterValue(filters, 'customer_id', 'eq'),
    period: period ? dayjs(period, 'YYYY-MM-DD') : null,
    run_id: runId,
    payment_status: filterValue(filters, 'payment_status', 'eq') as Search['payment_status'],
    owing: filterValue(filters, 'balance_due_paise', 'gte') ? 'yes' : undefined,
  };
  const hasFilters = Object.values(initial).some((v) => v !== undefined && v !== null);

  const phoneTable = usePhoneTable();
  return (
    <List title="Invoices" headerButtons={<ExportButton resource="invoices" filters={filters} sorters={sorters} />}>
      <FilterBar form={searchFormProps} initialValues={initial} typed={['number']} cleared={{ number: undefined, status: undefined, kind: undefined, financial_year: undefined, customer_id: undefined, period: null, run_id: undefined, payment_status: undefined, owing: undefined }} active={hasFilters}>
        <Form.Item name="run_id" hidden>
          <Input />
        </Form.Item>
        <FilterSearch name="number" placeholder="Invoice number" width={200} />
        <Form.Item name="status">
          <Select
            allowClear
            placeholder="Any status"
            style={{ width: 130 }}
            options={[
              { value: 'issued', label: 'Issued' },
              { value: 'void', label: 'Void' },
            ]}
          />
        </Form.Item>
        <Form.Item name="payment_status">
          <Select allowClear placeholder="Paid or not" style={{ width: 140 }} options={invoicePaymentOptions} />
        </Form.Item>
        <Form.Item name="owing">
          <Select allowClear placeholder="Any balance" style={{ width: 150 }} options={[{ value: 'yes', label: 'Something due' }]} />
        </Form.Item>
        <Form.Item name="kind">
          <Select allowClear placeholder="Any kind" style={{ width: 220 }} options={kindOptions} />
        </Form.Item>
        <Form.Item name="financial_year">
          <Select allowClear placeholder="Any financial year" style={{ width: 170 }} options={recentFinancialYears()} />
        </Form.Item>
        <Form.Item name="customer_id">
          <Select {...customerSelect} allowClear placeholder="All customers" style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name="period">
          <DatePicker picker="month" format="MMM YYYY" placeholder="Billing month" disabledDate={(d) => d.isAfter(dayjs(), 'month')} />
        </Form.Item>
      </FilterBar>
      {runId && (
        <Typography.Paragraph>
          Showing the invoices of one run. <Link to={`/invoice-runs/show/${runId}`}>Open the run</Link>
        </Typography.Paragraph>
      )}
      <QueryError error={tableQuery.error} onRetry={() => tableQuery.refetch()} />
      <Table<Invoice>
        {...withTotal(tableProps, tableQuery.data)} {...phoneTable.table}
        rowKey="id"
        scroll={{ x: 1400 }}
        locale={{ emptyText: <Empty description={hasFilters ? 'No invoices match these filters' : 'No invoices yet: run a month from Invoice runs'} /> }}
      >
        <Table.Column<Invoice>
          dataIndex="number"
          title="Number"
          sorter
          defaultSortOrder={getDefaultSortOrder('number', sorters)}
          render={(v: string, r) => (
            <Link to={`/invoices/show/${r.id}`}>
              <span style={{ ...nowrap, fontFamily: 'monospace' }}>{v}</span>
            </Link>
          )}
        />
        <Table.Column<Invoice> dataIndex="kind" title="Kind" sorter defaultSortOrder={getDefaultSortOrder('kind', sorters)} render={(v: Invoice['kind']) => <InvoiceKindTag kind={v} />} />
        <Table.Column<Invoice> dataIndex="status" title="Status" sorter defaultSortOrder={getDefaultSortOrder('status', sorters)} render={(v: Invoice['status']) => <InvoiceStatusTag status={v} />} />
        <Table.Column<Invoice>
          dataIndex="customer_name"
          title="Customer"
          sorter
          defaultSortOrder={getDefaultSortOrder('customer_name', sorters)}
          render={(v: string, r) => <Link to={`/customers/show/${r.customer_id}`}>{v}</Link>}
        />
        <Table.Column<Invoice> dataIndex="period_start" title="Period" sorter defaultSortOrder={getDefaultSortOrder('period_start', sorters)} render={(_, r) => <span style={nowrap}>{periodLabel(r.period_start, r.period_end)}</span>} />
        <Table.Column<Invoice> dataIndex="invoice_date" title="Issued" sorter defaultSortOrder={getDefaultSortOrder('invoice_date', sorters)} render={(v: string) => <Day value={v} />} />
        <Table.Column<Invoice> dataIndex="due_date" title="Due" sorter defaultSortOrder={getDefaultSortOrder('due_date', sorters)} render={(v: string) => <Day value={v} />} />
        <Table.Column<Invoice> dataIndex="total_paise" title="Total" align="right" sorter defaultSortOrder={getDefaultSortOrder('total_paise', sorters)} render={(v: number, r) => <Typography.Text delete={r.status === 'void'}><Money paise={v} strong /></Typography.Text>} />
        <Table.Column<Invoice> dataIndex="paid_paise" title="Paid" align="right" sorter defaultSortOrder={getDefaultSortOrder('paid_paise', sorters)} render={(v: number) => <Money paise={v} />} />
        <Table.Column<Invoice>
          dataIndex="balance_due_paise"
          title="Balance due"
          align="right"
          sorter
          defaultSortOrder={getDefaultSortOrder('balance_due_paise', sorters)}
          render={(v: number) => <span data-testid="balance-due"><Money paise={v} strong={v > 0} /></span>}
        />
        <Table.Column<Invoice>
          dataIndex="payment_status"
          title="Payment"
          sorter
          defaultSortOrder={getDefaultSortOrder('payment_status', sorters)}
          render={(v: InvoicePaymentStatus | null) => (v ? <InvoicePaymentTag status={v} /> : <Typography.Text type="secondary">—</Typography.Text>)}
        />
        <Table.Column<Invoice>
          title="Actions"
          key="actions"
          width={1}
          {...phoneTable.actions}
          render={(_, r) => (
            <Space style={nowrap}>
              <ShowButton hideText size="small" recordItemId={r.id} />
              {canShow?.can && (
                <Tooltip title="Download PDF">
                  <Button size="small" icon={<FilePdfOutlined />} href={pdfUrl(r.id)} download={`${r.number.replace(/\//g, '-')}.pdf`} aria-label={`Download PDF of ${r.number}`} />
                </Tooltip>
              )}
            </Space>
          )}
        />
      </Table>
    </List>
  );
}
