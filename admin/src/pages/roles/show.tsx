import { Show } from '@refinedev/antd';
import { useShow } from '@refinedev/core';
import { Descriptions, Empty, Table, Tag, Typography } from 'antd';
import { QueryError } from '../../components/QueryError';
import { RoleTags } from '../../components/tags';
import type { Role, RolePermission } from '../../types';

const any = (v: string) => (v === '*' ? <Tag color="magenta">any</Tag> : v);

export function RoleShow() {
  const { query, result: role } = useShow<Role>();
  return (
    <Show isLoading={query.isLoading} title={role ? `Role: ${role.name}` : 'Role'} canEdit={false} canDelete={false}>
      <QueryError error={query.error} onRetry={() => query.refetch()} />
      {role && (
        <>
          <Descriptions bordered size="small" column={{ xs: 1, md: 3 }} style={{ marginBottom: 24 }}>
            <Descriptions.Item label="Role">
              <RoleTags roles={[role.name]} />
            </Descriptions.Item>
            <Descriptions.Item label="Members">{role.member_count}</Descriptions.Item>
            <Descriptions.Item label="Permissions">{role.permissions.length}</Descriptions.Item>
            <Descriptions.Item label="Description" span={3}>
              {role.description || '—'}
            </Descriptions.Item>
          </Descriptions>
          <Typography.Title level={5}>Permissions</Typography.Title>
          <Table<RolePermission>
            size="small"
            rowKey={(p) => `${p.resource}:${p.action}`}
            dataSource={role.permissions}
            pagination={false}
            locale={{ emptyText: <Empty description="This role may do nothing" /> }}
          >
            <Table.Column<RolePermission> dataIndex="resource" title="Resource" render={any} />
            <Table.Column<RolePermission> dataIndex="action" title="Action" render={any} />
            <Table.Column<RolePermission>
              dataIndex="conditions"
              title="Conditions"
              render={(c: unknown) => (c ? <Typography.Text code>{JSON.stringify(c)}</Typography.Text> : <Typography.Text type="secondary">none</Typography.Text>)}
            />
          </Table>
        </>
      )}
    </Show>
  );
}
