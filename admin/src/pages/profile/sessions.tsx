import { DesktopOutlined, MobileOutlined } from '@ant-design/icons';
import { type HttpError, useDelete, useList, useLogout } from '@refinedev/core';
import { Button, Empty, List, Popconfirm, Space, Tag, Typography } from 'antd';
import { DateTime } from '../../components/DateTime';
import { QueryError } from '../../components/QueryError';
import { describeUserAgent } from './user-agent';

export interface Session {
  id: string;
  user_agent: string;
  ip: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  current: boolean;
}

const phone = (ua: string) => /iPhone|Android|Mobile/.test(ua);

/** The signed-in user's own sessions (where, when last seen), each with "End" after a confirmation. */
export function SessionsSection() {
  const { result, query } = useList<Session, HttpError>({
    resource: 'sessions',
    sorters: [{ field: 'last_seen_at', order: 'desc' }],
    pagination: { currentPage: 1, pageSize: 100 },
  });
  const { mutateAsync: remove, mutation } = useDelete();
  const { mutate: logout } = useLogout();
  const end = async (session: Session) => {
    await remove({
      resource: 'sessions',
      id: session.id,
      // (App's notifications show `description` as the title and `message` below it.)
      successNotification: () => ({ type: 'success', description: session.current ? 'Logged out' : 'Session ended', message: `${describeUserAgent(session.user_agent)} must sign in again.` }),
    });
    // Ending this very session is a log-out: the cookie no longer opens anything.
    if (session.current) logout();
  };
  return (
    <>
      <QueryError error={query.error} onRetry={() => query.refetch()} />
      <List<Session>
        loading={query.isLoading}
        dataSource={result?.data ?? []}
        locale={{ emptyText: <Empty description="No sessions" /> }}
        renderItem={(s) => (
          <List.Item
            key={s.id}
            data-testid="session"
            actions={[
              <Popconfirm
                key="end"
                title={s.current ? 'End this session and log out?' : 'End this session?'}
                description={s.current ? 'You will need to sign in again here.' : 'That browser will need to sign in again.'}
                okText="End session"
                okButtonProps={{ danger: true }}
                onConfirm={() => end(s)}
              >
                <Button danger size="small" loading={mutation.isPending && mutation.variables?.id === s.id}>
                  End
                </Button>
              </Popconfirm>,
            ]}
          >
            <List.Item.Meta
              avatar={phone(s.user_agent) ? <MobileOutlined style={{ fontSize: 20 }} /> : <DesktopOutlined style={{ fontSize: 20 }} />}
              title={
                <Space size={4} wrap>
                  <span>{describeUserAgent(s.user_agent)}</span>
                  {s.current && <Tag color="green">this device</Tag>}
                </Space>
              }
              description={
                <Space size={[12, 0]} wrap>
                  <Typography.Text type="secondary">IP {s.ip || 'unknown'}</Typography.Text>
                  <Typography.Text type="secondary">
                    last seen <DateTime value={s.last_seen_at} />
                  </Typography.Text>
                  <Typography.Text type="secondary">
                    signed in <DateTime value={s.created_at} />
                  </Typography.Text>
                </Space>
              }
            />
          </List.Item>
        )}
      />
    </>
  );
}
