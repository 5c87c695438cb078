import { DollarOutlined, FieldTimeOutlined, FileExcelOutlined, RollbackOutlined, WalletOutlined } from '@ant-design/icons';
import type { ResourceProps } from '@refinedev/core';
import { Route } from 'react-router';
import { lazyPage } from '../lazyPage';

// The money pages (issue 12), grouped under "Money" in the menu: the group shows when its role may open one of them.
// Another money page joins the group with `meta.parent: 'money'` on its resource.
const PaymentList = lazyPage(() => import('../pages/payments/list'), 'PaymentList');
const PaymentCreate = lazyPage(() => import('../pages/payments/create'), 'PaymentCreate');
const PaymentShow = lazyPage(() => import('../pages/payments/show'), 'PaymentShow');
const RefundList = lazyPage(() => import('../pages/refunds/list'), 'RefundList');
const RefundCreate = lazyPage(() => import('../pages/refunds/create'), 'RefundCreate');
const RefundShow = lazyPage(() => import('../pages/refunds/show'), 'RefundShow');
const CreditNoteList = lazyPage(() => import('../pages/credit-notes/list'), 'CreditNoteList');
const CreditNoteShow = lazyPage(() => import('../pages/credit-notes/show'), 'CreditNoteShow');
const ReceivablesList = lazyPage(() => import('../pages/receivables/list'), 'ReceivablesList');

export const moneyResources: ResourceProps[] = [
  // The menu group itself: no page, no permission of its own.
  { name: 'money', meta: { label: 'Money', icon: <WalletOutlined />, group: true } },
  {
    name: 'payments',
    list: '/payments',
    create: '/payments/create',
    show: '/payments/show/:id',
    meta: { label: 'Payments', icon: <DollarOutlined />, parent: 'money' },
  },
  {
    name: 'refunds',
    list: '/refunds',
    create: '/refunds/create',
    show: '/refunds/show/:id',
    meta: { label: 'Refunds', icon: <RollbackOutlined />, parent: 'money' },
  },
  {
    name: 'credit-notes',
    list: '/credit-notes',
    show: '/credit-notes/show/:id',
    meta: { label: 'Credit notes', icon: <FileExcelOutlined />, parent: 'money' },
  },
  { name: 'receivables', list: '/receivables', meta: { label: 'Receivables', icon: <FieldTimeOutlined />, parent: 'money' } },
  // Read by the customer page's Statement and Wallet tabs (their permissions); no page of their own.
  { name: 'statements', meta: { label: 'Statements', hide: true } },
  { name: 'wallets', meta: { label: 'Wallets', hide: true } },
  // Read by the payment, customer and invoice pages; no page of their own.
  { name: 'payment-allocations', meta: { label: 'Allocations', hide: true } },
  { name: 'wallet-transactions', meta: { label: 'Wallet ledger', hide: true } },
];

export const moneyRoutes = (
  <>
    <Route path="/payments">
      <Route index element={<PaymentList />} />
      <Route path="create" element={<PaymentCreate />} />
      <Route path="show/:id" element={<PaymentShow />} />
    </Route>
    <Route path="/refunds">
      <Route index element={<RefundList />} />
      <Route path="create" element={<RefundCreate />} />
      <Route path="show/:id" element={<RefundShow />} />
    </Route>
    <Route path="/credit-notes">
      <Route index element={<CreditNoteList />} />
      <Route path="show/:id" element={<CreditNoteShow />} />
    </Route>
    <Route path="/receivables" element={<ReceivablesList />} />
  </>
);
