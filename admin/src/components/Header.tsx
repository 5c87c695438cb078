import { LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { useGetIdentity, useLogout } from '@refinedev/core';
import { Avatar, Button, Layout, Space, theme, Typography } from 'antd';
import { RoleTags } from './tags';

interface Identity {
  id: string;
  name: string;
  email: string;
  roles: string[];
}

export function Header() {
  const { token } = theme.useToken();
  const { data: user } = useGetIdentity<Identity>();
  const { mutate: logout, isPending } = useLogout();
  return (
    <Layout.Header
      style={{
        backgroundColor: token.colorBgElevated,
        display: 'flex',
        justifyContent: 'flex-end',
        alignItems: 'center',
        padding: '0 24px',
        height: 64,
        position: 'sticky',
        top: 0,
        zIndex: 10,
        borderBottom: `1px solid ${token.colorBorderSecondary}`,
      }}
    >
      {user && (
        <Space size="middle" data-testid="current-user">
          <Avatar icon={<UserOutlined />} style={{ backgroundColor: token.colorPrimary }} />
          <Space direction="vertical" size={0} style={{ lineHeight: 1.3 }}>
            <Typography.Text strong>{user.name}</Typography.Text>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>{user.email}</Typography.Text>
          </Space>
          <RoleTags roles={user.roles} />
          <Button icon={<LogoutOutlined />} loading={isPending} onClick={() => logout()}>
            Log out
          </Button>
        </Space>
      )}
    </Layout.Header>
  );
}
