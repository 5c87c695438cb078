import { getDefaultSortOrder, List, ShowButton, useTable } from '@refinedev/antd';
import { type HttpError, useLink } from '@refinedev/core';
import { Empty, Table, Typography } from 'antd';
import { QueryError } from '../../components/QueryError';
import { RoleTags } from '../../components/tags';
import type { Role } from '../../types';
import { usePhoneTable } from '../../components/responsive';

export function RoleList() {
  const Link = useLink();
  const { tableProps, sorters, tableQuery } = useTable<Role, HttpError>({
    sorters: { initial: [{ field: 'name', order: 'asc' }] },
    pagination: { pageSize: 25 },
  });
  const phoneTable = usePhoneTable();
  return (
    <List>
      <QueryError error={tableQuery.error} onRetry={() => tableQuery.refetch()} />
      <Table {...tableProps} {...phoneTable.table} rowKey="id" locale={{ emptyText: <Empty description="No roles" /> }}>
        <Table.Column<Role> dataIndex="name" title="Role" sorter defaultSortOrder={getDefaultSortOrder('name', sorters)} render={(v: string, r) => <Link to={`/roles/show/${r.id}`}><RoleTags roles={[v]} /></Link>} />
        <Table.Column<Role> dataIndex="description" title="Description" render={(v: string) => v || <Typography.Text type="secondary">—</Typography.Text>} />
        <Table.Column<Role> dataIndex="member_count" title="Members" align="right" sorter defaultSortOrder={getDefaultSortOrder('member_count', sorters)} />
        <Table.Column<Role> dataIndex="permissions" title="Permissions" align="right" render={(v: Role['permissions']) => v.length} />
        <Table.Column<Role> title="" key="actions" {...phoneTable.actions} render={(_, r) => <ShowButton hideText size="small" recordItemId={r.id} />} />
      </Table>
    </List>
  );
}
