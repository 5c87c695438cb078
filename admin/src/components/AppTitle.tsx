import { ShopOutlined } from '@ant-design/icons';
import { useLink } from '@refinedev/core';
import { theme, Typography } from 'antd';

/** The logo and name at the top of the menu (and of the header on a phone), linking to the start page. Flex, not
 * inline: in the header an inline box would sit on the header's 64 px line and ride high. */
export function AppTitle({ collapsed = false }: { collapsed?: boolean }) {
  const Link = useLink();
  const { token } = theme.useToken();
  return (
    <Link to="/" style={{ display: 'flex', alignItems: 'center', gap: 8, textDecoration: 'none' }}>
      <ShopOutlined style={{ fontSize: 22, color: token.colorPrimary }} />
      {!collapsed && (
        <Typography.Title level={5} style={{ margin: 0, fontWeight: 700 }}>
          Milkrun
        </Typography.Title>
      )}
    </Link>
  );
}
