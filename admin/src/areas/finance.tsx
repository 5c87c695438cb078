import { AccountBookOutlined, AuditOutlined, BarChartOutlined, BookOutlined, CloudDownloadOutlined, DashboardOutlined, RiseOutlined, FileTextOutlined, ImportOutlined, MedicineBoxOutlined, ThunderboltOutlined } from '@ant-design/icons';
import type { ResourceProps } from '@refinedev/core';
import { Route } from 'react-router';
import { lazyPage } from '../lazyPage';

// Each page is its own chunk, fetched when its route first opens.
const BillingRecordList = lazyPage(() => import('../pages/billing-records/list'), 'BillingRecordList');
const DashboardPage = lazyPage(() => import('../pages/dashboard'), 'DashboardPage');
const DataHealthPage = lazyPage(() => import('../pages/data-health/list'), 'DataHealthPage');
const ImportReportPage = lazyPage(() => import('../pages/imports/show'), 'ImportReportPage');
const InvoiceRunCreate = lazyPage(() => import('../pages/invoice-runs/create'), 'InvoiceRunCreate');
const InvoiceRunList = lazyPage(() => import('../pages/invoice-runs/list'), 'InvoiceRunList');
const InvoiceRunShow = lazyPage(() => import('../pages/invoice-runs/show'), 'InvoiceRunShow');
const InvoiceList = lazyPage(() => import('../pages/invoices/list'), 'InvoiceList');
const InvoiceShow = lazyPage(() => import('../pages/invoices/show'), 'InvoiceShow');
const GstReportPage = lazyPage(() => import('../pages/reports/gst'), 'GstReportPage');
const RevenuePage = lazyPage(() => import('../pages/reports/revenue'), 'RevenuePage');
const RegistersPage = lazyPage(() => import('../pages/reports/registers'), 'RegistersPage');
const ExportsPage = lazyPage(() => import('../pages/exports'), 'ExportsPage');
const AnalyticsPage = lazyPage(() => import('../pages/analytics'), 'AnalyticsPage');

// The finance pages: their Refine resources (menu entries) and their routes, mounted by App.tsx.
// The start page, first in the menu. No API resource of its own: it reads GET /api/dashboard, which whoever may
// list billing records may read.
export const dashboardResource: ResourceProps = { name: 'dashboard', list: '/dashboard', meta: { label: 'Dashboard', icon: <DashboardOutlined />, accessAs: 'billing-records' } };

export const financeResources: ResourceProps[] = [
  { name: 'billing-records', list: '/billing-records', meta: { label: 'Billing records', icon: <AccountBookOutlined /> } },
  { name: 'invoices', list: '/invoices', show: '/invoices/show/:id', meta: { label: 'Invoices', icon: <FileTextOutlined /> } },
  {
    name: 'invoice-runs',
    list: '/invoice-runs',
    create: '/invoice-runs/create',
    show: '/invoice-runs/show/:id',
    meta: { label: 'Invoice runs', icon: <ThunderboltOutlined /> },
  },
  // Reports are read (show) or downloaded (export), never listed: the menu entry needs show on reports.
  { name: 'reports', list: '/reports/gst', meta: { label: 'GST report', icon: <AuditOutlined />, accessAction: 'show' } },
  { name: 'revenue', list: '/reports/revenue', meta: { label: 'Revenue', icon: <RiseOutlined />, accessAs: 'reports', accessAction: 'show' } },
  { name: 'registers', list: '/reports/registers', meta: { label: 'Registers', icon: <BookOutlined />, accessAs: 'reports', accessAction: 'show' } },
  // Charts are read (show), never listed: the menu entry needs show on analytics (finance, managers, admins).
  { name: 'analytics', list: '/analytics', meta: { label: 'Analytics', icon: <BarChartOutlined />, accessAction: 'show' } },
  // One's own background exports (the API answers only one's own jobs): shown to whoever may export anything.
  { name: 'exports', list: '/exports', meta: { label: 'Exports', icon: <CloudDownloadOutlined />, anyResourceWith: 'export' } },
  { name: 'data-health', list: '/data-health', meta: { label: 'Data health', icon: <MedicineBoxOutlined /> } },
  { name: 'imports', list: '/imports', meta: { label: 'Legacy import', icon: <ImportOutlined /> } },
  // Read by the data health and import pages; no page of their own.
  { name: 'invoice-lines', meta: { label: 'Invoice lines', hide: true } },
  { name: 'import-anomalies', meta: { label: 'Import anomalies', hide: true } },
];

export const financeRoutes = (
  <>
    <Route path="/dashboard" element={<DashboardPage />} />
    <Route path="/billing-records" element={<BillingRecordList />} />
    <Route path="/invoices">
      <Route index element={<InvoiceList />} />
      <Route path="show/:id" element={<InvoiceShow />} />
    </Route>
    <Route path="/invoice-runs">
      <Route index element={<InvoiceRunList />} />
      <Route path="create" element={<InvoiceRunCreate />} />
      <Route path="show/:id" element={<InvoiceRunShow />} />
    </Route>
    <Route path="/reports/gst" element={<GstReportPage />} />
    <Route path="/reports/revenue" element={<RevenuePage />} />
    <Route path="/reports/registers" element={<RegistersPage />} />
    <Route path="/analytics" element={<AnalyticsPage />} />
    <Route path="/exports" element={<ExportsPage />} />
    <Route path="/data-health" element={<DataHealthPage />} />
    <Route path="/imports" element={<ImportReportPage />} />
  </>
);
