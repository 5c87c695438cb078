import { FilePdfOutlined } from '@ant-design/icons';
import { getDefaultSortOrder, List, ShowButton, useSelect, useTable } from '@refinedev/antd';
import { type HttpError, useCan, useLink } from '@refinedev/core';
import { Button, Empty, Form, Select, Space, Table, Tooltip, Typography } from 'antd';
import { ExportButton } from '../../components/ExportButton';
import { FilterBar, FilterSearch } from '../../components/FilterBar';
import { filterValue } from '../../components/filters';
import { withTotal } from '../../components/listTotal';
import { Money } from '../../components/Money';
import { QueryError } from '../../components/QueryError';
import { usePhoneTable } from '../../components/responsive';
import type { Customer } from '../../types';
import { Day, nowrap, recentFinancialYears } from '../invoices/shared';
import { type CreditNote, creditNotePdfUrl, creditNoteReasons, pdfName, reasonLabels, type RefundReason } from '../refunds/shared';

interface Search {
  q?: string;
  reason?: RefundReason;
  financial_year?: string;
  customer_id?: string;
}

/** GST credit notes, newest first: each cites the invoice it reduces; the PDF prints like the invoice's. */
export function CreditNoteList() {
  const Link = useLink();
  const { data: canShow } = useCan({ resource: 'credit-notes', action: 'show' });
  const { tableProps, sorters, filters, searchFormProps, tableQuery } = useTable<CreditNote, HttpError, Search>({
    sorters: { initial: [{ field: 'note_date', order: 'desc' }, { field: 'number', order: 'desc' }] },
    pagination: { pageSize: 25 },
    onSearch: ({ q, reason, financial_year, customer_id }) => [
      { field: 'q', operator: 'eq', value: q?.trim() || undefined },
      { field: 'reason', operator: 'eq', value: reason || undefined },
      { field: 'financial_year', operator: 'eq', value: financial_year || undefined },
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
    reason: filterValue(filters, 'reason', 'eq') as RefundReason | undefined,
    financial_year: filterValue(filters, 'financial_year', 'eq'),
    customer_id: filterValue(filters, 'customer_id', 'eq'),
  };
  const hasFilters = Object.values(initial).some((v) => v !== undefined);
  const oneCustomer = Boolean(initial.customer_id);
  const phoneTable = usePhoneTable();

  return (
    <List title="Credit notes" headerButtons={<ExportButton resource="credit-notes" filters={filters} sorters={sorters} />}>
      <FilterBar form={searchFormProps} initialValues={initial} cleared={{ q: undefined, reason: undefined, financial_year: undefined, customer_id: undefined }} active={hasFilters}>
        <FilterSearch name="q" placeholder="Number, customer or phone" width={240} />
        <Form.Item name="reason">
          <Select allowClear placeholder="Any reason" style={{ width: 160 }} options={creditNoteReasons.map((r) => ({ value: r, label: reasonLabels[r] }))} />
        </Form.Item>
        <Form.Item name="financial_year">
          <Select allowClear placeholder="Any financial year" style={{ width: 170 }} options={recentFinancialYears()} />
        </Form.Item>
        <Form.Item name="customer_id">
          <Select {...customerSelect} allowClear placeholder="All customers" style={{ width: 200 }} />
        </Form.Item>
      </FilterBar>
      <QueryError error={tableQuery.error} onRetry={() => tableQuery.refetch()} />
      <Table<CreditNote>
        {...withTotal(tableProps, tableQuery.data)}
        rowKey="id"
        scroll={{ x: 1000 }}
        {...phoneTable.table}
        locale={{ emptyText: <Empty description={hasFilters ? 'No credit notes match these filters' : 'No credit notes yet: approving a short-delivery, spoilt-product or billing-error refund issues one'} /> }}
      >
        <Table.Column<CreditNote>
          dataIndex="number"
          title="Number"
          sorter
          defaultSortOrder={getDefaultSortOrder('number', sorters)}
          render={(v: string, r) => (
            <Link to={`/credit-notes/show/${r.id}`}>
              <span style={{ ...nowrap, fontFamily: 'monospace' }}>{v}</span>
            </Link>
          )}
        />
        <Table.Column<CreditNote> dataIndex="note_date" title="Date" sorter defaultSortOrder={getDefaultSortOrder('note_date', sorters)} render={(v: string) => <Day value={v} />} />
        <Table.Column<CreditNote>
          dataIndex="customer_name"
          title="Customer"
          sorter={oneCustomer}
          defaultSortOrder={oneCustomer ? getDefaultSortOrder('customer_name', sorters) : undefined}
          render={(v: string, r) => <Link to={`/customers/show/${r.customer_id}`}>{v}</Link>}
        />
        <Table.Column<CreditNote>
          dataIndex="invoice_number"
          title="Invoice"
          render={(v: string, r) => (
            <Space direction="vertical" size={0}>
              <Link to={`/invoices/show/${r.invoice_id}`}>
                <span style={{ ...nowrap, fontFamily: 'monospace' }}>{v}</span>
              </Link>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                of <Day value={r.invoice_date} />
              </Typography.Text>
            </Space>
          )}
        />
        <Table.Column<CreditNote> dataIndex="reason" title="Reason" render={(v: RefundReason, r) => <span style={nowrap}>{reasonLabels[v]}{r.refund_id ? '' : ' (adjustment)'}</span>} />
        <Table.Column<CreditNote> dataIndex="total_paise" title="Total" align="right" sorter defaultSortOrder={getDefaultSortOrder('total_paise', sorters)} render={(v: number) => <Money paise={v} strong />} />
        <Table.Column<CreditNote>
          title="Actions"
          key="actions"
          width={1}
          {...phoneTable.actions}
          render={(_, r) => (
            <Space style={nowrap}>
              <ShowButton hideText size="small" recordItemId={r.id} />
              {canShow?.can && (
                <Tooltip title="Download PDF">
                  <Button size="small" icon={<FilePdfOutlined />} href={creditNotePdfUrl(r.id)} download={pdfName(r.number)} aria-label={`Download PDF of ${r.number}`} />
                </Tooltip>
              )}
            </Space>
          )}
        />
      </Table>
    </List>
  );
}
