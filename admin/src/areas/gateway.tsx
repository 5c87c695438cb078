import { AlertOutlined, ApiOutlined, BankOutlined } from '@ant-design/icons';
import type { ResourceProps } from '@refinedev/core';
import { Route } from 'react-router';
import { lazyPage } from '../lazyPage';

// Money that comes through the payment gateway (issue 12, items 4 and 5), in the "Money" menu group: the gateway's
// payments (opening on the unmatched ones finance assigns), the settlement files and their exceptions queue.
const GatewayPaymentList = lazyPage(() => import('../pages/gateway-payments/list'), 'GatewayPaymentList');
const GatewayPaymentShow = lazyPage(() => import('../pages/gateway-payments/show'), 'GatewayPaymentShow');
const SettlementList = lazyPage(() => import('../pages/settlements/list'), 'SettlementList');
const SettlementShow = lazyPage(() => import('../pages/settlements/show'), 'SettlementShow');
const SettlementExceptionList = lazyPage(() => import('../pages/settlements/exceptions'), 'SettlementExceptionList');

export const gatewayResources: ResourceProps[] = [
  {
    name: 'gateway-payments',
    list: '/gateway-payments',
    show: '/gateway-payments/show/:id',
    meta: { label: 'Gateway payments', icon: <ApiOutlined />, parent: 'money' },
  },
  {
    name: 'settlements',
    list: '/settlements',
    show: '/settlements/show/:id',
    meta: { label: 'Settlements', icon: <BankOutlined />, parent: 'money' },
  },
  {
    name: 'settlements/exceptions',
    list: '/settlements/exceptions',
    meta: { label: 'Settlement exceptions', icon: <AlertOutlined />, parent: 'money', accessAs: 'settlements' },
  },
  { name: 'settlements/lines', meta: { label: 'Settlement lines', hide: true, accessAs: 'settlements' } },
];

export const gatewayRoutes = (
  <>
    <Route path="/gateway-payments">
      <Route index element={<GatewayPaymentList />} />
      <Route path="show/:id" element={<GatewayPaymentShow />} />
    </Route>
    <Route path="/settlements">
      <Route index element={<SettlementList />} />
      <Route path="exceptions" element={<SettlementExceptionList />} />
      <Route path="show/:id" element={<SettlementShow />} />
    </Route>
  </>
);
