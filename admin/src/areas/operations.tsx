import { CarOutlined, IdcardOutlined, PrinterOutlined, ProfileOutlined, ScheduleOutlined } from '@ant-design/icons';
import type { ResourceProps } from '@refinedev/core';
import { Route } from 'react-router';
import { lazyPage } from '../lazyPage';

// Each page is its own chunk, fetched when its route first opens.
const DeliveryList = lazyPage(() => import('../pages/deliveries/list'), 'DeliveryList');
const DeliveryShow = lazyPage(() => import('../pages/deliveries/show'), 'DeliveryShow');
const OrderCreate = lazyPage(() => import('../pages/orders/create'), 'OrderCreate');
const OrderList = lazyPage(() => import('../pages/orders/list'), 'OrderList');
const OrderShow = lazyPage(() => import('../pages/orders/show'), 'OrderShow');
const RunSheetPage = lazyPage(() => import('../pages/run-sheets'), 'RunSheetPage');
const StaffCreate = lazyPage(() => import('../pages/staff/form'), 'StaffCreate');
const StaffEdit = lazyPage(() => import('../pages/staff/form'), 'StaffEdit');
const StaffList = lazyPage(() => import('../pages/staff/list'), 'StaffList');
const SubscriptionCreate = lazyPage(() => import('../pages/subscriptions/form'), 'SubscriptionCreate');
const SubscriptionEdit = lazyPage(() => import('../pages/subscriptions/form'), 'SubscriptionEdit');
const SubscriptionList = lazyPage(() => import('../pages/subscriptions/list'), 'SubscriptionList');
const SubscriptionShow = lazyPage(() => import('../pages/subscriptions/show'), 'SubscriptionShow');

// The operations pages: their Refine resources (menu entries) and their routes, mounted by App.tsx.
export const operationsResources: ResourceProps[] = [
  {
    name: 'subscriptions',
    list: '/subscriptions',
    show: '/subscriptions/show/:id',
    create: '/subscriptions/create',
    edit: '/subscriptions/edit/:id',
    meta: { label: 'Subscriptions', icon: <ScheduleOutlined /> },
  },
  // Parts of a subscription, managed on its page; the API checks the subscription's permissions for them.
  { name: 'subscription-pauses', meta: { label: 'Pauses', hide: true } },
  { name: 'subscription-overrides', meta: { label: 'One-day changes', hide: true } },
  {
    name: 'orders',
    list: '/orders',
    show: '/orders/show/:id',
    create: '/orders/create',
    meta: { label: 'Orders', icon: <ProfileOutlined /> },
  },
  { name: 'order-items', meta: { label: 'Order items', hide: true } },
  {
    name: 'deliveries',
    list: '/deliveries',
    show: '/deliveries/show/:id',
    meta: { label: 'Deliveries', icon: <CarOutlined /> },
  },
  { name: 'run-sheets', list: '/run-sheets', meta: { label: 'Run sheets', icon: <PrinterOutlined /> } },
  {
    name: 'staff',
    list: '/staff',
    create: '/staff/create',
    edit: '/staff/edit/:id',
    meta: { label: 'Staff', icon: <IdcardOutlined /> },
  },
];

export const operationsRoutes = (
  <>
    <Route path="/subscriptions">
      <Route index element={<SubscriptionList />} />
      <Route path="create" element={<SubscriptionCreate />} />
      <Route path="edit/:id" element={<SubscriptionEdit />} />
      <Route path="show/:id" element={<SubscriptionShow />} />
    </Route>
    <Route path="/orders">
      <Route index element={<OrderList />} />
      <Route path="create" element={<OrderCreate />} />
      <Route path="show/:id" element={<OrderShow />} />
    </Route>
    <Route path="/deliveries">
      <Route index element={<DeliveryList />} />
      <Route path="show/:id" element={<DeliveryShow />} />
    </Route>
    <Route path="/run-sheets" element={<RunSheetPage />} />
    <Route path="/staff">
      <Route index element={<StaffList />} />
      <Route path="create" element={<StaffCreate />} />
      <Route path="edit/:id" element={<StaffEdit />} />
    </Route>
  </>
);
