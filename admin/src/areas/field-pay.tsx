import { BankOutlined, ProfileOutlined, TableOutlined } from '@ant-design/icons';
import type { ResourceProps } from '@refinedev/core';
import { Route } from 'react-router';
import { lazyPage } from '../lazyPage';

// Staff pay in the Field menu group (issue 15): payout batches, earnings lines with a staff member's month, rate cards.
const PayoutBatchList = lazyPage(() => import('../pages/field-pay/batches'), 'PayoutBatchList');
const PayoutBatchShow = lazyPage(() => import('../pages/field-pay/batches'), 'PayoutBatchShow');
const EarningsList = lazyPage(() => import('../pages/field-pay/earnings'), 'EarningsList');
const StaffMonth = lazyPage(() => import('../pages/field-pay/staff-month'), 'StaffMonth');
const RateCardList = lazyPage(() => import('../pages/field-pay/rate-cards'), 'RateCardList');
const RateCardCreate = lazyPage(() => import('../pages/field-pay/rate-cards'), 'RateCardCreate');
const RateCardEdit = lazyPage(() => import('../pages/field-pay/rate-cards'), 'RateCardEdit');

export const fieldPayResources: ResourceProps[] = [
  {
    name: 'payout-batches',
    list: '/field/payout-batches',
    show: '/field/payout-batches/show/:id',
    meta: { label: 'Payout batches', icon: <BankOutlined />, parent: 'menu-field' },
  },
  // A staff member's month (/field/earnings/staff/:id) reads GET /api/staff/:id/earnings-summary: earnings' show.
  { name: 'earnings', list: '/field/earnings', meta: { label: 'Earnings', icon: <TableOutlined />, parent: 'menu-field' } },
  {
    name: 'rate-cards',
    list: '/field/rate-cards',
    create: '/field/rate-cards/create',
    edit: '/field/rate-cards/edit/:id',
    meta: { label: 'Rate cards', icon: <ProfileOutlined />, parent: 'menu-field' },
  },
];

export const fieldPayRoutes = (
  <>
    <Route path="/field/payout-batches">
      <Route index element={<PayoutBatchList />} />
      <Route path="show/:id" element={<PayoutBatchShow />} />
    </Route>
    <Route path="/field/earnings">
      <Route index element={<EarningsList />} />
      <Route path="staff/:id" element={<StaffMonth />} />
    </Route>
    <Route path="/field/rate-cards">
      <Route index element={<RateCardList />} />
      <Route path="create" element={<RateCardCreate />} />
      <Route path="edit/:id" element={<RateCardEdit />} />
    </Route>
  </>
);
