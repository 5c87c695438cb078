import { DeleteButton, EditButton, getDefaultSortOrder, List, useTable } from '@refinedev/antd';
import { type HttpError, useCan } from '@refinedev/core';
import { Empty, Form, Input, Space, Table, Typography } from 'antd';
import { DateTime } from '../../components/DateTime';
import { QueryError } from '../../components/QueryError';
import type { Zone } from '../../types';
import { usePhoneTable } from '../../components/responsive';

export function ZoneList() {
  const { tableProps, sorters, searchFormProps, tableQuery } = useTable<Zone, HttpError, { q?: string }>({
    sorters: { initial: [{ field: 'name', order: 'asc' }] },
    pagination: { pageSize: 25 },
    onSearch: ({ q }) => [{ field: 'q', operator: 'eq', value: q?.trim() || undefined }],
  });
  const { data: canEdit } = useCan({ resource: 'zones', action: 'edit' });
  const { data: canDelete } = useCan({ resource: 'zones', action: 'delete' });
  const phoneTable = usePhoneTable();
  return (
    <List>
      <Form {...searchFormProps} layout="inline" style={{ marginBottom: 16 }}>
        <Form.Item name="q">
          <Input.Search placeholder="Search zones" allowClear onSearch={() => searchFormProps.form?.submit()} style={{ width: 280 }} />
        </Form.Item>
      </Form>
      <QueryError error={tableQuery.error} onRetry={() => tableQuery.refetch()} />
      <Table {...tableProps} {...phoneTable.table} rowKey="id" locale={{ emptyText: <Empty description="No zones yet" /> }}>
        <Table.Column<Zone> dataIndex="name" title="Zone" sorter defaultSortOrder={getDefaultSortOrder('name', sorters)} render={(v: string) => <Typography.Text strong>{v}</Typography.Text>} />
        <Table.Column<Zone> dataIndex="customer_count" title="Customers" align="right" sorter defaultSortOrder={getDefaultSortOrder('customer_count', sorters)} />
        <Table.Column<Zone> dataIndex="created_at" title="Created" sorter defaultSortOrder={getDefaultSortOrder('created_at', sorters)} render={(v: string) => <DateTime value={v} dateOnly />} />
        {(canEdit?.can || canDelete?.can) && (
        <Table.Column<Zone>
          title="Actions"
          key="actions" {...phoneTable.actions}
          render={(_, z) => (
            <Space>
              <EditButton hideText size="small" recordItemId={z.id} />
              {/* The API refuses (409) while customers live in the zone; its message says how many. */}
              <DeleteButton
                hideText
                size="small"
                recordItemId={z.id}
                confirmTitle={`Delete zone "${z.name}"?`}
                confirmOkText="Delete"
                errorNotification={(error) => ({ type: 'error', description: `Could not delete ${z.name}`, message: (error as HttpError | undefined)?.message ?? 'The server did not answer.' })}
              />
            </Space>
          )}
        />
        )}
      </Table>
    </List>
  );
}
