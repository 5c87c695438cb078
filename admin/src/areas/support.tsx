import { ClockCircleOutlined, CustomerServiceOutlined, InboxOutlined, MessageOutlined, SendOutlined } from '@ant-design/icons';
import type { ResourceProps } from '@refinedev/core';
import { Route } from 'react-router';
import { lazyPage } from '../lazyPage';

// Support's pages (issue 13), grouped under "Support" in the menu: the group shows when its role may open one of them.
const DisputeList = lazyPage(() => import('../pages/disputes/list'), 'DisputeList');
const DisputeCreate = lazyPage(() => import('../pages/disputes/create'), 'DisputeCreate');
const DisputeShow = lazyPage(() => import('../pages/disputes/show'), 'DisputeShow');
const BusinessHoursPage = lazyPage(() => import('../pages/disputes/hours'), 'BusinessHoursPage');
const NotificationList = lazyPage(() => import('../pages/notifications/list'), 'NotificationList');
const InboundMessageList = lazyPage(() => import('../pages/notifications/inbox'), 'InboundMessageList');

export const supportResources: ResourceProps[] = [
  { name: 'support', meta: { label: 'Support', icon: <CustomerServiceOutlined />, group: true } },
  {
    name: 'disputes',
    list: '/disputes',
    create: '/disputes/create',
    show: '/disputes/show/:id',
    meta: { label: 'Disputes', icon: <MessageOutlined />, parent: 'support' },
  },
  { name: 'inbound-messages', list: '/inbound-messages', meta: { label: 'WhatsApp inbox', icon: <InboxOutlined />, parent: 'support' } },
  { name: 'notifications', list: '/notifications', meta: { label: 'Notifications', icon: <SendOutlined />, parent: 'support' } },
  // One page of settings read by support and finance (show), edited by admins.
  { name: 'business-hours', list: '/business-hours', meta: { label: 'Hours & SLA', icon: <ClockCircleOutlined />, parent: 'support', accessAction: 'show' } },
  { name: 'sla-policies', meta: { label: 'SLA policies', hide: true } },
];

export const supportRoutes = (
  <>
    <Route path="/disputes">
      <Route index element={<DisputeList />} />
      <Route path="create" element={<DisputeCreate />} />
      <Route path="show/:id" element={<DisputeShow />} />
    </Route>
    <Route path="/business-hours" element={<BusinessHoursPage />} />
    <Route path="/notifications" element={<NotificationList />} />
    <Route path="/inbound-messages" element={<InboundMessageList />} />
  </>
);
