import { EditButton, Show } from '@refinedev/antd';
import { useCan, useGo, useLink, useShow } from '@refinedev/core';
import { Descriptions, Tag, Typography } from 'antd';
import { listUrl } from '../invoices/shared';
import { QueryError } from '../../components/QueryError';
import { RoleTags } from '../../components/tags';
import type { Role } from '../../types';
import { RoleDeleteButton } from './delete';
import { type Grant, PermissionMatrix } from './matrix';

export function RoleShow() {
  const Link = useLink();
  const go = useGo();
  const { query, result: role } = useShow<Role>();
  const { data: canDelete } = useCan({ resource: 'roles', action: 'delete' });
  return (
    <Show
      isLoading={query.isLoading}
      title={role ? `Role: ${role.name}` : 'Role'}
      headerButtons={() => (
        <>
          {role && <EditButton recordItemId={role.id} />}
          {role && canDelete?.can && <RoleDeleteButton role={role} onSuccess={() => go({ to: '/roles' })} />}
        </>
      )}
    >
      <QueryError error={query.error} onRetry={() => query.refetch()} />
      {role && (
        <>
          <Descriptions bordered size="small" column={{ xs: 1, md: 3 }} style={{ marginBottom: 24 }}>
            <Descriptions.Item label="Role">
              <RoleTags roles={[role.name]} />
            </Descriptions.Item>
            <Descriptions.Item label="Members">{role.member_count ? <Link to={listUrl('/users', [{ field: 'role', value: role.name }])}>{role.member_count}</Link> : 'none'}</Descriptions.Item>
            <Descriptions.Item label="Two-factor sign-in">{role.requires_totp ? <Tag color="purple">required</Tag> : 'optional'}</Descriptions.Item>
            <Descriptions.Item label="What it is for" span={3}>
              {role.description || '—'}
            </Descriptions.Item>
          </Descriptions>
          <Typography.Title level={5}>Permissions</Typography.Title>
          <PermissionMatrix value={role.permissions as Grant[]} readOnly adminRole={role.name === 'admin'} />
        </>
      )}
    </Show>
  );
}
