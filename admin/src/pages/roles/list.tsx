import { CreateButton, EditButton, getDefaultSortOrder, List, ShowButton, useTable } from '@refinedev/antd';
import { type HttpError, useCan, useLink } from '@refinedev/core';
import { Empty, Input, Space, Table, Tag, Typography } from 'antd';
import { listUrl } from '../invoices/shared';
import { QueryError } from '../../components/QueryError';
import { RoleTags } from '../../components/tags';
import type { Role } from '../../types';
import { usePhoneTable } from '../../components/responsive';
import { RoleDeleteButton } from './delete';

export function RoleList() {
  const Link = useLink();
  const { tableProps, sorters, tableQuery, setFilters } = useTable<Role, HttpError>({
    sorters: { initial: [{ field: 'name', order: 'asc' }] },
    pagination: { pageSize: 25 },
  });
  const { data: canEdit } = useCan({ resource: 'roles', action: 'edit' });
  const { data: canDelete } = useCan({ resource: 'roles', action: 'delete' });
  const phoneTable = usePhoneTable();
  return (
    <List headerButtons={<CreateButton>New role</CreateButton>}>
      <Input.Search
        placeholder="Search roles"
        allowClear
        style={{ width: 280, maxWidth: '100%', marginBottom: 16 }}
        onSearch={(q) => setFilters([{ field: 'q', operator: 'eq', value: q.trim() || undefined }], 'replace')}
      />
      <QueryError error={tableQuery.error} onRetry={() => tableQuery.refetch()} />
      <Table {...tableProps} {...phoneTable.table} rowKey="id" locale={{ emptyText: <Empty description="No roles" /> }}>
        <Table.Column<Role> dataIndex="name" title="Role" sorter defaultSortOrder={getDefaultSortOrder('name', sorters)} render={(v: string, r) => <Link to={`/roles/show/${r.id}`}><RoleTags roles={[v]} /></Link>} />
        <Table.Column<Role> dataIndex="description" title="What it is for" render={(v: string) => v || <Typography.Text type="secondary">—</Typography.Text>} />
        <Table.Column<Role> dataIndex="requires_totp" title="2FA" render={(v: boolean) => (v ? <Tag color="purple">required</Tag> : <Typography.Text type="secondary" style={{ whiteSpace: 'nowrap' }}>optional</Typography.Text>)} />
        <Table.Column<Role> dataIndex="member_count" title="Members" align="right" sorter defaultSortOrder={getDefaultSortOrder('member_count', sorters)} render={(n: number, r) => (n ? <Link to={listUrl('/users', [{ field: 'role', value: r.name }])}>{n}</Link> : 0)} />
        <Table.Column<Role> dataIndex="permissions" title="Permissions" align="right" render={(v: Role['permissions']) => v.length} />
        <Table.Column<Role>
          title="Actions"
          key="actions"
          {...phoneTable.actions}
          render={(_, r) => (
            <Space>
              <ShowButton hideText size="small" recordItemId={r.id} />
              {canEdit?.can && <EditButton hideText size="small" recordItemId={r.id} />}
              {canDelete?.can && <RoleDeleteButton role={r} hideText />}
            </Space>
          )}
        />
      </Table>
    </List>
  );
}
