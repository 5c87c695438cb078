import { withTotal } from '../../components/listTotal';
import { CreateButton, getDefaultSortOrder, List, ShowButton, useTable } from '@refinedev/antd';
import { type HttpError, useCan, useLink } from '@refinedev/core';
import { Button, DatePicker, Empty, Form, Select, Space, Table, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { FilterBar, FilterSearch } from '../../components/FilterBar';
import { filterValue } from '../../components/filters';
import { Money } from '../../components/Money';
import { QueryError } from '../../components/QueryError';
import { GenerateOrdersModal } from './generate';
import { dayFormats, formatDay, useCustomerSelect } from './pickers';
import { DeliveryStatusTag, KindTag, kindOptions, OrderStatusTag, orderStatusOptions, ShiftTag, shiftOptions } from './tags';
import type { Order } from './types';
import { usePhoneTable } from '../../components/responsive';
import { ExportButton } from '../../components/ExportButton';

interface Search {
  q?: string;
  status?: string;
  kind?: string;
  shift?: string;
  customer_id?: string;
  dates?: [Dayjs, Dayjs] | null;
}

const plain = ['q', 'status', 'kind', 'shift', 'customer_id'] as const;

export function OrderList() {
  const Link = useLink();
  const { tableProps, sorters, filters, searchFormProps, tableQuery } = useTable<Order, HttpError, Search>({
    sorters: { initial: [{ field: 'delivery_date', order: 'desc' }] },
    pagination: { pageSize: 25 },
    onSearch: (v) => [
      ...plain.map((f) => ({ field: f, operator: 'eq' as const, value: (f === 'q' ? v.q?.trim() : v[f]) || undefined })),
      { field: 'delivery_date', operator: 'gte' as const, value: v.dates?.[0]?.format('YYYY-MM-DD') },
      { field: 'delivery_date', operator: 'lte' as const, value: v.dates?.[1]?.format('YYYY-MM-DD') },
    ],
  });
  const { selectProps: customerSelect } = useCustomerSelect({ defaultValue: filterValue(filters, 'customer_id', 'eq') });
  const { data: canGenerate } = useCan({ resource: 'orders', action: 'generate' });
  const [generating, setGenerating] = useState(false);
  const from = filterValue(filters, 'delivery_date', 'gte');
  const to = filterValue(filters, 'delivery_date', 'lte');
  const hasFilters = plain.some((f) => filterValue(filters, f, 'eq')) || Boolean(from || to);

  const phoneTable = usePhoneTable();
  return (
    <List
      headerButtons={
        <>
          {canGenerate?.can && <Button onClick={() => setGenerating(true)}>Generate orders</Button>}
          <ExportButton resource="orders" filters={filters} sorters={sorters} />
          <CreateButton>New one-time order</CreateButton>
        </>
      }
    >
      <FilterBar form={searchFormProps} initialValues={{ ...Object.fromEntries(plain.map((f) => [f, filterValue(filters, f, 'eq')])), dates: from && to ? [dayjs(from), dayjs(to)] : undefined }} cleared={{ ...Object.fromEntries(plain.map((f) => [f, undefined])), dates: undefined }} active={hasFilters}>
        <FilterSearch name="q" placeholder="Customer or note" width={200} />
        <Form.Item name="dates">
          <DatePicker.RangePicker format={dayFormats} placeholder={['Delivery from', 'to']} style={{ width: 260 }} />
        </Form.Item>
        <Form.Item name="customer_id">
          <Select {...customerSelect} allowClear showSearch placeholder="Any customer" style={{ width: 230 }} />
        </Form.Item>
        <Form.Item name="status">
          <Select allowClear placeholder="Any status" style={{ width: 170 }} options={orderStatusOptions} />
        </Form.Item>
        <Form.Item name="kind">
          <Select allowClear placeholder="Any kind" style={{ width: 140 }} options={kindOptions} />
        </Form.Item>
        <Form.Item name="shift">
          <Select allowClear placeholder="Any shift" style={{ width: 120 }} options={shiftOptions} />
        </Form.Item>
      </FilterBar>
      <QueryError error={tableQuery.error} onRetry={() => tableQuery.refetch()} />
      <Table {...withTotal(tableProps, tableQuery.data)} {...phoneTable.table} rowKey="id" locale={{ emptyText: <Empty description={hasFilters ? 'No orders match these filters' : 'No orders yet'} /> }}>
        <Table.Column<Order>
          dataIndex="delivery_date"
          title="Delivery"
          sorter
          defaultSortOrder={getDefaultSortOrder('delivery_date', sorters)}
          render={(v: string, o) => (
            <Space direction="vertical" size={0}>
              <Link to={`/orders/show/${o.id}`} style={{ whiteSpace: 'nowrap' }}>
                {formatDay(v)}
              </Link>
              <ShiftTag shift={o.shift} />
            </Space>
          )}
        />
        <Table.Column<Order>
          dataIndex="customer_name"
          title="Customer"
          render={(v: string, o) => (
            <Space direction="vertical" size={0}>
              <Link to={`/customers/show/${o.customer_id}`}>{v}</Link>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {o.zone_name ?? ''}
              </Typography.Text>
            </Space>
          )}
        />
        <Table.Column<Order> dataIndex="kind" title="Kind" render={(v: Order['kind']) => <KindTag kind={v} />} />
        <Table.Column<Order> dataIndex="item_count" title="Items" align="right" />
        <Table.Column<Order> dataIndex="total_paise" title="Total" align="right" sorter defaultSortOrder={getDefaultSortOrder('total_paise', sorters)} render={(v: number) => <Money paise={v} />} />
        <Table.Column<Order> dataIndex="payment_method" title="Payment" />
        <Table.Column<Order> dataIndex="status" title="Order" render={(v: Order['status']) => <OrderStatusTag status={v} />} />
        <Table.Column<Order>
          dataIndex="delivery_status"
          title="Delivery"
          render={(v: Order['delivery_status'], o) =>
            o.delivery_id ? (
              <Link to={`/deliveries/show/${o.delivery_id}`}>
                <DeliveryStatusTag status={v} />
              </Link>
            ) : (
              <DeliveryStatusTag status={v} />
            )
          }
        />
        <Table.Column<Order> dataIndex="staff_name" title="Staff" render={(v: string | null) => v ?? <Typography.Text type="secondary">unassigned</Typography.Text>} />
        <Table.Column<Order> title="Actions" key="actions" {...phoneTable.actions} render={(_, o) => <ShowButton hideText size="small" recordItemId={o.id} />} />
      </Table>
      <GenerateOrdersModal open={generating} onClose={() => setGenerating(false)} />
    </List>
  );
}
