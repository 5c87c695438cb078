import { LogoutOutlined } from '@ant-design/icons';
import { useCan, useCustomMutation } from '@refinedev/core';
import { Button, Popconfirm } from 'antd';
import type { User } from '../../types';

/** Ends every session of a user (a lost laptop, someone who left): their next request needs a new sign-in. */
export function EndSessionsButton({ user }: { user: User }) {
  const { data: can } = useCan({ resource: 'users', action: 'end_sessions' });
  const { mutate, mutation } = useCustomMutation<{ ended: number }>();
  if (!can?.can) return null;
  const end = () =>
    mutate({
      url: `/users/${user.id}/end-sessions`,
      method: 'post',
      values: {},
      // (App's notifications show `description` as the title and `message` below it.)
      successNotification: (res) => ({
        type: 'success',
        description: res?.data.ended === 0 ? 'No session to end' : res?.data.ended === 1 ? '1 session ended' : `${res?.data.ended ?? 'All'} sessions ended`,
        message: `${user.name} must sign in again on every device.`,
      }),
    });
  return (
    <Popconfirm
      title={`End all sessions of ${user.name}?`}
      description="They are signed out everywhere at once; their password and roles stay."
      okText="End all sessions"
      okButtonProps={{ danger: true }}
      onConfirm={end}
    >
      <Button icon={<LogoutOutlined />} loading={mutation.isPending}>
        End all sessions
      </Button>
    </Popconfirm>
  );
}
