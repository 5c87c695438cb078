import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { CanAccess, type TreeMenuItem, useLink, useMenu } from '@refinedev/core';
import { Button, Drawer, Grid, Layout, Menu, theme } from 'antd';
import { type ReactNode, useState } from 'react';
import { AppTitle } from './AppTitle';
import { Header } from './Header';
import { usePhone } from './responsive';

// The admin's frame: menu, header, content. Our own rather than @refinedev/antd's ThemedLayout: importing that
// one module pulls all of @refinedev/antd (page wrappers, markdown, pro-layout) into the first page's script, and
// its phone layout floats a menu button over the page title. Below 768 px the menu is a drawer opened from the
// header, and the header shrinks to an avatar menu (Header.tsx).

/** The resources' menu, each entry shown only to roles that may list it (as the API would answer). */
function SideMenu({ onNavigate }: { onNavigate?: () => void }) {
  const Link = useLink();
  const { menuItems, selectedKey } = useMenu();
  const entry = (item: TreeMenuItem) => (
    <CanAccess key={item.key} resource={item.name} action="list" params={{ resource: item }}>
      <Menu.Item key={item.key} icon={item.meta?.icon}>
        <Link to={item.list ?? ''}>{item.label ?? item.meta?.label ?? item.name}</Link>
      </Menu.Item>
    </CanAccess>
  );
  return (
    <Menu mode="inline" selectedKeys={selectedKey ? [selectedKey] : []} style={{ border: 'none', paddingTop: 8 }} onClick={onNavigate}>
      {menuItems.map(entry)}
    </Menu>
  );
}

export function AppLayout({ children }: { children: ReactNode }) {
  const { token } = theme.useToken();
  const phone = usePhone();
  const screens = Grid.useBreakpoint();
  const [collapsed, setCollapsed] = useState(false);
  const [drawerOpen, setDrawerOpen] = useState(false);
  const titleBar = (narrow: boolean) => (
    <div style={{ height: 64, display: 'flex', alignItems: 'center', justifyContent: narrow ? 'center' : 'flex-start', padding: narrow ? 0 : '0 16px', backgroundColor: token.colorBgElevated }}>
      <AppTitle collapsed={narrow} />
    </div>
  );

  return (
    <Layout style={{ minHeight: '100vh' }} hasSider={!phone}>
      {phone ? (
        <Drawer open={drawerOpen} onClose={() => setDrawerOpen(false)} placement="left" closable={false} width={240} styles={{ body: { padding: 0 } }}>
          {titleBar(false)}
          <SideMenu onNavigate={() => setDrawerOpen(false)} />
        </Drawer>
      ) : (
        <Layout.Sider
          collapsible
          collapsed={collapsed}
          onCollapse={setCollapsed}
          breakpoint="lg"
          collapsedWidth={80}
          style={{ backgroundColor: token.colorBgContainer, borderRight: `1px solid ${token.colorBgElevated}` }}
          trigger={
            <Button type="text" aria-label={collapsed ? 'Expand menu' : 'Collapse menu'} style={{ borderRadius: 0, width: '100%', height: '100%', backgroundColor: token.colorBgElevated }}>
              {collapsed ? <RightOutlined style={{ color: token.colorPrimary }} /> : <LeftOutlined style={{ color: token.colorPrimary }} />}
            </Button>
          }
        >
          {titleBar(collapsed)}
          <SideMenu />
        </Layout.Sider>
      )}
      <Layout style={{ minWidth: 0 }}>
        <Header phone={phone} onMenu={() => setDrawerOpen(true)} />
        <Layout.Content style={{ minWidth: 0 }}>
          <div style={{ minHeight: 360, padding: screens.sm === false ? 12 : 24 }}>{children}</div>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
