import { withTotal } from '../../components/listTotal';
import { CreateButton, EditButton, getDefaultSortOrder, List, ShowButton, useTable } from '@refinedev/antd';
import { type HttpError, useCan, useLink } from '@refinedev/core';
import { Empty, Form, Select, Space, Table, Tag, Typography } from 'antd';
import { FilterBar, FilterSearch } from '../../components/FilterBar';
import { filterValue } from '../../components/filters';
import { QueryError } from '../../components/QueryError';
import { formatDay, scheduleText, useCustomerSelect, useProductSelect } from '../orders/pickers';
import { ShiftTag, shiftOptions, SubscriptionStatusTag } from '../orders/tags';
import type { Subscription } from './types';
import { usePhoneTable } from '../../components/responsive';
import { ExportButton } from '../../components/ExportButton';

interface Search {
  q?: string;
  customer_id?: string;
  product_id?: string;
  status?: string;
  shift?: string;
  schedule?: string;
}

const fields = ['q', 'customer_id', 'product_id', 'status', 'shift', 'schedule'] as const;
export const scheduleOptions = [
  { value: 'daily', label: 'Daily' },
  { value: 'alternate', label: 'Alternate days' },
  { value: 'weekdays', label: 'Chosen weekdays' },
];

export function SubscriptionList() {
  const Link = useLink();
  const { tableProps, sorters, filters, searchFormProps, tableQuery } = useTable<Subscription, HttpError, Search>({
    sorters: { initial: [{ field: 'created_at', order: 'desc' }] },
    pagination: { pageSize: 25 },
    onSearch: (v) => fields.map((f) => ({ field: f, operator: 'eq' as const, value: (f === 'q' ? v.q?.trim() : v[f]) || undefined })),
  });
  const { selectProps: customerSelect } = useCustomerSelect({ defaultValue: filterValue(filters, 'customer_id') });
  const { selectProps: productSelect } = useProductSelect({ defaultValue: filterValue(filters, 'product_id'), withPrice: false });
  const { data: canEdit } = useCan({ resource: 'subscriptions', action: 'edit' });
  const hasFilters = fields.some((f) => filterValue(filters, f));

  const phoneTable = usePhoneTable();
  return (
    <List headerButtons={<><ExportButton resource="subscriptions" filters={filters} sorters={sorters} /><CreateButton>New subscription</CreateButton></>}>
      <FilterBar form={searchFormProps} initialValues={Object.fromEntries(fields.map((f) => [f, filterValue(filters, f)]))} cleared={Object.fromEntries(fields.map((f) => [f, undefined]))} active={hasFilters}>
        <FilterSearch name="q" placeholder="Customer or product" width={220} />
        <Form.Item name="customer_id">
          <Select {...customerSelect} allowClear showSearch placeholder="Any customer" style={{ width: 240 }} />
        </Form.Item>
        <Form.Item name="product_id">
          <Select {...productSelect} allowClear showSearch placeholder="Any product" style={{ width: 220 }} />
        </Form.Item>
        <Form.Item name="status">
          <Select
            allowClear
            placeholder="Any status"
            style={{ width: 140 }}
            options={[
              { value: 'active', label: 'Active' },
              { value: 'cancelled', label: 'Cancelled' },
            ]}
          />
        </Form.Item>
        <Form.Item name="shift">
          <Select allowClear placeholder="Any shift" style={{ width: 130 }} options={shiftOptions} />
        </Form.Item>
        <Form.Item name="schedule">
          <Select allowClear placeholder="Any schedule" style={{ width: 170 }} options={scheduleOptions} />
        </Form.Item>
      </FilterBar>
      <QueryError error={tableQuery.error} onRetry={() => tableQuery.refetch()} />
      <Table {...withTotal(tableProps, tableQuery.data)} {...phoneTable.table} rowKey="id" locale={{ emptyText: <Empty description={hasFilters ? 'No subscriptions match these filters' : 'No subscriptions yet'} /> }}>
        <Table.Column<Subscription>
          dataIndex="customer_name"
          title="Customer"
          render={(v: string, s) => <Link to={`/customers/show/${s.customer_id}`}>{v}</Link>}
        />
        <Table.Column<Subscription>
          dataIndex="product_name"
          title="Product"
          render={(v: string, s) => <Link to={`/subscriptions/show/${s.id}`}>{v}</Link>}
        />
        <Table.Column<Subscription> dataIndex="quantity" title="Qty" align="right" sorter defaultSortOrder={getDefaultSortOrder('quantity', sorters)} />
        <Table.Column<Subscription> dataIndex="schedule" title="Schedule" sorter defaultSortOrder={getDefaultSortOrder('schedule', sorters)} render={(_, s) => scheduleText(s)} />
        <Table.Column<Subscription> dataIndex="shift" title="Shift" sorter defaultSortOrder={getDefaultSortOrder('shift', sorters)} render={(v: Subscription['shift']) => <ShiftTag shift={v} />} />
        <Table.Column<Subscription>
          dataIndex="status"
          title="Status"
          sorter
          defaultSortOrder={getDefaultSortOrder('status', sorters)}
          render={(v: Subscription['status'], s) => (
            <Space size={0}>
              <SubscriptionStatusTag status={v} />
              {v === 'active' && s.paused_today && <Tag color="gold">paused today</Tag>}
            </Space>
          )}
        />
        <Table.Column<Subscription> dataIndex="start_date" title="From" sorter defaultSortOrder={getDefaultSortOrder('start_date', sorters)} render={(v: string) => <span style={{ whiteSpace: 'nowrap' }}>{formatDay(v)}</span>} />
        <Table.Column<Subscription>
          dataIndex="end_date"
          title="Until"
          sorter
          defaultSortOrder={getDefaultSortOrder('end_date', sorters)}
          render={(v: string | null) => (v ? <span style={{ whiteSpace: 'nowrap' }}>{formatDay(v)}</span> : <Typography.Text type="secondary">open-ended</Typography.Text>)}
        />
        <Table.Column<Subscription>
          title="Actions"
          key="actions" {...phoneTable.actions}
          render={(_, s) => (
            <Space>
              <ShowButton hideText size="small" recordItemId={s.id} />
              {canEdit?.can && s.status === 'active' && <EditButton hideText size="small" recordItemId={s.id} />}
            </Space>
          )}
        />
      </Table>
    </List>
  );
}
