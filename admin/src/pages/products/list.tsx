import { CreateButton, EditButton, getDefaultSortOrder, List, useTable } from '@refinedev/antd';
import { type HttpError, useCan, useUpdate } from '@refinedev/core';
import { Button, Empty, Form, Popconfirm, Select, Space, Table, Typography } from 'antd';
import { FilterBar, FilterSearch } from '../../components/FilterBar';
import { filterValue } from '../../components/filters';
import { Money } from '../../components/Money';
import { QueryError } from '../../components/QueryError';
import { ActiveTag } from '../../components/tags';
import { formatGst } from '../../format';
import type { Product } from '../../types';
import { usePhoneTable } from '../../components/responsive';

interface Search {
  q?: string;
  is_active?: 'true' | 'false';
  category?: string;
}

export function ProductList() {
  const { tableProps, sorters, filters, searchFormProps, tableQuery } = useTable<Product, HttpError, Search>({
    sorters: { initial: [{ field: 'name', order: 'asc' }] },
    pagination: { pageSize: 25 },
    onSearch: ({ q, is_active, category }) => [
      { field: 'q', operator: 'eq', value: q?.trim() || undefined },
      { field: 'is_active', operator: 'eq', value: is_active || undefined },
      { field: 'category', operator: 'contains', value: category?.trim() || undefined },
    ],
  });
  const { mutate: update, mutation } = useUpdate<Product>();
  const { data: canEdit } = useCan({ resource: 'products', action: 'edit' });
  const hasFilters = Boolean(filterValue(filters, 'q') || filterValue(filters, 'is_active') || filterValue(filters, 'category'));

  const setActive = (p: Product, is_active: boolean) =>
    update({
      resource: 'products',
      id: p.id,
      values: { is_active },
      successNotification: { type: 'success', description: is_active ? `${p.name} is active again` : `${p.name} deactivated`, message: is_active ? 'It can be ordered again.' : 'It can no longer be ordered.' },
    });

  const phoneTable = usePhoneTable();
  return (
    <List headerButtons={<CreateButton />}>
      <FilterBar form={searchFormProps} initialValues={{ q: filterValue(filters, 'q'), is_active: filterValue(filters, 'is_active'), category: filterValue(filters, 'category') }} typed={['q', 'category']} cleared={{ q: undefined, is_active: undefined, category: undefined }} active={hasFilters}>
        <FilterSearch name="q" placeholder="Name, SKU or category" width={260} />
        <Form.Item name="is_active">
          <Select
            allowClear
            placeholder="Active and inactive"
            style={{ width: 190 }}
            options={[
              { value: 'true', label: 'Active only' },
              { value: 'false', label: 'Inactive only' },
            ]}
          />
        </Form.Item>
        <FilterSearch name="category" placeholder="Category" width={180} />
      </FilterBar>
      <QueryError error={tableQuery.error} onRetry={() => tableQuery.refetch()} />
      <Table {...tableProps} {...phoneTable.table} rowKey="id" locale={{ emptyText: <Empty description={hasFilters ? 'No products match these filters' : 'No products yet'} /> }}>
        <Table.Column<Product>
          dataIndex="name"
          title="Product"
          sorter
          defaultSortOrder={getDefaultSortOrder('name', sorters)}
          render={(v: string, p) => (
            <Space direction="vertical" size={0}>
              <Typography.Text strong={p.is_active} type={p.is_active ? undefined : 'secondary'}>{v}</Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>{p.sku}</Typography.Text>
            </Space>
          )}
        />
        <Table.Column<Product> dataIndex="category" title="Category" sorter defaultSortOrder={getDefaultSortOrder('category', sorters)} />
        <Table.Column<Product> dataIndex="unit" title="Unit" render={(_, p) => [p.unit_size, p.unit].filter(Boolean).join(' · ')} />
        <Table.Column<Product> dataIndex="price_paise" title="Price" align="right" sorter defaultSortOrder={getDefaultSortOrder('price_paise', sorters)} render={(v: number) => <Money paise={v} />} />
        <Table.Column<Product> dataIndex="gst_rate_bp" title="GST" align="right" sorter defaultSortOrder={getDefaultSortOrder('gst_rate_bp', sorters)} render={(v: number) => formatGst(v)} />
        <Table.Column<Product> dataIndex="hsn_code" title="HSN" />
        <Table.Column<Product> dataIndex="is_active" title="Status" sorter defaultSortOrder={getDefaultSortOrder('is_active', sorters)} render={(v: boolean) => <ActiveTag active={v} />} />
        {canEdit?.can && (
        <Table.Column<Product>
          title="Actions"
          key="actions" {...phoneTable.actions}
          render={(_, p) => (
            <Space>
              <EditButton hideText size="small" recordItemId={p.id} />
              {/* Products are never deleted (orders and bills point at them): deactivating stops new orders. */}
                <Popconfirm
                  title={p.is_active ? `Deactivate ${p.name}?` : `Reactivate ${p.name}?`}
                  description={p.is_active ? 'Customers will no longer be able to order it.' : 'It becomes orderable again.'}
                  okText={p.is_active ? 'Deactivate' : 'Reactivate'}
                  okButtonProps={{ danger: p.is_active }}
                  onConfirm={() => setActive(p, !p.is_active)}
                >
                  <Button size="small" danger={p.is_active} loading={mutation.isPending && mutation.variables?.id === p.id}>
                    {p.is_active ? 'Deactivate' : 'Reactivate'}
                  </Button>
                </Popconfirm>
            </Space>
          )}
        />
        )}
      </Table>
    </List>
  );
}
