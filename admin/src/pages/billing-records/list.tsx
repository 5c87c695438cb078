import { withTotal } from '../../components/listTotal';
import { getDefaultSortOrder, List, useSelect, useTable } from '@refinedev/antd';
import { type HttpError, useLink } from '@refinedev/core';
import { DatePicker, Empty, Form, Input, Select, Table, Tag, Tooltip, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { FilterBar, FilterSearch } from '../../components/FilterBar';
import { filterValue } from '../../components/filters';
import { Money } from '../../components/Money';
import { QueryError } from '../../components/QueryError';
import { formatGst } from '../../format';
import type { Customer, Product } from '../../types';
import { type BillingRecord, Day, nowrap } from '../invoices/shared';
import { ExportButton } from '../../components/ExportButton';

interface Search {
  q?: string;
  customer_id?: string;
  product_id?: string;
  range?: [Dayjs, Dayjs] | null;
  invoiced?: 'yes' | 'no';
  source?: BillingRecord['source'];
  legacy_billed?: 'true' | 'false';
  /** Set by links from an invoice page ("its billing records"); kept in a hidden field so Clear filters clears it. */
  invoice_id?: string;
}

/** Every delivered item's billing record, read-only: records come from delivery confirmations and never change but for their invoice. */
export function BillingRecordList() {
  const Link = useLink();
  const { tableProps, sorters, filters, searchFormProps, tableQuery } = useTable<BillingRecord, HttpError, Search>({
    sorters: { initial: [{ field: 'service_date', order: 'desc' }] },
    pagination: { pageSize: 25 },
    // Empty inputs become undefined, which Refine drops, so no "source=" reaches the API (that would be a 400).
    onSearch: ({ q, customer_id, product_id, range, invoiced, source, legacy_billed, invoice_id }) => [
      { field: 'invoice_id', operator: 'eq', value: invoice_id || undefined },
      { field: 'q', operator: 'eq', value: q?.trim() || undefined },
      { field: 'customer_id', operator: 'eq', value: customer_id || undefined },
      { field: 'product_id', operator: 'eq', value: product_id || undefined },
      { field: 'service_date', operator: 'gte', value: range?.[0]?.format('YYYY-MM-DD') },
      { field: 'service_date', operator: 'lte', value: range?.[1]?.format('YYYY-MM-DD') },
      { field: 'is_invoiced', operator: 'eq', value: invoiced ? String(invoiced === 'yes') : undefined },
      { field: 'source', operator: 'eq', value: source || undefined },
      { field: 'legacy_billed', operator: 'eq', value: legacy_billed || undefined },
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
  const { selectProps: productSelect } = useSelect<Product>({
    resource: 'products',
    optionLabel: 'name',
    optionValue: 'id',
    sorters: [{ field: 'name', order: 'asc' }],
    pagination: { pageSize: 100 },
    defaultValue: filterValue(filters, 'product_id', 'eq'),
    onSearch: (value) => [{ field: 'q', operator: 'eq', value: value || undefined }],
  });

  const from = filterValue(filters, 'service_date', 'gte');
  const to = filterValue(filters, 'service_date', 'lte');
  const invoiced = filterValue(filters, 'is_invoiced', 'eq');
  const initial: Search = {
    q: filterValue(filters, 'q', 'eq'),
    customer_id: filterValue(filters, 'customer_id', 'eq'),
    product_id: filterValue(filters, 'product_id', 'eq'),
    range: from && to ? [dayjs(from), dayjs(to)] : null,
    invoiced: invoiced === undefined ? undefined : invoiced === 'true' ? 'yes' : 'no',
    source: filterValue(filters, 'source', 'eq') as Search['source'],
    legacy_billed: filterValue(filters, 'legacy_billed', 'eq') as Search['legacy_billed'],
  };
  const invoiceFilter = filterValue(filters, 'invoice_id', 'eq');
  const hasFilters = Object.values(initial).some((v) => v !== undefined && v !== null) || Boolean(invoiceFilter);

  return (
    <List title="Billing records" headerButtons={<ExportButton resource="billing-records" filters={filters} sorters={sorters} />}>
      <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
        One record per delivered item, written when the delivery is confirmed. Read-only: a month's invoice run puts the records on invoices.
      </Typography.Paragraph>
      <FilterBar form={searchFormProps} initialValues={{ ...initial, invoice_id: invoiceFilter }} cleared={{ q: undefined, customer_id: undefined, product_id: undefined, range: undefined, invoiced: undefined, source: undefined, legacy_billed: undefined, invoice_id: undefined }} active={hasFilters}>
        <Form.Item name="invoice_id" hidden>
          <Input />
        </Form.Item>
        <FilterSearch name="q" placeholder="Customer, product or invoice no." width={260} />
        <Form.Item name="customer_id">
          <Select {...customerSelect} allowClear placeholder="All customers" style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name="product_id">
          <Select {...productSelect} allowClear placeholder="All products" style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name="range">
          <DatePicker.RangePicker format="D MMM YYYY" placeholder={['Delivered from', 'to']} />
        </Form.Item>
        <Form.Item name="invoiced">
          <Select
            allowClear
            placeholder="Invoiced or not"
            style={{ width: 170 }}
            options={[
              { value: 'yes', label: 'On an invoice' },
              { value: 'no', label: 'Not invoiced yet' },
            ]}
          />
        </Form.Item>
        <Form.Item name="source">
          <Select
            allowClear
            placeholder="Any source"
            style={{ width: 160 }}
            options={[
              { value: 'delivery', label: 'Deliveries' },
              { value: 'legacy_import', label: 'Legacy import' },
            ]}
          />
        </Form.Item>
        <Form.Item name="legacy_billed">
          <Select
            allowClear
            placeholder="Old system billing"
            style={{ width: 190 }}
            options={[
              { value: 'true', label: 'Billed by the old system' },
              { value: 'false', label: 'Billed by Milkrun' },
            ]}
          />
        </Form.Item>
      </FilterBar>
      {invoiceFilter && (
        <Typography.Paragraph>
          Showing the records of one invoice. <Link to={`/invoices/show/${invoiceFilter}`}>Open the invoice</Link>
        </Typography.Paragraph>
      )}
      <QueryError error={tableQuery.error} onRetry={() => tableQuery.refetch()} />
      <Table<BillingRecord>
        {...withTotal(tableProps, tableQuery.data)}
        rowKey="id"
        size="middle"
        scroll={{ x: 1200 }}
        locale={{ emptyText: <Empty description={hasFilters ? 'No billing records match these filters' : 'No billing records yet: they appear as deliveries are confirmed'} /> }}
      >
        <Table.Column<BillingRecord> dataIndex="service_date" title="Date" sorter defaultSortOrder={getDefaultSortOrder('service_date', sorters)} render={(v: string) => <Day value={v} />} />
        <Table.Column<BillingRecord>
          dataIndex="customer_name"
          title="Customer"
          render={(v: string, r) => <Link to={`/customers/show/${r.customer_id}`}>{v}</Link>}
        />
        <Table.Column<BillingRecord>
          dataIndex="product_name"
          title="Product"
          render={(v: string, r) => (
            <span>
              {v}
              {r.source === 'legacy_import' && (
                <Tooltip title="Brought over from the old system by the legacy import">
                  <Tag style={{ marginLeft: 6 }}>legacy</Tag>
                </Tooltip>
              )}
            </span>
          )}
        />
        <Table.Column<BillingRecord> dataIndex="quantity" title="Qty" align="right" />
        <Table.Column<BillingRecord> dataIndex="unit_price_paise" title="Unit price" align="right" render={(v: number) => <Money paise={v} />} />
        <Table.Column<BillingRecord> dataIndex="taxable_paise" title="Taxable" align="right" render={(v: number, r) => <Tooltip title={`HSN ${r.hsn_code}`}><span><Money paise={v} /></span></Tooltip>} />
        <Table.Column<BillingRecord>
          dataIndex="cgst_paise"
          title="CGST"
          align="right"
          render={(v: number, r) => (r.gst_rate_bp === 0 ? <Typography.Text type="secondary">exempt</Typography.Text> : <Tooltip title={`${formatGst(r.gst_rate_bp / 2)} of the taxable value`}><span><Money paise={v} /></span></Tooltip>)}
        />
        <Table.Column<BillingRecord>
          dataIndex="sgst_paise"
          title="SGST"
          align="right"
          render={(v: number, r) => (r.gst_rate_bp === 0 ? <Typography.Text type="secondary">exempt</Typography.Text> : <Tooltip title={`${formatGst(r.gst_rate_bp / 2)} of the taxable value`}><span><Money paise={v} /></span></Tooltip>)}
        />
        <Table.Column<BillingRecord> dataIndex="total_paise" title="Total" align="right" render={(v: number) => <Money paise={v} strong />} />
        <Table.Column<BillingRecord>
          dataIndex="invoice_number"
          title="Invoice"
          render={(v: string | null, r) =>
            r.invoice_id ? (
              <Link to={`/invoices/show/${r.invoice_id}`}>
                <span style={nowrap}>{v}</span>
              </Link>
            ) : r.legacy_billed ? (
              <Tooltip title="Billed by the old system before the import: never put on a Milkrun invoice">
                <Tag>old system</Tag>
              </Tooltip>
            ) : (
              <Tag color="gold">not invoiced</Tag>
            )
          }
        />
      </Table>
    </List>
  );
}
