import { KeyOutlined, SafetyOutlined } from '@ant-design/icons';
import { Show } from '@refinedev/antd';
import { useCan, useCustomMutation, useGetIdentity, useInvalidate, useMany, useShow } from '@refinedev/core';
import { Alert, App, Button, Descriptions, Form, Modal, Popconfirm, Result, Tag } from 'antd';
import { useState } from 'react';
import type { PasswordReset, TwoFactorReset } from '../../../../api/modules/access/users.schemas';
import { DateTime } from '../../components/DateTime';
import { QueryError } from '../../components/QueryError';
import { ActiveTag, RoleTags } from '../../components/tags';
import type { User, Zone } from '../../types';
import { EndSessionsButton } from './end-sessions';
import { PasswordChoice, PasswordLinkCard, showFieldErrors } from './fields';

export function UserShow() {
  const { query, result: user } = useShow<User>();
  const { data: canReset } = useCan({ resource: 'users', action: 'reset_password' });
  const [resetting, setResetting] = useState(false);

  return (
    <Show
      isLoading={query.isLoading}
      title={user ? user.name : 'User'}
      headerButtons={({ defaultButtons }) => (
        <>
          {canReset?.can && user && (
            <Button icon={<KeyOutlined />} onClick={() => setResetting(true)}>
              Reset password
            </Button>
          )}
          {canReset?.can && user?.totp_enabled && <ResetTwoFactorButton user={user} />}
          {user && <EndSessionsButton user={user} />}
          {defaultButtons}
        </>
      )}
    >
      <QueryError error={query.error} onRetry={() => query.refetch()} />
      {user && (
        <Descriptions bordered size="small" column={{ xs: 1, md: 2 }}>
          <Descriptions.Item label="Name">{user.name}</Descriptions.Item>
          <Descriptions.Item label="Email">{user.email}</Descriptions.Item>
          <Descriptions.Item label="Roles">{user.roles.length ? <RoleTags roles={user.roles} /> : <Tag>no role</Tag>}</Descriptions.Item>
          <Descriptions.Item label="Status">
            <ActiveTag active={user.is_active} />
          </Descriptions.Item>
          <Descriptions.Item label="Zones">
            <UserZones ids={user.zone_ids} />
          </Descriptions.Item>
          <Descriptions.Item label="Two-factor sign-in">
            <ActiveTag active={user.totp_enabled} yes="on" no="off" />
          </Descriptions.Item>
          <Descriptions.Item label="Created">
            <DateTime value={user.created_at} />
          </Descriptions.Item>
          <Descriptions.Item label="Last changed">
            <DateTime value={user.updated_at} />
          </Descriptions.Item>
        </Descriptions>
      )}
      {user && resetting && <ResetPasswordModal user={user} onClose={() => setResetting(false)} />}
    </Show>
  );
}

/**
 * Turns off another user's second factor when their phone and recovery codes are lost (never one's own: the profile
 * does that with a code). The API asks the acting admin for a fresh code of their own; the step-up prompt appears.
 */
function ResetTwoFactorButton({ user }: { user: User }) {
  const { data: me } = useGetIdentity<{ id: string }>();
  const { message } = App.useApp();
  const invalidate = useInvalidate();
  const { mutate, mutation } = useCustomMutation<TwoFactorReset>();
  if (me?.id === user.id) return null;
  const reset = () =>
    mutate(
      { url: `/users/${user.id}/reset-two-factor`, method: 'post', values: {}, successNotification: false },
      {
        onSuccess: ({ data }) => {
          void message.success(`Two-factor sign-in of ${user.name} is off${data.sessions_ended ? ' and they were signed out' : ''}: they enrol again on their profile.`);
          void invalidate({ resource: 'users', invalidates: ['detail', 'list'], id: user.id });
        },
      },
    );
  return (
    <Popconfirm
      title={`Reset the two-factor sign-in of ${user.name}?`}
      description="For a lost phone and lost recovery codes: they are signed out and sign in with their password alone until they enrol again. Your own code is asked for."
      okText="Reset two-factor"
      okButtonProps={{ danger: true }}
      onConfirm={reset}
    >
      <Button icon={<SafetyOutlined />} loading={mutation.isPending}>
        Reset two-factor
      </Button>
    </Popconfirm>
  );
}

/** The names of the user's zones (roles limited to own zones reach these). */
function UserZones({ ids }: { ids: string[] }) {
  const { result } = useMany<Zone>({ resource: 'zones', ids, queryOptions: { enabled: ids.length > 0 } });
  if (!ids.length) return <span>none</span>;
  return (
    <>
      {(result?.data ?? []).map((z) => (
        <Tag key={z.id}>{z.name}</Tag>
      ))}
    </>
  );
}

/** Reset to a typed password or to a fresh one-time link (shown once here); either way the old one stops working. */
function ResetPasswordModal({ user, onClose }: { user: User; onClose: () => void }) {
  const [form] = Form.useForm();
  const invalidate = useInvalidate();
  const [done, setDone] = useState<PasswordReset | null>(null);
  const { mutate, mutation } = useCustomMutation<PasswordReset>();
  const submit = (v: { password_mode: 'link' | 'password'; password?: string }) =>
    mutate(
      {
        url: `/users/${user.id}/reset-password`,
        method: 'post',
        values: v.password_mode === 'password' ? { password: v.password } : { send_link: true },
        successNotification: false,
        errorNotification: false,
      },
      {
        onSuccess: ({ data }) => {
          setDone(data);
          void invalidate({ resource: 'users', invalidates: ['detail', 'list'], id: user.id });
        },
        onError: (error) => showFieldErrors(form, error.message, ['password']),
      },
    );
  const n = done?.sessions_ended ?? 0;
  const ended = n === 0 ? 'They had no open session.' : n === 1 ? 'Their open session was ended.' : `Their ${n} open sessions were ended.`;

  return (
    <Modal
      open
      title={`Reset the password of ${user.name}`}
      onCancel={onClose}
      maskClosable={false}
      okText="Reset password"
      okButtonProps={{ danger: true, loading: mutation.isPending, style: done ? { display: 'none' } : undefined }}
      cancelText={done ? 'Close' : 'Cancel'}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      {done ? (
        done.set_password_link ? (
          <>
            <PasswordLinkCard link={done.set_password_link} name={user.name} />
            <Alert type="info" style={{ marginTop: 12 }} message={`Their old password no longer works. ${ended}`} />
          </>
        ) : (
          <Result status="success" title="Password reset" subTitle={`Tell ${user.name} their new password in a way you trust. ${ended}`} />
        )
      ) : (
        <>
          <Alert type="warning" showIcon style={{ marginBottom: 16 }} message="Their current password stops working and they are signed out everywhere." />
          {mutation.error && <Alert type="error" showIcon style={{ marginBottom: 16 }} message="Not reset" description={mutation.error.message} />}
          <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
            <PasswordChoice email={user.email} linkLabel="Make a set-password link" />
          </Form>
        </>
      )}
    </Modal>
  );
}
