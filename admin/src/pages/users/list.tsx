import { CreateButton, EditButton, getDefaultSortOrder, List, ShowButton, useSelect, useTable } from '@refinedev/antd';
import { type HttpError, useCan } from '@refinedev/core';
import { Empty, Form, Select, Space, Table, Tag, Typography } from 'antd';
import { DateTime } from '../../components/DateTime';
import { FilterBar, FilterSearch } from '../../components/FilterBar';
import { filterValue } from '../../components/filters';
import { QueryError } from '../../components/QueryError';
import { usePhoneTable } from '../../components/responsive';
import { ActiveTag, RoleTags } from '../../components/tags';
import type { Role, User } from '../../types';

interface Search {
  q?: string;
  role?: string;
  is_active?: 'true' | 'false';
}

export function UserList() {
  const { tableProps, sorters, filters, searchFormProps, tableQuery } = useTable<User, HttpError, Search>({
    sorters: { initial: [{ field: 'email', order: 'asc' }] },
    pagination: { pageSize: 25 },
    onSearch: ({ q, role, is_active }) => [
      { field: 'q', operator: 'eq', value: q?.trim() || undefined },
      { field: 'role', operator: 'eq', value: role || undefined },
      { field: 'is_active', operator: 'eq', value: is_active || undefined },
    ],
  });
  const { selectProps: roleSelect } = useSelect<Role>({ resource: 'roles', optionValue: 'name', optionLabel: 'name', sorters: [{ field: 'name', order: 'asc' }], pagination: { pageSize: 100 } });
  const { data: canEdit } = useCan({ resource: 'users', action: 'edit' });
  const hasFilters = Boolean(filterValue(filters, 'q') || filterValue(filters, 'role') || filterValue(filters, 'is_active'));
  const phoneTable = usePhoneTable();
  return (
    <List headerButtons={<CreateButton>Add user</CreateButton>}>
      <FilterBar
        form={searchFormProps}
        initialValues={{ q: filterValue(filters, 'q'), role: filterValue(filters, 'role'), is_active: filterValue(filters, 'is_active') }}
        cleared={{ q: undefined, role: undefined, is_active: undefined }}
        active={hasFilters}
      >
        <FilterSearch name="q" placeholder="Name or email" width={240} />
        <Form.Item name="role">
          <Select {...roleSelect} showSearch={false} onSearch={undefined} allowClear placeholder="All roles" style={{ width: 170 }} />
        </Form.Item>
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
      </FilterBar>
      <QueryError error={tableQuery.error} onRetry={() => tableQuery.refetch()} />
      <Table {...tableProps} {...phoneTable.table} rowKey="id" locale={{ emptyText: <Empty description={hasFilters ? 'No users match these filters' : 'No users'} /> }}>
        <Table.Column<User>
          dataIndex="name"
          title="Name"
          sorter
          defaultSortOrder={getDefaultSortOrder('name', sorters)}
          render={(v: string, u) => (
            <Typography.Text strong={u.is_active} type={u.is_active ? undefined : 'secondary'}>
              {v}
            </Typography.Text>
          )}
        />
        <Table.Column<User> dataIndex="email" title="Email" sorter defaultSortOrder={getDefaultSortOrder('email', sorters)} />
        <Table.Column<User> dataIndex="roles" title="Roles" render={(v: string[]) => (v.length ? <RoleTags roles={v} /> : <Tag>no role</Tag>)} />
        <Table.Column<User> dataIndex="is_active" title="Status" sorter defaultSortOrder={getDefaultSortOrder('is_active', sorters)} render={(v: boolean) => <ActiveTag active={v} />} />
        <Table.Column<User> dataIndex="totp_enabled" title="2FA" render={(v: boolean) => <ActiveTag active={v} yes="on" no="off" />} />
        <Table.Column<User> dataIndex="created_at" title="Created" sorter defaultSortOrder={getDefaultSortOrder('created_at', sorters)} render={(v: string) => <DateTime value={v} dateOnly />} />
        <Table.Column<User>
          title="Actions"
          key="actions"
          {...phoneTable.actions}
          render={(_, u) => (
            <Space>
              <ShowButton hideText size="small" recordItemId={u.id} />
              {canEdit?.can && <EditButton hideText size="small" recordItemId={u.id} />}
            </Space>
          )}
        />
      </Table>
    </List>
  );
}
