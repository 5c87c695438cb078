import { withTotal } from '../../components/listTotal';
import { EditButton, getDefaultSortOrder, List, ShowButton, useTable } from '@refinedev/antd';
import { type HttpError, useLink } from '@refinedev/core';
import { Empty, Form, Select, Space, Table } from 'antd';
import { DateTime } from '../../components/DateTime';
import { FilterBar, FilterSearch, ZoneSelect } from '../../components/FilterBar';
import { filterValue } from '../../components/filters';
import { QueryError } from '../../components/QueryError';
import { CustomerStatusTag } from '../../components/tags';
import { formatPhone } from '../../format';
import type { Customer } from '../../types';
import { usePhoneTable } from '../../components/responsive';
import { ExportButton } from '../../components/ExportButton';

interface Search {
  q?: string;
  zone_id?: string;
  status?: string;
}

export const customerStatusOptions = [
  { value: 'active', label: 'Active' },
  { value: 'paused', label: 'Paused' },
  { value: 'inactive', label: 'Inactive' },
];

export function CustomerList() {
  const Link = useLink();
  const { tableProps, sorters, filters, searchFormProps, tableQuery } = useTable<Customer, HttpError, Search>({
    sorters: { initial: [{ field: 'created_at', order: 'desc' }] },
    pagination: { pageSize: 25 },
    // Empty inputs become undefined, which Refine drops, so no "status=" reaches the API (that would be a 400).
    onSearch: ({ q, zone_id, status }) => [
      { field: 'q', operator: 'eq', value: q?.trim() || undefined },
      { field: 'zone_id', operator: 'eq', value: zone_id || undefined },
      { field: 'status', operator: 'eq', value: status || undefined },
    ],
  });
  const hasFilters = Boolean(filterValue(filters, 'q') || filterValue(filters, 'zone_id') || filterValue(filters, 'status'));

  const phoneTable = usePhoneTable();
  return (
    <List headerButtons={({ defaultButtons }) => (<>{defaultButtons}<ExportButton resource="customers" filters={filters} sorters={sorters} /></>)}>
      <FilterBar form={searchFormProps} initialValues={{ q: filterValue(filters, 'q'), zone_id: filterValue(filters, 'zone_id'), status: filterValue(filters, 'status') }} cleared={{ q: undefined, zone_id: undefined, status: undefined }} active={hasFilters}>
        <FilterSearch name="q" placeholder="Name, phone or email" width={280} />
        <Form.Item name="zone_id">
          <ZoneSelect allowClear placeholder="All zones" style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name="status">
          <Select allowClear placeholder="Any status" options={customerStatusOptions} style={{ width: 160 }} />
        </Form.Item>
      </FilterBar>
      <QueryError error={tableQuery.error} onRetry={() => tableQuery.refetch()} />
      <Table
        {...withTotal(tableProps, tableQuery.data)} {...phoneTable.table}
        rowKey="id"
        locale={{ emptyText: <Empty description={hasFilters ? 'No customers match these filters' : 'No customers yet'} /> }}
      >
        <Table.Column<Customer>
          dataIndex="name"
          title="Name"
          sorter
          defaultSortOrder={getDefaultSortOrder('name', sorters)}
          render={(v: string, c) => <Link to={`/customers/show/${c.id}`}>{v}</Link>}
        />
        <Table.Column<Customer> dataIndex="phone" title="Phone" sorter defaultSortOrder={getDefaultSortOrder('phone', sorters)} render={(v: string) => <span style={{ whiteSpace: 'nowrap' }}>{formatPhone(v)}</span>} />
        <Table.Column<Customer> dataIndex="zone_name" title="Zone" sorter defaultSortOrder={getDefaultSortOrder('zone_name', sorters)} />
        <Table.Column<Customer> dataIndex="status" title="Status" sorter defaultSortOrder={getDefaultSortOrder('status', sorters)} render={(v: Customer['status']) => <CustomerStatusTag status={v} />} />
        <Table.Column<Customer> dataIndex="created_at" title="Created" sorter defaultSortOrder={getDefaultSortOrder('created_at', sorters)} render={(v: string) => <DateTime value={v} dateOnly />} />
        <Table.Column<Customer>
          title="Actions"
          key="actions" {...phoneTable.actions}
          render={(_, c) => (
            <Space>
              <ShowButton hideText size="small" recordItemId={c.id} />
              <EditButton hideText size="small" recordItemId={c.id} />
            </Space>
          )}
        />
      </Table>
    </List>
  );
}
