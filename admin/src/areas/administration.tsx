import { AlertOutlined } from '@ant-design/icons';
import type { ResourceProps } from '@refinedev/core';
import { Route } from 'react-router';
import { lazyPage } from '../lazyPage';

const AlertsPage = lazyPage(() => import('../pages/alerts/list'), 'AlertsPage');

// Administration pages of their own area: the alert rules and their incident history (admins only).
export const administrationResources: ResourceProps[] = [
  { name: 'alert-rules', list: '/alerts', meta: { label: 'Alerts', icon: <AlertOutlined /> } },
  // Read by the Alerts page; no menu entry of its own.
  { name: 'alerts', meta: { label: 'Alert incidents', hide: true } },
];

export const administrationRoutes = (
  <>
    <Route path="/alerts" element={<AlertsPage />} />
  </>
);
