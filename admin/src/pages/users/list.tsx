import { getDefaultSortOrder, List, useTable } from '@refinedev/antd';
import type { HttpError } from '@refinedev/core';
import { Empty, Input, Table, Tag } from 'antd';
import { DateTime } from '../../components/DateTime';
import { QueryError } from '../../components/QueryError';
import { ActiveTag, RoleTags } from '../../components/tags';
import type { User } from '../../types';

export function UserList() {
  const { tableProps, sorters, tableQuery, setFilters } = useTable<User, HttpError>({
    sorters: { initial: [{ field: 'email', order: 'asc' }] },
    pagination: { pageSize: 25 },
  });
  return (
    <List>
      <Input.Search
        placeholder="Search name or email"
        allowClear
        style={{ width: 280, marginBottom: 16 }}
        onSearch={(q) => setFilters([{ field: 'q', operator: 'eq', value: q.trim() || undefined }], 'replace')}
      />
      <QueryError error={tableQuery.error} onRetry={() => tableQuery.refetch()} />
      <Table {...tableProps} rowKey="id" locale={{ emptyText: <Empty description="No users" /> }}>
        <Table.Column<User> dataIndex="name" title="Name" sorter defaultSortOrder={getDefaultSortOrder('name', sorters)} />
        <Table.Column<User> dataIndex="email" title="Email" sorter defaultSortOrder={getDefaultSortOrder('email', sorters)} />
        <Table.Column<User> dataIndex="roles" title="Roles" render={(v: string[]) => (v.length ? <RoleTags roles={v} /> : <Tag>no role</Tag>)} />
        <Table.Column<User> dataIndex="is_active" title="Status" sorter defaultSortOrder={getDefaultSortOrder('is_active', sorters)} render={(v: boolean) => <ActiveTag active={v} />} />
        <Table.Column<User> dataIndex="totp_enabled" title="2FA" render={(v: boolean) => <ActiveTag active={v} yes="on" no="off" />} />
        <Table.Column<User> dataIndex="created_at" title="Created" sorter defaultSortOrder={getDefaultSortOrder('created_at', sorters)} render={(v: string) => <DateTime value={v} dateOnly />} />
      </Table>
    </List>
  );
}
