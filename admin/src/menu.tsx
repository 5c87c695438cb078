import { AppstoreOutlined, BarChartOutlined, CarOutlined, DatabaseOutlined, FileTextOutlined, ToolOutlined } from '@ant-design/icons';
import type { ResourceProps } from '@refinedev/core';

// The side menu in groups, in the order of the day's work: thirty flat entries were longer than a laptop's screen and
// hid where a page belongs. The areas declare their pages; this file alone says where each sits in the menu. Money
// and Support declare their own groups (areas/money.tsx, areas/support.tsx).
const groups: ResourceProps[] = [
  { name: 'menu-operations', meta: { label: 'Operations', icon: <AppstoreOutlined />, group: true } },
  // Field staff's pay, the live map and routes (areas/field-*.tsx); stock and purchasing (areas/inventory.tsx).
  { name: 'menu-field', meta: { label: 'Field', icon: <CarOutlined />, group: true } },
  { name: 'menu-inventory', meta: { label: 'Inventory', icon: <DatabaseOutlined />, group: true } },
  { name: 'menu-billing', meta: { label: 'Billing', icon: <FileTextOutlined />, group: true } },
  { name: 'menu-reports', meta: { label: 'Reports', icon: <BarChartOutlined />, group: true } },
  { name: 'menu-admin', meta: { label: 'Administration', icon: <ToolOutlined />, group: true } },
];

const groupOf: Record<string, string> = {
  customers: 'menu-operations',
  zones: 'menu-operations',
  products: 'menu-operations',
  'product-requests': 'menu-operations',
  subscriptions: 'menu-operations',
  orders: 'menu-operations',
  deliveries: 'menu-operations',
  'run-sheets': 'menu-operations',
  staff: 'menu-operations',
  'billing-records': 'menu-billing',
  invoices: 'menu-billing',
  'invoice-runs': 'menu-billing',
  reports: 'menu-reports',
  revenue: 'menu-reports',
  registers: 'menu-reports',
  analytics: 'menu-reports',
  exports: 'menu-reports',
  users: 'menu-admin',
  roles: 'menu-admin',
  'audit-logs': 'menu-admin',
  'data-health': 'menu-admin',
  imports: 'menu-admin',
  settings: 'menu-admin',
  'alert-rules': 'menu-admin',
};

/** The menu's top level, in order; everything else follows, in the order it was declared. */
const top = ['dashboard', 'menu-operations', 'menu-field', 'menu-inventory', 'menu-billing', 'money', 'support', 'menu-reports', 'menu-admin'];

/** The resources with each page placed in its menu group and the groups in the order of `top`. */
export function arrangeMenu(resources: ResourceProps[]): ResourceProps[] {
  const placed = resources.map((r) => (groupOf[r.name] && !r.meta?.parent ? { ...r, meta: { ...r.meta, parent: groupOf[r.name] } } : r));
  const rank = (r: ResourceProps) => {
    const i = top.indexOf(r.name);
    return i === -1 ? top.length : i;
  };
  // A stable sort: within a group, pages keep the order their areas declare.
  return [...placed, ...groups].sort((a, b) => rank(a) - rank(b));
}
