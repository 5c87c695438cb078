import { IdcardOutlined, LogoutOutlined, MenuOutlined, UserOutlined } from '@ant-design/icons';
import { useGetIdentity, useGo, useLogout } from '@refinedev/core';
import { Avatar, Button, Dropdown, Layout, Space, theme, Typography } from 'antd';
import { cloneElement, type CSSProperties, type ReactElement } from 'react';
import { AppTitle } from './AppTitle';
import { RoleTags } from './tags';

interface Identity {
  id: string;
  name: string;
  email: string;
  roles: string[];
}

/**
 * Who is signed in, and log out. On a phone (`phone`) the name, email and roles move into an avatar menu and the
 * header carries the menu button, so nothing wraps or floats over the page title.
 */
export function Header({ phone = false, onMenu }: { phone?: boolean; onMenu?: () => void }) {
  const { token } = theme.useToken();
  const { data: user } = useGetIdentity<Identity>();
  const { mutate: logout, isPending } = useLogout();
  const go = useGo();
  const profile = () => go({ to: '/profile' });
  const avatar = <Avatar icon={<UserOutlined />} style={{ backgroundColor: token.colorPrimary }} />;
  return (
    <Layout.Header
      style={{
        backgroundColor: token.colorBgElevated,
        display: 'flex',
        justifyContent: phone ? 'space-between' : 'flex-end',
        alignItems: 'center',
        padding: phone ? '0 12px' : '0 24px',
        height: 64,
        position: 'sticky',
        top: 0,
        zIndex: 10,
        borderBottom: `1px solid ${token.colorBorderSecondary}`,
      }}
    >
      {phone && (
        <Space size="middle">
          <Button icon={<MenuOutlined />} aria-label="Menu" onClick={onMenu} data-testid="menu-button" />
          <AppTitle />
        </Space>
      )}
      {user && !phone && (
        <Space size="middle" data-testid="current-user">
          {avatar}
          <Space direction="vertical" size={0} style={{ lineHeight: 1.3 }}>
            <Typography.Text strong>{user.name}</Typography.Text>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>{user.email}</Typography.Text>
          </Space>
          <RoleTags roles={user.roles} />
          <Button icon={<IdcardOutlined />} onClick={profile} data-testid="profile-link">
            Profile
          </Button>
          <Button icon={<LogoutOutlined />} loading={isPending} onClick={() => logout()}>
            Log out
          </Button>
        </Space>
      )}
      {user && phone && (
        <Dropdown
          trigger={['click']}
          placement="bottomRight"
          menu={{
            items: [
              { key: 'profile', icon: <IdcardOutlined />, label: 'Profile', onClick: profile },
              { key: 'logout', icon: <LogoutOutlined />, label: 'Log out', onClick: () => logout() },
            ],
          }}
          // Who is signed in above the menu, as the desktop header shows it.
          popupRender={(menu) => (
            <div style={{ background: token.colorBgElevated, borderRadius: token.borderRadiusLG, boxShadow: token.boxShadowSecondary, maxWidth: 'calc(100vw - 24px)' }}>
              <Space direction="vertical" size={2} data-testid="current-user" style={{ padding: '12px 16px 8px' }}>
                <Typography.Text strong>{user.name}</Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>{user.email}</Typography.Text>
                <RoleTags roles={user.roles} />
              </Space>
              {cloneElement(menu as ReactElement<{ style?: CSSProperties }>, { style: { boxShadow: 'none', borderTop: `1px solid ${token.colorBorderSecondary}`, borderRadius: `0 0 ${token.borderRadiusLG}px ${token.borderRadiusLG}px` } })}
            </div>
          )}
        >
          <Button type="text" shape="circle" aria-label={`Signed in as ${user.name}`} data-testid="user-menu" style={{ padding: 0 }}>
            {avatar}
          </Button>
        </Dropdown>
      )}
    </Layout.Header>
  );
}
