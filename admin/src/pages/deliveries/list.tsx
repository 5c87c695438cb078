import { withTotal } from '../../components/listTotal';
import { getDefaultSortOrder, List, ShowButton, useSelect, useTable } from '@refinedev/antd';
import { type HttpError, useCan, useLink } from '@refinedev/core';
import { Button, DatePicker, Empty, Form, Select, Space, Table, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { DateTime } from '../../components/DateTime';
import { FilterBar, FilterSearch, ZoneSelect } from '../../components/FilterBar';
import { filterValue } from '../../components/filters';
import { QueryError } from '../../components/QueryError';
import { dayFormats, formatDay, todayIST } from '../orders/pickers';
import { DeliveryStatusTag, deliveryStatusOptions, KindTag, ShiftTag, shiftOptions } from '../orders/tags';
import type { Staff } from '../staff/types';
import { ConfirmDeliveryModal, FailDeliveryModal } from './dialogs';
import type { Delivery } from './types';
import { usePhoneTable } from '../../components/responsive';
import { ExportButton } from '../../components/ExportButton';

interface Search {
  q?: string;
  status?: string;
  staff_id?: string;
  shift?: string;
  zone_id?: string;
  dates?: [Dayjs, Dayjs] | null;
}

const plain = ['q', 'status', 'staff_id', 'shift', 'zone_id'] as const;

export function DeliveryList() {
  const Link = useLink();
  const today = todayIST();
  const { tableProps, sorters, filters, searchFormProps, tableQuery } = useTable<Delivery, HttpError, Search>({
    // Today's run by default; the date range filter widens it.
    filters: {
      initial: [
        { field: 'order_date', operator: 'gte', value: today },
        { field: 'order_date', operator: 'lte', value: today },
      ],
    },
    sorters: { initial: [{ field: 'order_date', order: 'desc' }, { field: 'staff_name', order: 'asc' }] },
    pagination: { pageSize: 25 },
    onSearch: (v) => [
      ...plain.map((f) => ({ field: f, operator: 'eq' as const, value: (f === 'q' ? v.q?.trim() : v[f]) || undefined })),
      { field: 'order_date', operator: 'gte' as const, value: v.dates?.[0]?.format('YYYY-MM-DD') },
      { field: 'order_date', operator: 'lte' as const, value: v.dates?.[1]?.format('YYYY-MM-DD') },
    ],
  });
  const { selectProps: staffSelect } = useSelect<Staff>({
    resource: 'staff',
    optionLabel: 'name',
    optionValue: 'id',
    defaultValue: filterValue(filters, 'staff_id', 'eq'),
    sorters: [{ field: 'name', order: 'asc' }],
    pagination: { pageSize: 100 },
    onSearch: (v) => [{ field: 'q', operator: 'eq', value: v.trim() || undefined }],
  });
  const { data: canConfirm } = useCan({ resource: 'deliveries', action: 'confirm' });
  const { data: canFail } = useCan({ resource: 'deliveries', action: 'fail' });
  const [confirming, setConfirming] = useState<Delivery | null>(null);
  const [failing, setFailing] = useState<Delivery | null>(null);
  const from = filterValue(filters, 'order_date', 'gte');
  const to = filterValue(filters, 'order_date', 'lte');
  const hasFilters = plain.some((f) => filterValue(filters, f, 'eq'));
  const range = from && to ? (from === to ? formatDay(from) : `${formatDay(from)} to ${formatDay(to)}`) : from ? `from ${formatDay(from)}` : to ? `until ${formatDay(to)}` : 'any day';

  const phoneTable = usePhoneTable();
  return (
    <List title={`Deliveries · ${range}`} headerButtons={<ExportButton resource="deliveries" filters={filters} sorters={sorters} />}>
      <FilterBar form={searchFormProps} initialValues={{ ...Object.fromEntries(plain.map((f) => [f, filterValue(filters, f, 'eq')])), dates: from && to ? [dayjs(from), dayjs(to)] : undefined }} cleared={{ ...Object.fromEntries(plain.map((f) => [f, undefined])), dates: [dayjs(today), dayjs(today)] }} active={hasFilters || from !== today || to !== today} clearLabel="Today, all">
        <FilterSearch name="q" placeholder="Customer, phone, address, PIN" width={240} />
        <Form.Item name="dates">
          <DatePicker.RangePicker format={dayFormats} placeholder={['From', 'to']} style={{ width: 250 }} />
        </Form.Item>
        <Form.Item name="shift">
          <Select allowClear placeholder="Any shift" style={{ width: 120 }} options={shiftOptions} />
        </Form.Item>
        <Form.Item name="status">
          <Select allowClear placeholder="Any status" style={{ width: 140 }} options={deliveryStatusOptions} />
        </Form.Item>
        <Form.Item name="staff_id">
          <Select {...staffSelect} allowClear showSearch placeholder="Any staff" style={{ width: 180 }} />
        </Form.Item>
        <Form.Item name="zone_id">
          <ZoneSelect allowClear placeholder="Any zone" style={{ width: 170 }} />
        </Form.Item>
      </FilterBar>
      <QueryError error={tableQuery.error} onRetry={() => tableQuery.refetch()} />
      <Table {...withTotal(tableProps, tableQuery.data)} {...phoneTable.table} rowKey="id" locale={{ emptyText: <Empty description={hasFilters || from !== today || to !== today ? 'No deliveries match these filters' : 'No deliveries today: generate the orders first'} /> }}>
        <Table.Column<Delivery>
          dataIndex="order_date"
          title="Day"
          sorter
          defaultSortOrder={getDefaultSortOrder('order_date', sorters)}
          render={(v: string, d) => (
            <Space direction="vertical" size={0}>
              <Link to={`/deliveries/show/${d.id}`} style={{ whiteSpace: 'nowrap' }}>
                {formatDay(v)}
              </Link>
              <ShiftTag shift={d.shift} />
            </Space>
          )}
        />
        <Table.Column<Delivery>
          dataIndex="customer_name"
          title="Customer"
          render={(v: string, d) => (
            <Space direction="vertical" size={0}>
              <span>{v}</span>
              <Typography.Text type="secondary" style={{ fontSize: 12, maxWidth: 320 }} ellipsis={{ tooltip: d.address_line }}>
                {d.address_line}
              </Typography.Text>
            </Space>
          )}
        />
        <Table.Column<Delivery>
          dataIndex="zone_name"
          title="Zone / PIN"
          render={(v: string | null, d) => (
            <Space direction="vertical" size={0} style={{ whiteSpace: 'nowrap' }}>
              <span>{v ?? '—'}</span>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {d.pin_code}
              </Typography.Text>
            </Space>
          )}
        />
        <Table.Column<Delivery>
          dataIndex="staff_name"
          title="Staff"
          sorter
          defaultSortOrder={getDefaultSortOrder('staff_name', sorters)}
          render={(v: string | null) => <span style={{ whiteSpace: 'nowrap' }}>{v ?? <Typography.Text type="warning">unassigned</Typography.Text>}</span>}
        />
        <Table.Column<Delivery>
          dataIndex="kind"
          title="Order"
          render={(v: Delivery['kind'], d) => (
            <Space direction="vertical" size={0} style={{ whiteSpace: 'nowrap' }}>
              <KindTag kind={v} />
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {d.item_count} item{d.item_count === 1 ? '' : 's'}
              </Typography.Text>
            </Space>
          )}
        />
        <Table.Column<Delivery> dataIndex="status" title="Status" render={(v: Delivery['status']) => <DeliveryStatusTag status={v} />} />
        <Table.Column<Delivery> dataIndex="delivered_at" title="At" render={(v: string | null) => (v ? <DateTime value={v} /> : null)} />
        <Table.Column<Delivery>
          title="Actions"
          key="actions"
          {...phoneTable.actions}
          render={(_, d) => {
            const open = d.status === 'pending' && d.order_status === 'pending';
            return (
              <Space style={{ whiteSpace: 'nowrap' }}>
                {open && canConfirm?.can && (
                  <Button size="small" type="primary" onClick={() => setConfirming(d)}>
                    Confirm
                  </Button>
                )}
                {open && canFail?.can && (
                  <Button size="small" danger onClick={() => setFailing(d)}>
                    Fail
                  </Button>
                )}
                <ShowButton hideText size="small" recordItemId={d.id} />
              </Space>
            );
          }}
        />
      </Table>
      {confirming && <ConfirmDeliveryModal delivery={confirming} open onClose={() => setConfirming(null)} />}
      {failing && <FailDeliveryModal delivery={failing} open onClose={() => setFailing(null)} />}
    </List>
  );
}
