import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { CanAccess, type TreeMenuItem, useLink, useMenu } from '@refinedev/core';
import { accessControlProvider } from '../providers/accessControlProvider';
import { Button, Drawer, Grid, Layout, Menu, theme } from 'antd';
import { type ReactNode, useEffect, useState } from 'react';
import { AppTitle } from './AppTitle';
import { Header } from './Header';
import { usePhone } from './responsive';

// The admin's frame: menu, header, content. Our own rather than @refinedev/antd's ThemedLayout: importing that
// one module pulls all of @refinedev/antd (page wrappers, markdown, pro-layout) into the first page's script, and
// its phone layout floats a menu button over the page title. Below 768 px the menu is a drawer opened from the
// header, and the header shrinks to an avatar menu (Header.tsx).

/** Whether the role may list any of a group's entries (as the API would answer): an empty group is not shown. */
function useAnyAllowed(items: TreeMenuItem[]): boolean {
  const [allowed, setAllowed] = useState(false);
  const names = items.map((i) => i.name).join(',');
  useEffect(() => {
    let live = true;
    // The same provider CanAccess asks (it reads the signed-in user's grants, cached): no request per entry.
    Promise.all(items.map((i) => accessControlProvider.can({ resource: i.name, action: 'list', params: { resource: i } })))
      .then((answers) => live && setAllowed(answers.some((a) => a.can)))
      .catch(() => live && setAllowed(false));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [names]);
  return allowed;
}

/** A group of entries (meta.parent), opened as a submenu; shown when one of its entries is. */
function MenuGroup({ item, entry, ...props }: { item: TreeMenuItem; entry: (i: TreeMenuItem) => ReactNode } & Record<string, unknown>) {
  const visible = useAnyAllowed(item.children);
  if (!visible) return null;
  return (
    <Menu.SubMenu {...props} key={item.key} icon={item.meta?.icon} title={item.label ?? item.meta?.label ?? item.name} data-testid={`menu-group-${item.name}`}>
      {item.children.map(entry)}
    </Menu.SubMenu>
  );
}

/** The resources' menu, each entry shown only to roles that may list it (as the API would answer). */
function SideMenu({ onNavigate }: { onNavigate?: () => void }) {
  const Link = useLink();
  const { menuItems, selectedKey, defaultOpenKeys } = useMenu();
  const entry = (item: TreeMenuItem): ReactNode =>
    item.children.length ? (
      <MenuGroup key={item.key} item={item} entry={entry} />
    ) : (
      <CanAccess key={item.key} resource={item.name} action="list" params={{ resource: item }}>
        <Menu.Item key={item.key} icon={item.meta?.icon}>
          <Link to={item.list ?? ''}>{item.label ?? item.meta?.label ?? item.name}</Link>
        </Menu.Item>
      </CanAccess>
    );
  return (
    <Menu
      mode="inline"
      selectedKeys={selectedKey ? [selectedKey] : []}
      // Only the open page's group starts unfolded: all of them open made a menu longer than the screen. Entries of
      // folded groups are rendered all the same (hidden), so a search of the page finds them.
      defaultOpenKeys={defaultOpenKeys}
      forceSubMenuRender
      style={{ border: 'none', paddingTop: 8 }}
      onClick={onNavigate}
    >
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
          width={220}
          // Stays in view and scrolls on its own: a long menu never runs under the collapse button or off the page.
          style={{ backgroundColor: token.colorBgContainer, borderRight: `1px solid ${token.colorBgElevated}`, position: 'sticky', top: 0, height: '100vh', overflowY: 'auto' }}
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
